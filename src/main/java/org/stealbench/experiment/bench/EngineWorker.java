package org.stealbench.experiment.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stealbench.model.NativeBackend;
import org.stealbench.model.nn.Network;
import org.stealbench.model.nn.Profiler;
import org.stealbench.model.train.AdamOptimizer;
import org.stealbench.model.train.BatchLoss;

/**
 * Runs one workload in its own JVM (so peak memory is the workload's own) with the peer's
 * protocol: 3 warm-up steps, then 5 windows of 10 steps; prints one RESULT line.
 * {@code EngineWorker WORKLOAD [profile]}.
 */
public final class EngineWorker {

    static final int WARMUP = 3;
    static final int WINDOWS = 5;
    static final int STEPS = 10;

    private EngineWorker() {
    }

    public static void main(String[] args) throws IOException {
        NativeBackend.configure();
        EngineWorkload w = EngineWorkload.of(args[0]);
        boolean profile = args.length > 1 && args[1].equals("profile");
        Nd4j.getRandom().setSeed(0);
        Network net = new Network(w.network(), new long[] {w.channels(), 32, 32}, 0);
        AdamOptimizer opt = new AdamOptimizer(net.params(), 0);
        BatchLoss loss = w.loss();
        INDArray x = Nd4j.rand(DataType.FLOAT, w.batch, w.channels(), 32, 32);
        INDArray y = Nd4j.randn(DataType.FLOAT, w.batch, w.outputDim());
        INDArray g = Nd4j.create(DataType.FLOAT, w.batch, w.outputDim());
        long[] step = {0};
        Runnable train = () -> {
            net.params().zeroGrads();
            INDArray out = net.forward(x, true);
            loss.evaluate(out, y, g);
            net.backward(g);
            opt.step(net.params(), 1e-3, step[0]++);
        };
        for (int i = 0; i < WARMUP; i++) {
            train.run();
        }
        if (profile) {
            Profiler.enable(true);
            Profiler.reset();
        }
        double[] windows = new double[WINDOWS];
        for (int k = 0; k < WINDOWS; k++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < STEPS; i++) {
                train.run();
            }
            windows[k] = (System.nanoTime() - t0) / 1e9;
        }
        double[] sorted = windows.clone();
        Arrays.sort(sorted);
        double med = sorted[WINDOWS / 2];
        List<String> ws = new ArrayList<>();
        for (double s : windows) {
            ws.add(String.format(Locale.ROOT, "%.1f", s / STEPS * 1e3));
        }
        System.out.printf(Locale.ROOT, "RESULT %s %.1f %.2f %.0f %s%n", w.key, w.batch * STEPS / med, med / STEPS * 1e3,
                peakRssMb(), String.join(",", ws));
        if (profile) {
            int steps = WINDOWS * STEPS;
            for (Map.Entry<String, double[]> e : Profiler.times().entrySet()) {
                System.out.printf(Locale.ROOT, "PROFILE %s %.2f %.2f%n", e.getKey(), e.getValue()[0] / steps, e.getValue()[1] / steps);
            }
        }
    }

    /** Peak resident set size of this process (VmHWM), in MiB. */
    static double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return Double.NaN;
    }
}
