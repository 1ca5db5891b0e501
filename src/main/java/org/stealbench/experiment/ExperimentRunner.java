package org.stealbench.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.stealbench.api.InProcessEncoderApi;
import org.stealbench.attack.QuerySet;
import org.stealbench.attack.StealConfig;
import org.stealbench.attack.StealingTrainer;
import org.stealbench.data.DatasetRegistry;
import org.stealbench.data.ImageDataset;
import org.stealbench.eval.DownstreamTask;
import org.stealbench.eval.EncoderEvaluation;
import org.stealbench.eval.Features;
import org.stealbench.eval.Fidelity;
import org.stealbench.eval.LinearProbe;
import org.stealbench.eval.Metrics;
import org.stealbench.eval.WatermarkVerifier;
import org.stealbench.model.Encoder;
import org.stealbench.model.EncoderIO;
import org.stealbench.model.NativeBackend;
import org.stealbench.model.train.Cancellation;
import org.stealbench.model.train.TrainEvent;
import org.stealbench.model.train.TrainStatus;

/**
 * Runs one stealing experiment end to end and writes its results folder: config.json,
 * provenance.json, metrics.csv (loss and live metrics per epoch), summary.csv and the stolen
 * encoder. The folder is built under a temporary name and renamed when complete, so a crash or a
 * cancel never leaves a half-written result. Until the run completes, its bank of answers and
 * per-epoch checkpoints live in {@code .checkpoints/} under the results root: running the same
 * experiment again after a cancel or a crash resumes it without querying the API again.
 */
public final class ExperimentRunner {

    /** Hidden folder under the results root that holds unfinished runs' checkpoints. */
    public static final String CHECKPOINTS = ".checkpoints";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ExperimentRunner() {
    }

    /** What to do besides the theft itself. */
    public record Options(boolean liveMetrics, boolean checkpoints) {
        public static final Options BATCH = new Options(false, true);
        public static final Options LIVE = new Options(true, true);
    }

    public static Path victimFile(ExperimentConfig cfg, DatasetRegistry registry) {
        return cfg.victim().equals(ExperimentConfig.BUNDLED)
                ? registry.roots().sampleData().resolve("victim-fashion-mnist/victim.zip")
                : Path.of(cfg.victim());
    }

    /** The encoder to contrast with in the watermark chart: the bundled independent SimCLR encoder for the bundled victim. */
    static Path independentFile(ExperimentConfig cfg, DatasetRegistry registry) {
        Path p = registry.roots().sampleData().resolve("independent-fashion-mnist/victim.zip");
        return cfg.victim().equals(ExperimentConfig.BUNDLED) && Files.isRegularFile(p) ? p : null;
    }

    /**
     * Where an unfinished run of {@code cfg} keeps its checkpoints: named by the configuration and
     * the victim file's contents, so a replaced victim (e.g. a new bundled one) never resumes from
     * answers the old one gave.
     */
    public static Path checkpointDir(ExperimentConfig cfg, DatasetRegistry registry, Path resultsRoot) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(cfg.toJson().getBytes(StandardCharsets.UTF_8));
            Path victim = victimFile(cfg, registry);
            if (Files.isRegularFile(victim)) {
                try (InputStream in = Files.newInputStream(victim)) {
                    byte[] buf = new byte[1 << 16];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        md.update(buf, 0, n);
                    }
                }
            }
            // and of the query images: the same dataset id may hold other images (a rebuilt sample, another source)
            md.update(QuerySet.draw(cfg.stealingDataset(), cfg.queries(), registry).rawPixels());
            return resultsRoot.resolve(CHECKPOINTS).resolve(HexFormat.of().formatHex(md.digest(), 0, 8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ExperimentResult run(ExperimentConfig cfg, DatasetRegistry registry, ExperimentListener listener, Cancellation cancel,
                                       Path resultsRoot) throws IOException {
        return run(cfg, registry, listener, cancel, resultsRoot, Options.BATCH);
    }

    public static ExperimentResult run(ExperimentConfig cfg, DatasetRegistry registry, ExperimentListener listener, Cancellation cancel,
                                       Path resultsRoot, Options options) throws IOException {
        long t0 = System.nanoTime();
        ExperimentResult r;
        try {
            r = runInner(cfg, registry, listener, cancel, resultsRoot, options, t0);
        } finally {
            NativeBackend.releaseMemory();
        }
        listener.on(new ExperimentEvent.Done(r));
        return r;
    }

    private static ExperimentResult runInner(ExperimentConfig cfg, DatasetRegistry registry, ExperimentListener listener,
                                             Cancellation cancel, Path resultsRoot, Options options, long t0) throws IOException {
        listener.on(new ExperimentEvent.Phase("loading the victim"));
        Encoder victim = EncoderIO.load(victimFile(cfg, registry)).encoder();
        StealConfig sc = cfg.stealConfig();
        InProcessEncoderApi api = new InProcessEncoderApi(victim, sc.queriesNeeded(), false, List.of());
        ImageDataset queries = QuerySet.draw(cfg.stealingDataset(), cfg.queries(), registry);
        String monitorTask = cfg.tasks().isEmpty() ? "fashion-mnist" : cfg.tasks().get(0);
        LiveMonitor monitor = null;
        if (options.liveMetrics()) {
            listener.on(new ExperimentEvent.Phase("measuring the baselines"));
            monitor = new LiveMonitor(victim, DownstreamTask.of(monitorTask, registry));
            Path indep = independentFile(cfg, registry);
            Encoder other = indep != null ? EncoderIO.load(indep).encoder() : new Encoder(victim.spec().withWatermark(false), cfg.seed() + 999);
            WatermarkVerifier.Result vw = monitor.watermark(victim);
            WatermarkVerifier.Result ow = monitor.watermark(other);
            Encoder random = new Encoder(StealingTrainer.stolenSpec(sc, api, queries), cfg.seed() + 777);
            listener.on(new ExperimentEvent.Baselines(monitor.knn(victim), vw == null ? Double.NaN : vw.accuracy(),
                    indep != null ? "independent SimCLR" : "random init", ow == null ? Double.NaN : ow.accuracy(), monitor.cosine(random)));
        }
        listener.on(new ExperimentEvent.Phase("querying the API"));
        Path ckpt = options.checkpoints() ? checkpointDir(cfg, registry, resultsRoot) : null;
        LiveMonitor live = monitor;
        Encoder[] current = {null};
        java.util.function.LongSupplier[] used = {() -> api.account("attacker").answered()};
        List<ExperimentEvent.EpochMetrics> liveRows = new java.util.ArrayList<>();
        StealingTrainer.Result stolen = StealingTrainer.steal(sc, api, queries, e -> {
            if (e instanceof TrainEvent.Started) {
                listener.on(new ExperimentEvent.Queried(used[0].getAsLong(), sc.queriesNeeded()));
                listener.on(new ExperimentEvent.Phase("training the copy"));
            }
            listener.on(new ExperimentEvent.Training(e));
            if (e instanceof TrainEvent.EpochEnd end) {
                if (cfg.requery()) {
                    listener.on(new ExperimentEvent.Queried(used[0].getAsLong(), sc.queriesNeeded()));
                }
                if (live != null && current[0] != null) {
                    ExperimentEvent.EpochMetrics m = live.measure(current[0], end.epoch(), cfg.epochs(), end.meanLoss());
                    liveRows.add(m);
                    listener.on(m);
                }
            }
        }, cancel, ckpt, (s, q) -> {
            current[0] = s;
            used[0] = q;
        });
        TrainStatus status = stolen.finished().status();
        if (status != TrainStatus.COMPLETED) {
            if (status == TrainStatus.FAILED && ckpt != null) {
                deleteTree(ckpt);
            }
            return ExperimentResult.failed(cfg, status.name(), stolen.queriesUsed(), (System.nanoTime() - t0) / 1e9)
                    .withMessage(stolen.finished().message());
        }
        double trainSeconds = stolen.finished().seconds();
        listener.on(new ExperimentEvent.Phase("evaluating the copy"));
        Features cache = new Features();
        List<EncoderEvaluation.TaskResult> tasks = EncoderEvaluation.evaluate(stolen.stolen(), cfg.tasks(), registry, cache, cfg.seed());
        DownstreamTask fm = DownstreamTask.of("fashion-mnist", registry);
        ImageDataset heldOut = fm.test();
        INDArray stolenHeld = cache.of(stolen.stolen(), heldOut);
        INDArray victimHeld = cache.of(victim, heldOut);
        double cosine = Fidelity.meanCosine(stolenHeld, victimHeld);
        double cka = Fidelity.linearCka(stolenHeld, victimHeld);
        Encoder random = new Encoder(stolen.stolen().spec(), cfg.seed() + 777);
        double floor = Fidelity.meanCosine(cache.of(random, heldOut), victimHeld);
        double plugIn = Double.NaN;
        double agreement = Double.NaN;
        if (stolenHeld.size(1) == victimHeld.size(1)) {
            LinearProbe.Head head = LinearProbe.fit(cache.of(victim, fm.train()), fm.train().labels(), fm.train().numClasses(), cfg.seed());
            int[] onStolen = head.predict(stolenHeld);
            plugIn = Metrics.accuracy(onStolen, heldOut.labels());
            agreement = Metrics.accuracy(onStolen, head.predict(victimHeld));
        }
        double wmAcc = Double.NaN;
        double wmP = Double.NaN;
        if (victim.watermark() != null) {
            WatermarkVerifier.Result w = WatermarkVerifier.verify(stolen.stolen(), victim.watermark(), heldOut, WatermarkVerifier.IMAGES, 7);
            wmAcc = w.accuracy();
            wmP = w.pValue();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        ExperimentResult partial = new ExperimentResult(cfg, "COMPLETED", "completed", tasks, cosine, floor, cka, plugIn, agreement, wmAcc,
                wmP, stolen.queriesUsed(), trainSeconds, seconds, null);
        listener.on(new ExperimentEvent.Phase("writing the results"));
        Path folder = write(partial, stolen, liveRows, resultsRoot, registry);
        if (ckpt != null) {
            deleteTree(ckpt);
        }
        return partial.withFolder(folder);
    }

    private static Path write(ExperimentResult r, StealingTrainer.Result stolen, List<ExperimentEvent.EpochMetrics> live, Path root,
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
            prov.put("training", StealingTrainer.trainConfig(cfg.stealConfig()));
            prov.put("queriesUsed", r.queriesUsed());
            prov.put("stealingSeconds", Math.round(r.trainSeconds() * 10) / 10.0);
            prov.put("totalSeconds", Math.round(r.seconds() * 10) / 10.0);
            prov.put("backend", NativeBackend.describe());
            prov.put("java", System.getProperty("java.version"));
            prov.put("finished", java.time.Instant.now().toString());
            Files.write(tmp.resolve("provenance.json"), JSON.writeValueAsBytes(prov));
            Files.writeString(tmp.resolve("metrics.csv"), ResultSummary.metricsCsv(stolen.epochLoss(), live), StandardCharsets.UTF_8);
            Files.writeString(tmp.resolve("summary.csv"), ResultSummary.toCsv(r), StandardCharsets.UTF_8);
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

    /** Deletes {@code dir} and everything under it (nothing if it does not exist). */
    public static void deleteTree(Path dir) throws IOException {
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
