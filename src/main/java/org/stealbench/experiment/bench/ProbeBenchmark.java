package org.stealbench.experiment.bench;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.stealbench.data.DatasetRegistry;
import org.stealbench.eval.DownstreamTask;
import org.stealbench.eval.EncoderEvaluation;
import org.stealbench.eval.Features;
import org.stealbench.eval.Lbfgs;
import org.stealbench.eval.LinearProbe;
import org.stealbench.experiment.Protocol;
import org.stealbench.model.Encoder;
import org.stealbench.model.EncoderIO;

/**
 * The probe suite: the linear probe solved by L-BFGS (the default, decision 0011) against the Adam
 * schedule it replaced (decision 0007, 200 epochs), on the same cached features of the demo tasks:
 * accuracy of both, their difference (target: within 0.3 points), and the time of each fit; then
 * a whole evaluation (features, probe and kNN of every task) timed per encoder.
 */
public final class ProbeBenchmark {

    /** The largest difference to the Adam probe that issue 15 allows, in points. */
    public static final double TOLERANCE_POINTS = 0.3;

    private ProbeBenchmark() {
    }

    public static String run(DatasetRegistry registry, Path victimFile, List<Path> others, Consumer<String> log) {
        Protocol protocol = Protocol.forVictim(victimFile, registry);
        List<String> tasks = protocol.defaultTasks().stream().filter(t -> registry.find(t).isPresent()).toList();
        List<DownstreamTask> probes = protocol.tasks(tasks);
        Encoder victim = EncoderIO.load(victimFile).encoder();
        Map<String, Encoder> rows = new LinkedHashMap<>();
        rows.put("bundled victim", victim);
        for (Path o : others) {
            rows.put(o.getParent() == null ? o.toString() : o.getParent().getFileName() + "/" + o.getFileName(), EncoderIO.load(o).encoder());
        }
        rows.put("random init", new Encoder(victim.spec().withWatermark(false), 12345));
        rows.put("raw pixels", null);
        StringBuilder md = new StringBuilder("## Linear probe: L-BFGS against the Adam schedule\n\n");
        md.append("Command: `scripts/stealbench bench --suite probe").append(others.isEmpty() ? "" : " --independent ...")
                .append("`. Machine: ").append(BenchmarkReport.machine()).append(". Date: ").append(LocalDate.now()).append(".\n\n");
        md.append("Same features, same objective (softmax regression on standardised features, L2 8e-4 on weights and biases): the "
                + "Adam schedule of decision 0007 (").append(LinearProbe.EPOCHS).append(" epochs, at least ").append(LinearProbe.MIN_STEPS)
                .append(" steps, lr ").append(LinearProbe.LR).append(" cosine) against full-batch L-BFGS in double precision to a gradient "
                        + "max-norm below ").append(LinearProbe.TOLERANCE).append(" (decision 0011). ").append(BenchmarkReport.probeSizes(probes))
                .append(". Target: every L-BFGS accuracy within ").append(TOLERANCE_POINTS).append(" points of the Adam probe's.\n\n");
        md.append("| encoder | task | Adam probe | L-BFGS probe | difference (points) | Adam s | L-BFGS s | L-BFGS iterations |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        Features cache = new Features();
        double worst = 0;
        double worstPixels = 0;
        for (Map.Entry<String, Encoder> e : rows.entrySet()) {
            for (DownstreamTask t : probes) {
                INDArray trX = e.getValue() == null ? Features.pixels(t.train()) : cache.of(e.getValue(), t.train());
                INDArray teX = e.getValue() == null ? Features.pixels(t.test()) : cache.of(e.getValue(), t.test());
                int[] trY = t.train().labels();
                int[] teY = t.test().labels();
                int classes = t.train().numClasses();
                long a0 = System.nanoTime();
                double adam = LinearProbe.accuracy(trX, trY, teX, teY, classes, 1, LinearProbe.Schedule.CONVERGED);
                double adamS = (System.nanoTime() - a0) / 1e9;
                long l0 = System.nanoTime();
                double lbfgs = LinearProbe.accuracy(trX, trY, teX, teY, classes, 1, LinearProbe.Solver.LBFGS);
                double lbfgsS = (System.nanoTime() - l0) / 1e9;
                Lbfgs.Result r = LinearProbe.lastLbfgs();
                double diff = Math.round(100 * 100 * (lbfgs - adam)) / 100.0; // points, to the test set's resolution
                if (e.getValue() == null) {
                    worstPixels = Math.max(worstPixels, Math.abs(diff));
                } else {
                    worst = Math.max(worst, Math.abs(diff));
                }
                String longer = "";
                if (Math.abs(diff) > TOLERANCE_POINTS) {
                    // which of the two is at the optimum? Adam run five times longer tells
                    double adam1000 = LinearProbe.accuracy(trX, trY, teX, teY, classes, 1,
                            new LinearProbe.Schedule(LinearProbe.MAX_EPOCHS, LinearProbe.MIN_STEPS, LinearProbe.MAX_EPOCHS, LinearProbe.LR, true));
                    longer = String.format(Locale.ROOT, " (Adam with %d epochs: %.2f)", LinearProbe.MAX_EPOCHS, 100 * adam1000);
                }
                String line = String.format(Locale.ROOT, "| %s | %s | %.2f%s | %.2f | %+.2f | %.1f | %.2f | %d%s |", e.getKey(), t.name(), 100 * adam,
                        longer, 100 * lbfgs, diff, adamS, lbfgsS, r.iterations(), r.converged() ? "" : " (not converged)");
                log.accept(line);
                md.append(line).append('\n');
            }
        }
        md.append(String.format(Locale.ROOT, "%nLargest difference on encoders' features: %.2f points: target %s. On raw pixels: %.2f points "
                        + "(%s); where a difference passes the target, Adam run for %d epochs shows which side the optimum is on.%n%n", worst,
                worst <= TOLERANCE_POINTS ? "met" : "NOT met", worstPixels, worstPixels <= TOLERANCE_POINTS ? "within the target" : "outside it",
                LinearProbe.MAX_EPOCHS));
        md.append("Whole evaluation with the L-BFGS probe, fresh feature cache (features of every task's images, probe and kNN):\n\n");
        md.append("| encoder | tasks | seconds |\n|---|---|---|\n");
        for (Map.Entry<String, Encoder> e : rows.entrySet()) {
            long t0 = System.nanoTime();
            EncoderEvaluation.evaluate(e.getValue(), probes, new Features(), 1);
            String line = String.format(Locale.ROOT, "| %s | %s | %.1f |", e.getKey(), String.join(", ", tasks), (System.nanoTime() - t0) / 1e9);
            log.accept(line);
            md.append(line).append('\n');
        }
        return md.toString();
    }
}
