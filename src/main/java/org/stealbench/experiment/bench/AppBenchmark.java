package org.stealbench.experiment.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The installable application (scripts/package-app.sh): the image's size, and the workbench's
 * start-up time (process start to the window up and laid out, as the JVM's uptime) from the image
 * and from the source launcher, alternated, under xvfb-run when there is no display.
 */
public final class AppBenchmark {

    private AppBenchmark() {
    }

    public static String run(Path home, int repeats, Consumer<String> log) throws IOException, InterruptedException {
        Path image = home.resolve("target/dist/StealBench");
        Path bin = image.resolve("bin/StealBench");
        if (!Files.isExecutable(bin)) {
            throw new IllegalStateException("no application image at " + image + ": build it first with scripts/package-app.sh");
        }
        long bytes = size(image);
        long runtime = size(image.resolve("lib/runtime"));
        long app = size(image.resolve("lib/app"));
        List<Double> fromImage = new ArrayList<>();
        List<Double> fromLauncher = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            fromImage.add(startup(List.of(bin.toString()), log));
            fromLauncher.add(startup(List.of(home.resolve("scripts/stealbench").toString()), log));
        }
        StringBuilder md = new StringBuilder("## The application image: size and start-up\n\n");
        md.append("Command: `scripts/package-app.sh` (jpackage app image: a jlinked Java runtime with JavaFX, the jar, its runtime "
                + "dependencies, the sample data and the bundled victim), then `scripts/stealbench bench --suite app`. ")
                .append(BenchmarkReport.machine()).append("\n\n");
        md.append(String.format(Locale.ROOT, "Image `target/dist/StealBench`: %.0f MiB in all (Java runtime %.0f MiB; app, dependencies and "
                + "sample data %.0f MiB, of which ND4J's native builds are most).%n%n", bytes / 1048576.0, runtime / 1048576.0, app / 1048576.0));
        md.append("Start-up: from process start to the workbench's window up and laid out (`gui -Dstealbench.exitAfterStart=true`), runs "
                + "alternated, seconds:\n\n| started from | runs | median | min - max |\n|---|---|---|---|\n");
        row(md, "the application image (`target/dist/StealBench/bin/StealBench`)", fromImage);
        row(md, "the source launcher (`scripts/stealbench`, built)", fromLauncher);
        return md.toString();
    }

    private static void row(StringBuilder md, String what, List<Double> s) {
        double[] v = s.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        md.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f - %.2f |%n", what,
                String.join(", ", Arrays.stream(v).mapToObj(x -> String.format(Locale.ROOT, "%.2f", x)).toList()), v[v.length / 2], v[0],
                v[v.length - 1]));
    }

    private static double startup(List<String> launcher, Consumer<String> log) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("stealbench-app-bench");
        List<String> cmd = new ArrayList<>();
        if (System.getenv("DISPLAY") == null) {
            if (!Files.isExecutable(Path.of("/usr/bin/xvfb-run"))) {
                throw new IllegalStateException("the app benchmark needs a display: set DISPLAY or install xvfb (apt-get install xvfb)");
            }
            cmd.addAll(List.of("/usr/bin/xvfb-run", "-a", "-s", "-screen 0 1440x900x24"));
        }
        cmd.addAll(launcher);
        cmd.addAll(List.of("gui", "-Dstealbench.exitAfterStart=true", "-Dstealbench.results=" + dir.resolve("results")));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("the workbench did not start within 5 minutes; log: " + dir.resolve("log.txt"));
        }
        for (String line : Files.readAllLines(dir.resolve("log.txt"), StandardCharsets.UTF_8)) {
            if (line.startsWith("STARTUP_MS ")) {
                double s = Long.parseLong(line.substring(11).trim()) / 1000.0;
                log.accept(String.format(Locale.ROOT, "%s: %.2f s", launcher.get(0), s));
                return s;
            }
        }
        throw new IllegalStateException("the workbench reported no start-up time (exit " + p.exitValue() + "); log: " + dir.resolve("log.txt"));
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        }
    }
}
