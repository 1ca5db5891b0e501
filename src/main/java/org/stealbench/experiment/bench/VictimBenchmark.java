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
import org.stealbench.data.ImageDataset;
import org.stealbench.eval.DownstreamTask;
import org.stealbench.experiment.Protocol;
import org.stealbench.eval.EncoderEvaluation;
import org.stealbench.eval.Features;
import org.stealbench.eval.KnnClassifier;
import org.stealbench.eval.LinearProbe;
import org.stealbench.eval.ResampledKnn;
import org.stealbench.eval.WatermarkVerifier;
import org.stealbench.model.Encoder;
import org.stealbench.model.EncoderIO;

/**
 * The victim suite: the bundled victim against a randomly initialised encoder of its
 * architecture, an independently trained SimCLR encoder without the watermark (when given) and
 * raw pixels: linear-probe and kNN accuracy on the downstream tasks, watermark accuracy through
 * the victim's MLP with its p-value, and the victim's training cost.
 */
public final class VictimBenchmark {

    /** Random MNIST splits the kNN figures are measured again on. */
    static final int RESPLITS = 20;

    private VictimBenchmark() {
    }

    public static String run(DatasetRegistry registry, Path victimFile, Path independentFile, Consumer<String> log) {
        EncoderIO.Saved victim = EncoderIO.load(victimFile);
        Protocol protocol = Protocol.forVictim(victimFile, registry);
        List<String> tasks = protocol.defaultTasks().stream().filter(t -> registry.find(t).isPresent()).toList();
        Map<String, Encoder> rows = new LinkedHashMap<>();
        rows.put("SimCLR victim (watermarked)", victim.encoder());
        EncoderIO.Saved independent = independentFile == null ? null : EncoderIO.load(independentFile);
        if (independent != null) {
            rows.put("independent SimCLR, no watermark", independent.encoder());
        }
        rows.put("random init", new Encoder(victim.encoder().spec().withWatermark(false), 12345));
        Features cache = new Features();
        ImageDataset heldOut = protocol.heldOut();
        List<DownstreamTask> probes = protocol.tasks(tasks);
        StringBuilder md = new StringBuilder("## Victim: downstream accuracy and the watermark\n\n");
        md.append("Command: `scripts/stealbench bench --suite victim").append(independentFile == null ? "" : " --independent " + independentFile)
                .append("`. Machine: ").append(BenchmarkReport.machine()).append(". Date: ").append(LocalDate.now()).append(".\n\n");
        md.append("Images (docs/protocol.md, roles drawn class-balanced with seed ").append(org.stealbench.data.Roles.SEED)
                .append("): the victim trained on ").append(protocol.victim().trainIndices().length).append(" ")
                .append(protocol.victimDataset()).append(" training images; ").append(BenchmarkReport.probeSizes(probes))
                .append("; held-out images for the watermark: ").append(heldOut.size()).append(" of ").append(protocol.victimDataset())
                .append(". Linear probe: softmax regression on standardised features, L2 ").append(LinearProbe.WEIGHT_DECAY)
                .append(", solved to its optimum by L-BFGS (decision 0011); kNN: cosine, k = 20. Watermark: ").append(Math.min(WatermarkVerifier.IMAGES,
                        heldOut.size())).append(" held-out images rotated at random, through the victim's MLP; one-sided binomial test against 50%.\n\n");
        md.append("| encoder |");
        for (String t : tasks) {
            md.append(' ').append(t).append(" linear | ").append(t).append(" kNN |");
        }
        md.append(" watermark acc | p-value |\n|---|").append("---|---|".repeat(tasks.size())).append("---|---|\n");
        Map<String, Double> mnistKnn = new LinkedHashMap<>();
        for (Map.Entry<String, Encoder> e : rows.entrySet()) {
            log.accept("evaluating " + e.getKey() + " ...");
            List<EncoderEvaluation.TaskResult> r = EncoderEvaluation.evaluate(e.getValue(), probes, cache, 1);
            if (tasks.contains("mnist")) {
                mnistKnn.put(e.getKey(), r.get(tasks.indexOf("mnist")).knn());
            }
            WatermarkVerifier.Result w = WatermarkVerifier.verify(e.getValue(), victim.encoder().watermark(), heldOut,
                    WatermarkVerifier.IMAGES, 7);
            String line = row(e.getKey(), r) + String.format(Locale.ROOT, " %.1f | %s |", 100 * w.accuracy(), org.stealbench.eval.Metrics.formatP(w.pValue()));
            log.accept(line);
            md.append(line).append('\n');
        }
        log.accept("evaluating raw pixels ...");
        List<EncoderEvaluation.TaskResult> pixels = EncoderEvaluation.evaluate(null, probes, cache, 1);
        md.append(row("raw pixels", pixels)).append(" - | - |\n");
        if (tasks.contains("mnist")) {
            mnistKnn.put("raw pixels", pixels.get(tasks.indexOf("mnist")).knn());
            // How much the MNIST kNN figures owe to the one split: the same features, other random splits
            DownstreamTask mnist = probes.get(tasks.indexOf("mnist"));
            md.append("\nMNIST kNN over ").append(RESPLITS).append(" other random splits of the same probe digits (the test split's share "
                    + "of each class drawn at random, the rest for training; same features): one split moves kNN accuracy by about half a "
                    + "point, so compare figures of different splits with these.\n\n");
            md.append("| encoder | MNIST kNN, the split above | mean over the splits | sd | min - max |\n|---|---|---|---|---|\n");
            Map<String, Encoder> withPixels = new LinkedHashMap<>(rows);
            withPixels.put("raw pixels", null);
            for (Map.Entry<String, Encoder> e : withPixels.entrySet()) {
                Encoder enc = e.getValue();
                INDArray trX = enc == null ? Features.pixels(mnist.train()) : cache.of(enc, mnist.train());
                INDArray teX = enc == null ? Features.pixels(mnist.test()) : cache.of(enc, mnist.test());
                ResampledKnn.Result rs = ResampledKnn.run(trX, mnist.train().labels(), teX, mnist.test().labels(), mnist.train().numClasses(),
                        KnnClassifier.K, RESPLITS, 2026);
                md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f - %.1f |%n", e.getKey(), 100 * mnistKnn.get(e.getKey()),
                        100 * rs.mean(), 100 * rs.sd(), 100 * rs.min(), 100 * rs.max()));
            }
        }
        md.append("\nThe comparison with the PyTorch run (issue 4) used the earlier fixed splits (probes on Fashion-MNIST training images "
                + "10,000-19,999, tested on the last 2,000 test images) and is in this file's history at commit e02e841; its figures "
                + "do not carry over to the protocol's class-balanced draws.\n\n");
        Map<String, Object> p = victim.provenance();
        double wall = p.get("wallSeconds") instanceof Number n ? n.doubleValue() : Double.NaN;
        int epochs = p.get("epochsCompleted") instanceof Number n ? n.intValue() : 0;
        md.append(String.format(Locale.ROOT, "Victim training cost: %s s wall time for %s epochs on %s images (%.1f s per epoch; %s images "
                        + "through the encoder, views and rotations counted), backend %s.%n",
                p.get("wallSeconds"), p.get("epochsCompleted"), p.get("trainImages"), wall / Math.max(1, epochs), p.get("imagesThroughEncoder"),
                p.get("backend") instanceof Map<?, ?> b ? b.get("native build") : p.get("backend")));
        if (independent != null) {
            Map<String, Object> q = independent.provenance();
            md.append(String.format(Locale.ROOT, "Independent SimCLR: %s s for %s epochs (same command with --no-watermark and seed %s).%n",
                    q.get("wallSeconds"), q.get("epochsCompleted"),
                    q.get("config") instanceof Map<?, ?> c ? c.get("seed") : "?"));
        }
        return md.toString();
    }


    private static String row(String name, List<EncoderEvaluation.TaskResult> results) {
        StringBuilder sb = new StringBuilder("| ").append(name).append(" |");
        for (EncoderEvaluation.TaskResult r : results) {
            sb.append(String.format(Locale.ROOT, " %.1f | %.1f |", 100 * r.linear(), 100 * r.knn()));
        }
        return sb.toString();
    }
}
