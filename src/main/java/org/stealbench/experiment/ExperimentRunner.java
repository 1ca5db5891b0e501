package org.stealbench.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.stealbench.api.InProcessEncoderApi;
import org.stealbench.attack.QuerySet;
import org.stealbench.attack.StealingTrainer;
import org.stealbench.data.DatasetRegistry;
import org.stealbench.data.ImageDataset;
import org.stealbench.eval.DownstreamTask;
import org.stealbench.eval.EncoderEvaluation;
import org.stealbench.eval.Features;
import org.stealbench.eval.KnnClassifier;
import org.stealbench.eval.WatermarkVerifier;
import org.stealbench.model.Encoder;
import org.stealbench.model.EncoderIO;
import org.stealbench.model.EncoderSpec;
import org.stealbench.model.NativeBackend;
import org.stealbench.model.train.Cancellation;
import org.stealbench.model.train.TrainListener;
import org.stealbench.model.train.TrainStatus;

/**
 * Runs one stealing experiment end to end and writes its results folder: config.json,
 * provenance.json, metrics.csv (loss per epoch), summary.csv and the stolen encoder. The folder
 * is built under a temporary name and renamed when complete, so a crash or a cancel never leaves
 * a half-written result (a cancelled run writes nothing).
 */
public final class ExperimentRunner {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ExperimentRunner() {
    }

    public static Path victimFile(ExperimentConfig cfg, DatasetRegistry registry) {
        return cfg.victim().equals(ExperimentConfig.BUNDLED)
                ? registry.roots().sampleData().resolve("victim-fashion-mnist/victim.zip")
                : Path.of(cfg.victim());
    }

    public static ExperimentResult run(ExperimentConfig cfg, DatasetRegistry registry, TrainListener listener, Cancellation cancel,
                                       Path resultsRoot) throws IOException {
        long t0 = System.nanoTime();
        Encoder victim = EncoderIO.load(victimFile(cfg, registry)).encoder();
        InProcessEncoderApi api = new InProcessEncoderApi(victim, cfg.queries(), false, List.of());
        ImageDataset queries = QuerySet.draw(cfg.stealingDataset(), cfg.queries(), registry);
        StealingTrainer.Result stolen = StealingTrainer.steal(cfg.stealConfig(), api, queries, listener, cancel);
        if (stolen.finished().status() != TrainStatus.COMPLETED) {
            return new ExperimentResult(cfg, stolen.finished().status().name(), List.of(), Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, stolen.queriesUsed(), (System.nanoTime() - t0) / 1e9, null);
        }
        double trainSeconds = stolen.finished().seconds();
        Features cache = new Features();
        List<EncoderEvaluation.TaskResult> tasks = EncoderEvaluation.evaluate(stolen.stolen(), cfg.tasks(), registry, cache, cfg.seed());
        ImageDataset heldOut = DownstreamTask.of("fashion-mnist", registry).test();
        double cosine = KnnClassifier.meanCosine(cache.of(stolen.stolen(), heldOut), cache.of(victim, heldOut));
        EncoderSpec s = stolen.stolen().spec();
        Encoder random = new Encoder(s, cfg.seed() + 777);
        double floor = KnnClassifier.meanCosine(cache.of(random, heldOut), cache.of(victim, heldOut));
        double wmAcc = Double.NaN;
        double wmP = Double.NaN;
        if (victim.watermark() != null) {
            WatermarkVerifier.Result w = WatermarkVerifier.verify(stolen.stolen(), victim.watermark(), heldOut, WatermarkVerifier.IMAGES, 7);
            wmAcc = w.accuracy();
            wmP = w.pValue();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        ExperimentResult partial = new ExperimentResult(cfg, "COMPLETED", tasks, cosine, floor, wmAcc, wmP, stolen.queriesUsed(), seconds, null);
        Path folder = write(partial, stolen, trainSeconds, resultsRoot, registry);
        return new ExperimentResult(cfg, "COMPLETED", tasks, cosine, floor, wmAcc, wmP, stolen.queriesUsed(), seconds, folder);
    }

    private static Path write(ExperimentResult r, StealingTrainer.Result stolen, double trainSeconds, Path root,
                              DatasetRegistry registry) throws IOException {
        Files.createDirectories(root);
        ExperimentConfig cfg = r.config();
        String name = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" + cfg.loss() + "-"
                + cfg.stealingDataset().replaceAll("[^A-Za-z0-9-]", "_") + "-" + cfg.queries();
        Path tmp = Files.createTempDirectory(root, ".tmp-" + name);
        try {
            Files.writeString(tmp.resolve("config.json"), cfg.toJson(), StandardCharsets.UTF_8);
            Map<String, Object> prov = new LinkedHashMap<>();
            prov.put("victim", victimFile(cfg, registry).toString());
            prov.put("queriesUsed", r.queriesUsed());
            prov.put("stealingSeconds", Math.round(trainSeconds * 10) / 10.0);
            prov.put("totalSeconds", Math.round(r.seconds() * 10) / 10.0);
            prov.put("backend", NativeBackend.describe());
            prov.put("java", System.getProperty("java.version"));
            prov.put("finished", java.time.Instant.now().toString());
            Files.write(tmp.resolve("provenance.json"), JSON.writeValueAsBytes(prov));
            StringBuilder m = new StringBuilder("epoch,loss\n");
            for (int i = 0; i < stolen.epochLoss().size(); i++) {
                m.append(i + 1).append(',').append(String.format(Locale.ROOT, "%.6f", stolen.epochLoss().get(i))).append('\n');
            }
            Files.writeString(tmp.resolve("metrics.csv"), m, StandardCharsets.UTF_8);
            StringBuilder sum = new StringBuilder("metric,value\n");
            for (EncoderEvaluation.TaskResult t : r.tasks()) {
                sum.append(t.task()).append("_linear,").append(fmt(t.linear())).append('\n');
                sum.append(t.task()).append("_knn,").append(fmt(t.knn())).append('\n');
            }
            sum.append("fidelity_cosine,").append(fmt(r.cosine())).append('\n');
            sum.append("fidelity_cosine_random_floor,").append(fmt(r.cosineFloor())).append('\n');
            sum.append("watermark_accuracy,").append(fmt(r.watermarkAccuracy())).append('\n');
            sum.append("watermark_p_value,").append(String.format(Locale.ROOT, "%.3g", r.watermarkP())).append('\n');
            sum.append("queries_used,").append(r.queriesUsed()).append('\n');
            sum.append("seconds,").append(fmt(r.seconds())).append('\n');
            Files.writeString(tmp.resolve("summary.csv"), sum, StandardCharsets.UTF_8);
            EncoderIO.save(stolen.stolen(), prov, tmp.resolve("stolen.zip"));
            Path target = root.resolve(name);
            for (int k = 2; Files.exists(target); k++) {
                target = root.resolve(name + "-" + k);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException | RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

}
