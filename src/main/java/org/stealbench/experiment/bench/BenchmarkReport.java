package org.stealbench.experiment.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.stealbench.data.format.DataFiles;

/**
 * docs/benchmarks.md is made of sections, one per benchmark suite, each between
 * {@code <!-- bench:NAME -->} and {@code <!-- /bench:NAME -->}. A suite rewrites only its own
 * section (atomically), so suites run at different times share one file.
 */
public final class BenchmarkReport {

    private static final String HEADER = "# Benchmarks\n\n"
            + "Written by `scripts/stealbench bench --suite NAME` (each suite rewrites its own section). "
            + "Figures are from the machine named in each section, measured while nothing else ran.\n";

    private BenchmarkReport() {
    }

    public static void writeSection(Path file, String suite, String markdown) throws IOException {
        String open = "<!-- bench:" + suite + " -->";
        String close = "<!-- /bench:" + suite + " -->";
        String text = Files.isRegularFile(file) ? Files.readString(file) : HEADER;
        String block = open + "\n" + markdown.strip() + "\n" + close;
        int a = text.indexOf(open);
        int b = text.indexOf(close);
        String updated;
        if (a >= 0 && b > a) {
            updated = text.substring(0, a) + block + text.substring(b + close.length());
        } else {
            updated = text.stripTrailing() + "\n\n" + block + "\n";
        }
        byte[] bytes = updated.getBytes(StandardCharsets.UTF_8);
        DataFiles.writeAtomically(file, out -> out.write(bytes));
    }

    /** "probes train / test on: fashion-mnist 4,500 / 2,000, mnist ..." for a benchmark's text. */
    public static String probeSizes(java.util.List<org.stealbench.eval.DownstreamTask> tasks) {
        StringBuilder sb = new StringBuilder("probe train / test images:");
        for (org.stealbench.eval.DownstreamTask t : tasks) {
            sb.append(sb.charAt(sb.length() - 1) == ':' ? " " : ", ").append(t.name()).append(' ')
                    .append(String.format(java.util.Locale.ROOT, "%,d / %,d", t.train().size(), t.test().size()));
        }
        return sb.toString();
    }

    /** One line naming the machine, for the top of a section. */
    public static String machine() {
        String cpu = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // keep "unknown CPU"
        }
        return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version")
                + ", max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB";
    }

    /**
     * The JVM options that put JavaFX on the module path as this process has it (the launcher's), for a
     * child JVM that opens the workbench; empty when JavaFX is on the class path (tests, IDEs).
     */
    static java.util.List<String> javaFxOptions() {
        String mp = System.getProperty("jdk.module.path");
        java.util.List<String> out = new java.util.ArrayList<>();
        if (mp == null || mp.isBlank()) {
            return out;
        }
        out.addAll(java.util.List.of("--module-path", mp, "--add-modules", "javafx.controls,javafx.fxml,javafx.swing"));
        for (String a : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-exports=") || a.startsWith("--add-opens=")) {
                out.add(a);
            }
        }
        return out;
    }
}
