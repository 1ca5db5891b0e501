package org.stealbench.experiment.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.stealbench.model.NativeBackend;

/**
 * The engine suite: each peer workload trained by StealBench and by the PyTorch peer, alternated
 * workload by workload (each run in a fresh process, so neither warms the other's caches and
 * peak memory is per run), with images/s, ms/step, peak RSS and the ratio to the peer's faster
 * layout. A profile of per-layer time follows for the small CNN and ResNet-18.
 */
public final class EngineBenchmark {

    /** A worker's profile line: the layer's name (it may hold spaces: "BatchNorm+MaxPool2d+Relu (fused)"), ms forward, ms backward. */
    static final Pattern PROFILE_LINE = Pattern.compile("PROFILE (.+) ([0-9.]+) ([0-9.]+)");


    private static final String PEER_SCRIPT = String.join("\n",
            "import sys, json, copy, resource, importlib.util",
            "spec = importlib.util.spec_from_file_location('torch_peer', sys.argv[1])",
            "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)",
            "w = sys.argv[2]",
            "table = {'a': (m.mse, 128, 64), 'b': (m.infonce, 128, 64), 'c1': (m.mse, 256, 64), 'c2': (m.infonce, 256, 64), 'd': (m.mse, 128, 512),",
            "         'e': (m.stealing_infonce, 256, 128)}",
            "fn, B, dout = table[w]",
            "model = m.resnet18_cifar()[0] if w == 'd' else m.demo_cnn() if w == 'e' else m.small_cnn()",
            "out = {}",
            "for cl in (False, True):",
            "    ips, ms, times = m.measure(copy.deepcopy(model), fn, B, dout, channels_last=cl, channels=m.in_channels(model))",
            "    out['cl' if cl else 'default'] = [ips, ms]",
            "out['maxrss_mb'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0",
            "out['torch'] = m.torch.__version__",
            "print('PEER ' + json.dumps(out), flush=True)");

    private EngineBenchmark() {
    }

    /** One workload's figures. */
    record Row(EngineWorkload w, double ips, double ms, double rssMb, double peerDefault, double peerCl, double peerRss, String windows) {
        double peerBest() {
            return Math.max(peerDefault, peerCl);
        }
    }

    public static String run(List<EngineWorkload> workloads, Path peer, Consumer<String> log) throws IOException, InterruptedException {
        boolean havePeer = peer != null && Files.isRegularFile(peer) && Files.isExecutable(Path.of("/usr/bin/python3"));
        List<Row> rows = new ArrayList<>();
        String torch = "not run";
        for (EngineWorkload w : workloads) {
            log.accept("StealBench " + w.title + " ...");
            List<String> ours = exec(javaCommand(w.key, false), 30, false);
            Matcher r = find(ours, RESULT);
            double pd = Double.NaN;
            double pc = Double.NaN;
            double prss = Double.NaN;
            if (havePeer) {
                log.accept("PyTorch peer " + w.title + " ...");
                List<String> p = exec(List.of("/usr/bin/python3", "-c", PEER_SCRIPT, peer.toString(), w.key), 60, true);
                Matcher pm = find(p, "PEER \\{\"default\": \\[([0-9.]+), [0-9.]+\\], \"cl\": \\[([0-9.]+), [0-9.]+\\], "
                        + "\"maxrss_mb\": ([0-9.]+), \"torch\": \"([^\"]+)\"\\}");
                pd = Double.parseDouble(pm.group(1));
                pc = Double.parseDouble(pm.group(2));
                prss = Double.parseDouble(pm.group(3));
                torch = pm.group(4);
            }
            Row row = new Row(w, Double.parseDouble(r.group(1)), Double.parseDouble(r.group(2)), Double.parseDouble(r.group(3)),
                    pd, pc, prss, r.group(4));
            rows.add(row);
            log.accept(Double.isNaN(row.peerBest())
                    ? String.format(Locale.ROOT, "  %s: %.0f images/s (%.1f ms/step)", w.title, row.ips, row.ms)
                    : String.format(Locale.ROOT, "  %s: %.0f images/s (%.1f ms/step) vs peer %.0f -> ratio %.2f", w.title, row.ips,
                            row.ms, row.peerBest(), row.ips / row.peerBest()));
        }
        StringBuilder md = new StringBuilder();
        md.append("## Engine: training throughput against the PyTorch peer\n\n");
        md.append("Command: `scripts/stealbench bench --suite engine`. Machine: ").append(BenchmarkReport.machine())
                .append(". Date: ").append(LocalDate.now()).append(". Device: ").append(org.stealbench.model.NativeBackend.decision().device()).append(" (")
                .append(org.stealbench.model.NativeBackend.decision().reason()).append("). StealBench native build: ")
                .append(NativeBackend.buildName()).append(", ").append(NativeBackend.SPIN_COUNT_ENV).append("=")
                .append(java.util.Objects.requireNonNullElse(NativeBackend.cEnvironment(NativeBackend.SPIN_COUNT_ENV), "unset")).append(", ")
                .append(NativeBackend.BLAS_WAIT_ENV).append("=")
                .append(java.util.Objects.requireNonNullElse(NativeBackend.cEnvironment(NativeBackend.BLAS_WAIT_ENV), "unset"))
                .append("; peer: PyTorch ").append(torch)
                .append(" (Debian python3-torch with OpenBLAS), 2 threads, its libraries' default spin and busy-wait.\n\n");
        md.append("Protocol (the peer's): random 3x32x32 inputs and targets, Adam lr 1e-3, 3 warm-up steps, then the median of "
                + "5 windows of 10 steps (workload (e): 1x32x32 inputs, the demo copy's network and loss on both sides). Each workload runs in a fresh "
                + "process, StealBench then the peer, workload by workload. "
                + "The peer's figure is its faster layout (default or channels_last). Peak RSS is the whole process's "
                + "(JVM with its heap, or Python with torch).\n\n");
        md.append("| workload | StealBench images/s | ms/step | peak RSS MiB | PyTorch default | PyTorch channels_last | peer peak RSS MiB | ratio |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        for (Row row : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %.0f | %.1f | %.0f | %s | %s | %s | **%s** |%n", row.w.title, row.ips, row.ms,
                    row.rssMb, fmt(row.peerDefault), fmt(row.peerCl), fmt(row.peerRss),
                    Double.isNaN(row.peerBest()) ? "-" : String.format(Locale.ROOT, "%.2f", row.ips / row.peerBest())));
        }
        md.append("\nStealBench ms/step per window: ");
        for (Row row : rows) {
            md.append(row.w.key).append(" [").append(row.windows).append("] ");
        }
        md.append("\n");
        for (EngineWorkload w : workloads) {
            if (w != EngineWorkload.A && w != EngineWorkload.D && w != EngineWorkload.E) {
                continue;
            }
            List<String> prof = exec(javaCommand(w.key, true), 30, false);
            md.append("\nWhere the time goes, ").append(w.title).append(" (ms per step, by layer type):\n\n");
            md.append("| layer | forward | backward |\n|---|---|---|\n");
            for (String line : prof) {
                Matcher m = PROFILE_LINE.matcher(line);
                if (m.matches()) {
                    md.append("| ").append(m.group(1)).append(" | ").append(m.group(2)).append(" | ").append(m.group(3)).append(" |\n");
                }
            }
        }
        if (!havePeer) {
            md.append("\nThe peer did not run: install it with `apt-get install -y python3-torch python3-torchvision "
                    + "libopenblas0-pthread` and run the suite again (the peer is `scripts/peers/torch_peer.py`).\n");
        }
        return md.toString();
    }

    /**
     * Images per second of one workload's training step in a fresh worker (its median window), for
     * suites that want to say how fast the machine was while they ran.
     */
    static double imagesPerSecond(EngineWorkload w) throws IOException, InterruptedException {
        return Double.parseDouble(find(exec(javaCommand(w.key, false), 30, false), RESULT).group(1));
    }

    /** A worker's result line: workload, images/s, ms per step, peak RSS MiB, the windows' ms per step. */
    private static final String RESULT = "RESULT \\S+ ([0-9.]+) ([0-9.]+) ([0-9.NaN]+) (\\S+)";

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.0f", v);
    }

    private static List<String> javaCommand(String workload, boolean profile) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx4g");
        // the young generation scripts/stealbench gives headless runs (see there): young collections free dropped native arrays
        cmd.add("-Xmn64m");
        cmd.addAll(NativeBackend.engineJvmOptions());
        String ext = System.getProperty(NativeBackend.EXTENSION_PROPERTY);
        if (ext != null) {
            cmd.add("-D" + NativeBackend.EXTENSION_PROPERTY + "=" + ext);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(EngineWorker.class.getName());
        cmd.add(workload);
        if (profile) {
            cmd.add("profile");
        }
        return cmd;
    }

    /**
     * Runs a worker or the peer. StealBench's workers set their OpenMP spin count and OpenBLAS's
     * busy-wait themselves ({@link NativeBackend#configure}); the peer runs with its libraries' defaults.
     */
    private static List<String> exec(List<String> cmd, int timeoutMinutes, boolean peer) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.putIfAbsent("OMP_NUM_THREADS", String.valueOf(Runtime.getRuntime().availableProcessors()));
        if (peer) {
            env.remove(NativeBackend.SPIN_COUNT_ENV);
            env.remove(NativeBackend.BLAS_WAIT_ENV);
        }
        Process proc = pb.start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
            }
        }
        if (!proc.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
            proc.destroyForcibly();
            throw new IOException(String.join(" ", cmd.subList(0, 1)) + " did not finish in " + timeoutMinutes + " minutes");
        }
        if (proc.exitValue() != 0) {
            int from = Math.max(0, lines.size() - 15);
            throw new IOException("benchmark process failed (exit " + proc.exitValue() + "):\n" + String.join("\n", lines.subList(from, lines.size())));
        }
        return lines;
    }

    private static Matcher find(List<String> lines, String regex) throws IOException {
        Pattern p = Pattern.compile(regex);
        for (String l : lines) {
            Matcher m = p.matcher(l);
            if (m.find()) {
                return m;
            }
        }
        int from = Math.max(0, lines.size() - 10);
        throw new IOException("no result line in the benchmark output:\n" + String.join("\n", lines.subList(from, lines.size())));
    }

}
