package org.stealbench.experiment.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.stealbench.data.DatasetRegistry;
import org.stealbench.experiment.ExperimentConfig;
import org.stealbench.experiment.ExperimentListener;
import org.stealbench.experiment.ExperimentResult;
import org.stealbench.experiment.ExperimentRunner;
import org.stealbench.model.ProcessMemory;
import org.stealbench.model.nn.NativeArrays;
import org.stealbench.model.train.Cancellation;

/**
 * Wall time and memory of the demo theft as users run it, all through the launcher
 * ({@code scripts/stealbench}, so with the heap and off-heap limits it picks from the machine's
 * memory): (1) fresh {@code steal} processes, end to end, with their phases; (2) ten demo thefts
 * one after another in one JVM, memory after each; (3) the workbench (ZGC, live metrics) driven
 * through ten runs in its autorun mode under xvfb, memory after each, its peak, and after ten idle
 * seconds. Memory is read from /proc (Linux): PSS, with RSS beside it; peaks are sampled every
 * 250 ms from outside the process.
 */
public final class MemoryBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final double CLI_PEAK_MIB = 2048;
    static final double WORKBENCH_PEAK_MIB = 6144;
    static final double WORKBENCH_IDLE_MIB = 4096;

    private MemoryBenchmark() {
    }

    /** One run's line of a memory report: its fields as written by {@link #appendLine}. */
    record Line(Map<String, String> fields) {
        double number(String key) {
            String v = fields.get(key);
            return v == null || v.isEmpty() ? Double.NaN : Double.parseDouble(v);
        }
    }

    public static String run(Path home, int fresh, int runs, int workbenchEpochs, Consumer<String> log) throws IOException, InterruptedException {
        Path launcher = home.resolve("scripts/stealbench");
        Path work = Files.createTempDirectory("stealbench-memory-bench");
        StringBuilder md = new StringBuilder("## Memory and wall time: the demo theft, ten in a row, the workbench through ten runs\n\n");
        md.append("Command: `scripts/stealbench bench --suite memory` (every process started through the launcher, with the heap and "
                + "off-heap limits it picks from the machine's memory). ").append(BenchmarkReport.machine())
                .append(". Memory from /proc: PSS (proportional set size), RSS beside it; peaks sampled every 250 ms from outside the process. "
                        + "\"Engine arrays\" is the ledger of the engine's own off-heap arrays (buffers, parameters, moments) still open.\n\n");

        // (1) fresh processes, end to end
        md.append("### The demo theft in a fresh process (`scripts/stealbench steal`)\n\n");
        // the suite's own feature cache, empty at first: the first theft computes the victim's features as on a new machine
        Path featureCache = work.resolve("feature-cache");
        Map<String, String> env = Map.of(org.stealbench.eval.FeatureStore.DIR_ENV, featureCache.toString());
        md.append("The suite's feature cache starts empty: the first run computes the victim's features (as a new user's first theft does), "
                + "the later runs read them (docs/decisions/0025-victim-feature-cache.md).\n\n");
        // this machine's speed moves with the hour (other tenants of its host): the demo copy's training step, measured
        // just before and after the fresh runs, says how fast it was while they ran
        double speedBefore = EngineBenchmark.imagesPerSecond(EngineWorkload.E);
        md.append("| run | victim's features | wall s (process) | loading s | querying s | training s | evaluating s | peak PSS MiB | peak RSS MiB |\n");
        md.append("|---|---|---|---|---|---|---|---|---|\n");
        double worstWall = 0;
        double worstEval = 0;
        double worstRss = 0;
        for (int i = 1; i <= fresh; i++) {
            Path results = work.resolve("fresh-" + i);
            Sampler s = new Sampler();
            long t0 = System.nanoTime();
            String cached = cachedFeatures(featureCache) ? "cached" : "computed";
            int exit = runAndSample(List.of(launcher.toString(), "steal", "--results", results.toString()), env, work.resolve("fresh-" + i + ".log"),
                    s, 15);
            double wall = (System.nanoTime() - t0) / 1e9;
            if (exit != 0) {
                throw new IllegalStateException("the demo theft failed (exit " + exit + "); log: " + work.resolve("fresh-" + i + ".log"));
            }
            Map<String, Double> phases = phases(results);
            worstWall = Math.max(worstWall, wall);
            worstEval = Math.max(worstEval, phases.getOrDefault("evaluating", Double.NaN));
            worstRss = Math.max(worstRss, s.peakRss);
            md.append(String.format(Locale.ROOT, "| %d | %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.0f | %.0f |%n", i, cached, wall, phases.get("loading"),
                    phases.get("querying"), phases.get("training"), phases.get("evaluating"), s.peakPss, s.peakRss));
            log.accept(String.format(Locale.ROOT, "fresh theft %d: %.1f s, peak PSS %.0f MiB, RSS %.0f MiB", i, wall, s.peakPss, s.peakRss));
        }
        double speedAfter = EngineBenchmark.imagesPerSecond(EngineWorkload.E);
        md.append(String.format(Locale.ROOT, "%nThe machine's speed while they ran: the demo copy's training step (the engine suite's workload (e), "
                + "in a fresh worker) at %.0f images/s just before the runs and %.0f just after.%n", speedBefore, speedAfter));
        md.append(String.format(Locale.ROOT, "%nTargets: wall time <= 30 s (worst %.1f s: %s), evaluation <= 5 s (worst %.1f s: %s), "
                        + "peak memory <= 2 GiB (worst RSS %.0f MiB: %s).%n%n", worstWall, worstWall <= 30 ? "met" : "not met", worstEval,
                worstEval <= 5 ? "met" : "not met", worstRss, worstRss <= CLI_PEAK_MIB ? "met" : "not met"));

        // (2) ten thefts in one JVM
        md.append("### ").append(runs).append(" demo thefts one after another in one JVM\n\n");
        Path lines = work.resolve("worker.txt");
        Sampler ws = new Sampler();
        int exit = runAndSample(List.of(launcher.toString(), "bench", "--suite", "memory-worker", "--repeats", Integer.toString(runs), "--report",
                lines.toString()), env, work.resolve("worker.log"), ws, 10 + runs * 3);
        if (exit != 0) {
            throw new IllegalStateException("the memory worker failed (exit " + exit + "); log: " + work.resolve("worker.log"));
        }
        md.append(memoryTable(read(lines), true));
        md.append(flatness(read(lines), ws, Double.NaN, "the process"));

        // (3) the workbench through ten runs
        md.append("### The workbench driven through ").append(runs).append(" runs (autorun, ").append(workbenchEpochs)
                .append(" epochs each, live metrics, ZGC)\n\n")
                .append("The readings after GC + trim wait out ZGC's uncommit delay (the launcher's 10 s) first, so they show the heap ZGC keeps, ")
                .append("not the committed heap a collection leaves until then.\n\n");
        Path wbLines = work.resolve("workbench.txt");
        List<String> cmd = new ArrayList<>();
        if (System.getenv("DISPLAY") == null) {
            if (!Files.isExecutable(Path.of("/usr/bin/xvfb-run"))) {
                throw new IllegalStateException("the memory benchmark's workbench part needs a display: set DISPLAY or install xvfb (apt-get install xvfb)");
            }
            cmd.addAll(List.of("/usr/bin/xvfb-run", "-a", "-s", "-screen 0 1440x900x24"));
        }
        cmd.add(launcher.toString());
        Sampler gs = new Sampler();
        exit = runAndSample(cmd, Map.of(org.stealbench.eval.FeatureStore.DIR_ENV, featureCache.toString(), "STEALBENCH_EXTRA_OPTS",
                "-Dstealbench.autorun=" + workbenchEpochs + " -Dstealbench.autorun.runs=" + runs + " -Dstealbench.memoryReport=" + wbLines
                        + " -Dstealbench.results=" + work.resolve("workbench-results")), work.resolve("workbench.log"),
                gs, 10 + runs * 4);
        List<Line> wb = read(wbLines);
        if (wb.stream().noneMatch(l -> l.fields().containsKey("idle"))) {
            throw new IllegalStateException("the workbench did not finish its runs (exit " + exit + "); log: " + work.resolve("workbench.log"));
        }
        md.append(memoryTable(wb, false));
        Line idle = wb.stream().filter(l -> l.fields().containsKey("idle")).findFirst().orElseThrow();
        md.append(flatness(wb, gs, idle.number("pss_mib"), "the workbench"));
        log.accept("work files in " + work);
        return md.toString();
    }

    /** Whether the feature cache holds any file yet. */
    private static boolean cachedFeatures(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".features"));
        }
    }

    /** The worker: {@code runs} demo thefts in this JVM, a line per run appended to {@code report}. */
    public static void worker(DatasetRegistry registry, int runs, Path report, Consumer<String> log) throws IOException {
        Path results = Files.createTempDirectory("stealbench-memory-worker");
        Files.deleteIfExists(report);
        for (int i = 1; i <= runs; i++) {
            ExperimentResult r = ExperimentRunner.run(ExperimentConfig.demo("infonce"), registry, ExperimentListener.NONE, new Cancellation(), results);
            if (!r.completed()) {
                throw new IllegalStateException("theft " + i + " " + r.status() + ": " + r.message());
            }
            Map<String, Double> phases = phases(r.folder());
            appendLine(report, String.format(Locale.ROOT, "run=%d seconds=%.1f training=%.1f evaluating=%.1f", i, r.seconds(),
                    phases.get("training"), phases.get("evaluating")));
            log.accept("theft " + i + " of " + runs + ": " + String.format(Locale.ROOT, "%.1f s", r.seconds()));
        }
    }

    /**
     * Appends {@code what} with this process's memory and the engine's open arrays, then its memory again after a full
     * collection, half a second for JavaCPP's deallocator thread to free the native memory of what was collected, and
     * {@code malloc_trim}, the sequence every run ends with ({@link org.stealbench.model.NativeBackend#releaseMemory}):
     * what the process retains, without the garbage a collection had not yet reached when the run ended. (Without the
     * trim, what this collection freed stayed in glibc's arenas and the reading moved by 100-300 MiB from run to run.)
     * Under ZGC (the workbench) it also waits out ZGC's uncommit delay, after which ZGC hands back the heap it no
     * longer uses: read at once, the reading followed ZGC's committed heap, which a collection leaves as it was (one
     * suite run read 1,098-1,924 MiB committed against 166-210 MiB used, and the retained PSS moved with it).
     */
    public static void appendLine(Path file, String what) throws IOException {
        var m = ProcessMemory.self();
        System.gc();
        pause(500);
        org.stealbench.model.NativeBackend.trimNativeHeap();
        long uncommit = zgcUncommitDelaySeconds();
        if (uncommit >= 0) {
            pause((uncommit + 2) * 1000);
        }
        var g = ProcessMemory.self();
        Runtime rt = Runtime.getRuntime();
        Files.writeString(file, String.format(Locale.ROOT, "%s pss_mib=%.0f rss_mib=%.0f engine_arrays_mib=%.1f pss_gc_mib=%.0f rss_gc_mib=%.0f "
                        + "heap_committed_mib=%.0f heap_used_mib=%.0f javacpp_mib=%.0f%n",
                what, m.map(ProcessMemory::pssMiB).orElse(Double.NaN), m.map(ProcessMemory::rssMiB).orElse(Double.NaN),
                NativeArrays.openBytes() / 1048576.0, g.map(ProcessMemory::pssMiB).orElse(Double.NaN),
                g.map(ProcessMemory::rssMiB).orElse(Double.NaN), rt.totalMemory() / 1048576.0, (rt.totalMemory() - rt.freeMemory()) / 1048576.0,
                org.bytedeco.javacpp.Pointer.totalBytes() / 1048576.0), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** ZGC's uncommit delay in seconds where this JVM runs ZGC and uncommits its heap; -1 otherwise. */
    static long zgcUncommitDelaySeconds() {
        try {
            var vm = java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            if (!"true".equals(vm.getVMOption("UseZGC").getValue()) || !"true".equals(vm.getVMOption("ZUncommit").getValue())) {
                return -1;
            }
            return Long.parseLong(vm.getVMOption("ZUncommitDelay").getValue());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return -1;
        }
    }

    static List<Line> read(Path file) throws IOException {
        List<Line> out = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            Map<String, String> f = new LinkedHashMap<>();
            for (String part : text.trim().split("\\s+")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    f.put(part.substring(0, eq), part.substring(eq + 1));
                }
            }
            if (!f.isEmpty()) {
                out.add(new Line(f));
            }
        }
        return out;
    }

    private static String memoryTable(List<Line> lines, boolean phases) {
        StringBuilder md = new StringBuilder(phases
                ? "| run | seconds | training s | evaluating s | PSS after MiB | RSS after MiB | engine arrays open MiB | PSS after GC + trim MiB "
                        + "| RSS after GC + trim MiB |\n|---|---|---|---|---|---|---|---|---|\n"
                : "| run | state | seconds | PSS after MiB | RSS after MiB | engine arrays open MiB | PSS after GC + trim MiB "
                        + "| RSS after GC + trim MiB |\n|---|---|---|---|---|---|---|---|\n");
        for (Line l : lines) {
            if (!l.fields().containsKey("run")) {
                continue;
            }
            md.append(phases
                    ? String.format(Locale.ROOT, "| %s | %s | %s | %s | %.0f | %.0f | %.1f | %.0f | %.0f |%n", l.fields().get("run"),
                            l.fields().get("seconds"), l.fields().get("training"), l.fields().get("evaluating"), l.number("pss_mib"),
                            l.number("rss_mib"), l.number("engine_arrays_mib"), l.number("pss_gc_mib"), l.number("rss_gc_mib"))
                    : String.format(Locale.ROOT, "| %s | %s | %s | %.0f | %.0f | %.1f | %.0f | %.0f |%n", l.fields().get("run"),
                            l.fields().get("state"), l.fields().get("seconds"), l.number("pss_mib"), l.number("rss_mib"),
                            l.number("engine_arrays_mib"), l.number("pss_gc_mib"), l.number("rss_gc_mib")));
        }
        return md.toString();
    }

    /** The flatness target (the last run's PSS within 10% of the second's) and, for the workbench, the peak and idle targets. */
    private static String flatness(List<Line> lines, Sampler peak, double idlePss, String who) {
        List<Line> runs = lines.stream().filter(l -> l.fields().containsKey("run")).toList();
        StringBuilder md = new StringBuilder("\n");
        if (runs.size() >= 3) {
            // judged on what the process retains (after a full collection); right after a run, PSS also holds whatever garbage
            // the collector had not reached yet, which moves by hundreds of MiB from run to run
            for (String field : new String[] {"pss_gc_mib", "pss_mib"}) {
                double second = runs.get(1).number(field);
                double last = runs.get(runs.size() - 1).number(field);
                double change = (last - second) / second;
                md.append(String.format(Locale.ROOT, field.equals("pss_gc_mib")
                                ? "Flat (retained, after a full GC and malloc_trim): after run %d, %.0f MiB PSS against %.0f MiB after run 2 (%+.1f%%; target "
                                + "within 10%%: %s). "
                                : "Right after each run, before a collection: %d: %.0f MiB against %.0f MiB (%+.1f%%%s). ",
                        runs.size(), last, second, 100 * change, field.equals("pss_gc_mib") ? (Math.abs(change) <= 0.10 ? "met" : "not met") : ""));
            }
        }
        md.append(String.format(Locale.ROOT, "Peak of %s over all runs: %.0f MiB PSS, %.0f MiB RSS", who, peak.peakPss, peak.peakRss));
        if (!Double.isNaN(idlePss)) {
            md.append(String.format(Locale.ROOT, " (target <= 6 GiB PSS: %s); ten idle seconds after the last run: %.0f MiB PSS (target <= 4 GiB: %s)",
                    peak.peakPss <= WORKBENCH_PEAK_MIB ? "met" : "not met", idlePss, idlePss <= WORKBENCH_IDLE_MIB ? "met" : "not met"));
        }
        return md.append(".\n\n").toString();
    }

    /** The provenance's phase seconds of the one results folder under (or at) {@code dir}. */
    static Map<String, Double> phases(Path dir) throws IOException {
        Path file = dir.resolve("results.json");
        if (!Files.isRegularFile(file)) {
            try (var s = Files.list(dir)) {
                file = s.filter(p -> Files.isRegularFile(p.resolve("results.json"))).findFirst()
                        .orElseThrow(() -> new IllegalStateException("no results folder in " + dir)).resolve("results.json");
            }
        }
        JsonNode p = JSON.readTree(file.toFile()).path("provenance").path("phaseSeconds");
        Map<String, Double> out = new LinkedHashMap<>();
        p.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asDouble()));
        return out;
    }

    /** Peak PSS and RSS of a process tree's Java processes, polled every 250 ms. */
    static final class Sampler {
        volatile double peakPss;
        volatile double peakRss;

        void sample(ProcessHandle root) {
            List<ProcessHandle> all = new ArrayList<>();
            all.add(root);
            root.descendants().forEach(all::add);
            for (ProcessHandle h : all) {
                if (h.info().command().map(c -> c.endsWith("/java")).orElse(false)) {
                    ProcessMemory.of(h.pid()).ifPresent(m -> {
                        peakPss = Math.max(peakPss, m.pssMiB());
                        peakRss = Math.max(peakRss, m.rssMiB());
                    });
                }
            }
        }
    }

    private static int runAndSample(List<String> cmd, Map<String, String> env, Path logFile, Sampler sampler, int minutes)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);
        while (!p.waitFor(250, TimeUnit.MILLISECONDS)) {
            sampler.sample(p.toHandle());
            if (System.nanoTime() > deadline) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IllegalStateException(cmd.get(0) + " did not finish within " + minutes + " minutes; log: " + logFile);
            }
        }
        return p.exitValue();
    }
}
