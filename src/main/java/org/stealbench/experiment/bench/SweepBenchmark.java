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
 * An 8-configuration sweep (2 losses x 4 budgets, the same samples per run) through Spark in local
 * mode with one task slot and with two, alternated, each into a fresh results folder: the wall time
 * of the whole sweep.
 */
public final class SweepBenchmark {

    private SweepBenchmark() {
    }

    public static String run(DatasetRegistry registry, int repeats, Consumer<String> log) throws IOException {
        ExperimentConfig base = ExperimentConfig.demo("mse").withTasks(List.of("fashion-mnist"));
        List<ExperimentConfig> configs = Sweep.configs(base, List.of("mse", "infonce"), List.of(250, 500, 1000, 2000), List.of(), 8000);
        String[] masters = {"local[1,2]", "local[2,2]"};
        List<List<Double>> seconds = List.of(new ArrayList<>(), new ArrayList<>());
        for (int r = 0; r < repeats; r++) {
            for (int m = 0; m < masters.length; m++) {
                Path dir = Files.createTempDirectory("stealbench-sweep-bench");
                long t0 = System.nanoTime();
                SparkSweep.run(configs, masters[m], dir, registry, null, SparkSweep.JOB, s -> { });
                double s = (System.nanoTime() - t0) / 1e9;
                seconds.get(m).add(s);
                log.accept(String.format(Locale.ROOT, "%s: %.1f s", masters[m], s));
            }
        }
        StringBuilder md = new StringBuilder("## Sweeps on Spark: one task slot against two\n\n");
        md.append("Command: `scripts/stealbench bench --suite sweep`. ").append(BenchmarkReport.machine()).append(".\n\n");
        md.append("The sweep: 2 losses (MSE, InfoNCE) x 4 budgets (250, 500, 1,000, 2,000 queries), 8,000 samples each (epochs = 8,000 / "
                + "budget), Fashion-MNIST probe only, through `SparkSweep` (the `sweep --engine spark` path) in local mode, a fresh results "
                + "folder per sweep, the two masters alternated. Wall time of the whole sweep, Spark's start included, seconds:\n\n");
        md.append("| master | task slots | runs | median |\n|---|---|---|---|\n");
        for (int m = 0; m < masters.length; m++) {
            double[] v = seconds.get(m).stream().mapToDouble(Double::doubleValue).sorted().toArray();
            md.append(String.format(Locale.ROOT, "| `%s` | %d | %s | %.1f |%n", masters[m], m + 1,
                    String.join(", ", java.util.Arrays.stream(v).mapToObj(x -> String.format(Locale.ROOT, "%.1f", x)).toList()), v[v.length / 2]));
        }
        return md.toString();
    }
}
