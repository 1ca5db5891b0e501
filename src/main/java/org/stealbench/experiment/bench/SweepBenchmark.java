package org.stealbench.experiment.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.stealbench.data.DatasetRegistry;
import org.stealbench.experiment.ExperimentConfig;
import org.stealbench.experiment.SparkSweep;
import org.stealbench.experiment.Sweep;

/**
 * An 8-configuration sweep (2 losses x 4 budgets, the same samples per run) through Spark, each into
 * a fresh results folder, the wall time of the whole sweep: in local mode with one task slot and
 * with two (tasks are threads of this process), and on a standalone cluster on loopback
 * ({@code scripts/spark-cluster.sh}) with one worker and with two (executors are processes of their
 * own), the four alternated in every round.
 */
public final class SweepBenchmark {

    private SweepBenchmark() {
    }

    /** One way to run the sweep: a master URL, and how many workers the loopback cluster needs (0: local mode). */
    private record Mode(String label, String master, int workers, int slots) {
    }

    public static String run(DatasetRegistry registry, int repeats, Consumer<String> log) throws IOException, InterruptedException {
        ExperimentConfig base = ExperimentConfig.demo("mse").withTasks(List.of("fashion-mnist"));
        List<ExperimentConfig> configs = Sweep.configs(base, List.of("mse", "infonce"), List.of(250, 500, 1000, 2000), List.of(), 8000);
        Path home = registry.roots().sampleData().toAbsolutePath().getParent();
        String cluster = "spark://127.0.0.1:7077";
        List<Mode> modes = List.of(new Mode("local mode", "local[1,2]", 0, 1), new Mode("local mode", "local[2,2]", 0, 2),
                new Mode("standalone, 1 worker", cluster, 1, 1), new Mode("standalone, 2 workers", cluster, 2, 2));
        List<List<Double>> seconds = new ArrayList<>();
        modes.forEach(m -> seconds.add(new ArrayList<>()));
        try {
            for (int r = 0; r < repeats; r++) {
                for (int m = 0; m < modes.size(); m++) {
                    Mode mode = modes.get(m);
                    if (mode.workers() > 0) {
                        cluster(home, "start", String.valueOf(mode.workers()), "1", "6g");
                    }
                    Path dir = Files.createTempDirectory("stealbench-sweep-bench");
                    long t0 = System.nanoTime();
                    SparkSweep.run(configs, mode.master(), dir, registry, null, SparkSweep.JOB, s -> { });
                    double s = (System.nanoTime() - t0) / 1e9;
                    seconds.get(m).add(s);
                    log.accept(String.format(Locale.ROOT, "%s (%s): %.1f s", mode.label(), mode.master(), s));
                    if (mode.workers() > 0) {
                        cluster(home, "stop");
                    }
                }
            }
        } finally {
            cluster(home, "stop");
        }
        StringBuilder md = new StringBuilder("## Sweeps on Spark: one worker against two\n\n");
        md.append("Command: `scripts/stealbench bench --suite sweep`. ").append(BenchmarkReport.machine()).append(".\n\n");
        md.append("The sweep: 2 losses (MSE, InfoNCE) x 4 budgets (250, 500, 1,000, 2,000 queries), 8,000 samples each (epochs = 8,000 / "
                + "budget), Fashion-MNIST probe only, through `SparkSweep` (the `sweep --engine spark` path), a fresh results folder per "
                + "sweep. Local mode runs the tasks as threads of this process; the standalone cluster (`scripts/spark-cluster.sh`: a "
                + "master and one or two worker JVMs on loopback, each worker 1 core, started before and stopped after each sweep, "
                + "not timed) runs them in executor processes of their own, which load ND4J and the data anew. The four alternated "
                + "in every round. Wall time of the whole sweep, Spark's start included, seconds:\n\n");
        md.append("| Spark | master | task slots | runs | median |\n|---|---|---|---|---|\n");
        for (int m = 0; m < modes.size(); m++) {
            double[] v = seconds.get(m).stream().mapToDouble(Double::doubleValue).sorted().toArray();
            md.append(String.format(Locale.ROOT, "| %s | `%s` | %d | %s | %.1f |%n", modes.get(m).label(), modes.get(m).master(),
                    modes.get(m).slots(), String.join(", ", java.util.Arrays.stream(v).mapToObj(x -> String.format(Locale.ROOT, "%.1f", x))
                            .toList()), v[v.length / 2]));
        }
        return md.toString();
    }

    /** Runs {@code scripts/spark-cluster.sh} with {@code args}; its output goes to this process's. */
    private static void cluster(Path home, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(home.resolve("scripts/spark-cluster.sh").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(home.toFile()).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + ")");
        }
    }
}
