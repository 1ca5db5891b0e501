package org.stealbench.experiment.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * How responsive the workbench stays while a theft trains: starts the workbench in a child
 * process (under xvfb-run when there is no display) in its autorun mode, which queues the demo
 * experiment, measures the FX thread's longest stall while it runs and quits when it ends.
 */
public final class UiBenchmark {

    private UiBenchmark() {
    }

    public static String run(int epochs, int repeats, Consumer<String> log) throws IOException, InterruptedException {
        StringBuilder md = new StringBuilder("## Workbench: how responsive the window stays while a theft trains\n\n");
        md.append("Command: `scripts/stealbench bench --suite ui` (the workbench in its autorun mode, `-Dstealbench.autorun=")
                .append(epochs).append("`: the demo theft, InfoNCE, 2,000 queries, ").append(epochs)
                .append(" epochs with live metrics, ZGC as the launcher starts the workbench; a probe posted to the FX thread every 10 ms "
                        + "records how late it runs, and every GC pause is recorded from the JVM's GC notifications, since a pause "
                        + "stops the probe's thread too). ")
                .append(BenchmarkReport.machine()).append("\n\n");
        md.append("| run | longest stall while the run was set up (queued, victim loaded, baselines) | later than 50 ms | "
                + "longest stall while it trained and was evaluated | probes | later than 50 ms | longest GC pause | theft wall time |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        double worst = 0;
        for (int r = 1; r <= repeats; r++) {
            Map<String, String> rep = once(epochs, log);
            double w = Double.parseDouble(rep.getOrDefault("worst_ms", "NaN"));
            worst = Math.max(worst, w);
            double gcPause = Double.parseDouble(rep.getOrDefault("gc_pause_ms", "NaN"));
            worst = Math.max(worst, gcPause);
            md.append(String.format(Locale.ROOT, "| %d | %s ms | %s | %.1f ms | %s | %s | %.1f ms | %s s |%n", r, rep.get("setup_worst_ms"),
                    rep.get("setup_over_50ms"), w, rep.get("probes"), rep.get("over_50ms"), gcPause, rep.getOrDefault("seconds", "?")));
            log.accept(String.format(Locale.ROOT, "run %d: longest stall %.1f ms (%s probes, %s over 50 ms)", r, w, rep.get("probes"),
                    rep.get("over_50ms")));
        }
        md.append(String.format(Locale.ROOT, "%nWorst case while training (stall or GC pause): %.1f ms (target: under 50 ms): %s. The set-up column "
                + "holds the one-off stalls of queueing a run (its list cell and charts are created and drawn the first time).%n", worst,
                worst < 50 ? "met" : "not met"));
        return md.toString();
    }

    private static Map<String, String> once(int epochs, Consumer<String> log) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("stealbench-ui-bench");
        Path report = dir.resolve("stall.txt");
        List<String> cmd = new ArrayList<>();
        if (System.getenv("DISPLAY") == null) {
            if (Files.isExecutable(Path.of("/usr/bin/xvfb-run"))) {
                cmd.addAll(List.of("/usr/bin/xvfb-run", "-a", "-s", "-screen 0 1440x900x24"));
            } else {
                throw new IllegalStateException("the ui benchmark needs a display: set DISPLAY or install xvfb (apt-get install xvfb)");
            }
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(BenchmarkReport.javaFxOptions());
        cmd.addAll(org.stealbench.model.NativeBackend.engineJvmOptions());
        cmd.addAll(List.of("-Xmx6g", "-XX:+UseZGC", "-cp", System.getProperty("java.class.path"), "-Dstealbench.autorun=" + epochs,
                "-Dstealbench.stallReport=" + report, "-Dstealbench.results=" + dir.resolve("results"),
                "-Dstealbench.home=" + System.getProperty("stealbench.home", "."), "org.stealbench.Main"));
        log.accept("starting the workbench: autorun, " + epochs + " epochs ...");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile()).start();
        if (!p.waitFor(20, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("the workbench did not finish within 20 minutes; log: " + dir.resolve("log.txt"));
        }
        if (!Files.isRegularFile(report)) {
            throw new IllegalStateException("the workbench wrote no stall report (exit " + p.exitValue() + "); log: " + dir.resolve("log.txt"));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(report, StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                out.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return out;
    }
}
