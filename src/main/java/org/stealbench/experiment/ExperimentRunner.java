package org.stealbench.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.stealbench.api.InProcessEncoderApi;
import org.stealbench.api.QueryAccount;
import org.stealbench.attack.StealConfig;
import org.stealbench.attack.StealingTrainer;
import org.stealbench.data.DatasetRegistry;
import org.stealbench.data.ImageDataset;
import org.stealbench.data.Roles;
import org.stealbench.data.format.DataFiles;
import org.stealbench.eval.DownstreamTask;
import org.stealbench.eval.EncoderEvaluation;
import org.stealbench.eval.FeatureStore;
import org.stealbench.eval.Features;
import org.stealbench.eval.Fidelity;
import org.stealbench.eval.LinearProbe;
import org.stealbench.eval.Metrics;
import org.stealbench.eval.WatermarkVerifier;
import org.stealbench.model.Encoder;
import org.stealbench.model.EncoderIO;
import org.stealbench.model.EncoderSpec;
import org.stealbench.model.ImageEncoder;
import org.stealbench.model.NativeBackend;
import org.stealbench.model.train.Cancellation;
import org.stealbench.model.train.TrainEvent;
import org.stealbench.model.train.TrainStatus;

/**
 * Runs one stealing experiment end to end on the images its {@link Protocol} assigns and writes
 * its results folder through {@link ResultsFolder}: config.json, results.json (the typed
 * {@link TheftRecord}: result, roles of images, provenance, every epoch), summary.csv and
 * metrics.csv derived from it, and the stolen encoder. Until the run completes, its bank of
 * answers, per-epoch checkpoints and epoch history live in {@code .checkpoints/} under the results
 * root: running the same experiment again after a cancel, a kill or a crash resumes it without
 * querying the API again, and its metrics hold every epoch once.
 */
public final class ExperimentRunner {

    /** Hidden folder under the results root that holds unfinished runs' checkpoints. */
    public static final String CHECKPOINTS = ".checkpoints";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ExperimentRunner() {
    }

    /** What to do besides the theft itself. */
    public record Options(boolean liveMetrics, boolean checkpoints, List<String> apiKeys) {
        public static final Options BATCH = new Options(false, true);
        public static final Options LIVE = new Options(true, true);

        /** The keys a theft from a remote API (the experiment's {@code api}) sends: {@value #API_KEY_ENV}, comma-separated. */
        public static final String API_KEY_ENV = "STEALBENCH_API_KEY";

        public Options {
            apiKeys = List.copyOf(apiKeys);
        }

        /** With the API keys from {@value #API_KEY_ENV} (none when it is unset). */
        public Options(boolean liveMetrics, boolean checkpoints) {
            this(liveMetrics, checkpoints, keysFromEnvironment());
        }

        /** The same options with these keys for a remote API (kept out of the experiment: results folders hold no secrets). */
        public Options withApiKeys(List<String> keys) {
            return new Options(liveMetrics, checkpoints, keys);
        }

        private static List<String> keysFromEnvironment() {
            String v = System.getenv(API_KEY_ENV);
            return v == null || v.isBlank() ? List.of()
                    : java.util.Arrays.stream(v.split(",")).map(String::trim).filter(k -> !k.isEmpty()).toList();
        }

        @Override
        public String toString() {
            return "Options[liveMetrics=" + liveMetrics + ", checkpoints=" + checkpoints + ", apiKeys=" + apiKeys.size() + "]";
        }
    }

    /**
     * The attacker's view of a remote API: an HTTP client on the experiment's {@code api} whose
     * attacker keys ({@code attacker}, or {@code attacker-1 ... attacker-k} for sybils) are the given API keys.
     */
    static org.stealbench.api.EncoderApi remoteApi(ExperimentConfig cfg, Options options) {
        List<String> keys = options.apiKeys(); // as many as the sybils: checked before the run starts
        Map<String, String> byClient = new LinkedHashMap<>();
        for (int i = 0; i < cfg.sybils(); i++) {
            byClient.put(org.stealbench.attack.Attacker.keyOf(i, cfg.sybils()), keys.get(i));
        }
        return new org.stealbench.api.http.HttpEncoderApi(java.net.URI.create(cfg.api()), byClient);
    }

    /**
     * A feature cache for one run that keeps the victim's features in the user's {@link FeatureStore}
     * (named by the victim file's SHA-256): every theft of a victim evaluates against its features
     * on the same protocol images, so only the first computes them.
     */
    static Features victimFeatures(ImageEncoder victim, Path file) {
        FeatureStore store = FeatureStore.standard();
        Features cache = new Features(store);
        if (store != null && Files.isRegularFile(file)) {
            cache.keepOnDisk(victim, "victim file sha-256 " + sha256(file));
        }
        return cache;
    }

    private static String sha256(Path file) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            digestFile(md, file);
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("could not read the victim file " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void digestFile(MessageDigest md, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
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
        return checkpointDir(cfg, registry, resultsRoot, Protocol.of(cfg, registry).queries(cfg.stealingDataset(), cfg.queries()));
    }

    private static Path checkpointDir(ExperimentConfig cfg, DatasetRegistry registry, Path resultsRoot, ImageDataset queries)
            throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(cfg.toJson().getBytes(StandardCharsets.UTF_8));
            Path victim = victimFile(cfg, registry);
            if (Files.isRegularFile(victim)) {
                digestFile(md, victim);
            }
            // and of the query images: the same dataset id may hold other images (a rebuilt sample, another source)
            md.update(queries.rawPixels());
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
        ResultsFolder.removeStale(resultsRoot);
        List<String> problems = new java.util.ArrayList<>(Protocol.problems(cfg, registry));
        if (cfg.api() != null && options.apiKeys().size() < cfg.sybils()) {
            problems.add("stealing from " + cfg.api() + " with " + cfg.sybils() + " key(s) needs as many API keys in $" + Options.API_KEY_ENV
                    + " (comma-separated); it holds " + options.apiKeys().size());
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        // the protocol and the query draw once per run: the checkpoint's name and the theft use the same images
        Protocol protocol = Protocol.of(cfg, registry);
        ImageDataset queries = protocol.queries(cfg.stealingDataset(), cfg.queries());
        Path ckpt = options.checkpoints() ? checkpointDir(cfg, registry, resultsRoot, queries) : null;
        Path logFile = ckpt != null ? ckpt.resolve(RUN_LOG) : Files.createTempFile("stealbench-run", ".log");
        // what the run allocates off-heap (encoders, cached features), freed when it ends however it ends
        java.util.Deque<AutoCloseable> owned = new java.util.ArrayDeque<>();
        try (RunLog log = RunLog.open(logFile)) {
            LOG.info("theft {} (seed {}), victim {}", cfg.label(), cfg.seed(), victimFile(cfg, registry));
            try {
                r = runInner(cfg, registry, listener, cancel, resultsRoot, options, t0, ckpt, log, protocol, queries, owned);
            } catch (IOException | RuntimeException e) {
                LOG.error("the run failed", e);
                Path kept = keepFailure(cfg, log, resultsRoot);
                throw new IllegalStateException(e.getMessage() + (kept == null ? "" : " (details in " + kept.resolve(RUN_LOG) + ")"), e);
            }
        } finally {
            closeAll(owned);
            if (ckpt == null) {
                Files.deleteIfExists(logFile);
            }
            NativeBackend.releaseMemory();
        }
        listener.on(new ExperimentEvent.Done(r, Job.Outcome.of(r)));
        return r;
    }

    /** Closes what a run owns, newest first; one failing to close does not keep the others open. */
    static void closeAll(java.util.Deque<AutoCloseable> owned) {
        while (!owned.isEmpty()) {
            try {
                owned.pop().close();
            } catch (Exception e) {
                LOG.warn("could not free a run's memory: {}", e.getMessage());
            }
        }
    }

    /** The run's log file, beside its checkpoint while it runs and in its results folder when it ends. */
    public static final String RUN_LOG = "run.log";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ExperimentRunner.class);

    /** A failed run leaves its configuration and log in a folder of its own (results browsers skip it); null if that fails too. */
    private static Path keepFailure(ExperimentConfig cfg, RunLog log, Path root) {
        try {
            byte[] text = log.contents();
            Map<String, DataFiles.Writer> files = new LinkedHashMap<>();
            files.put("config.json", o -> o.write(cfg.toJson().getBytes(StandardCharsets.UTF_8)));
            files.put(RUN_LOG, o -> o.write(text));
            return ResultsFolder.create(root, folderName(cfg) + "-failed", files);
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not keep the failed run's log: {}", e.getMessage());
            return null;
        }
    }

    private static String folderName(ExperimentConfig cfg) {
        return LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" + cfg.loss() + "-"
                + cfg.stealingDataset().replaceAll("[^A-Za-z0-9-]", "_") + "-" + cfg.queries();
    }

    /** Announces a phase: to the listener, the provenance's clock and the run's log (with the engine's native arrays open). */
    private static void phase(ExperimentListener listener, RunProvenance.Recorder clock, String name, String text) {
        clock.phase(name);
        LOG.info("{} (engine arrays open: {} MB)", text, org.stealbench.model.nn.NativeArrays.openBytes() >> 20);
        listener.on(new ExperimentEvent.Phase(name, text));
    }

    private static void evaluating(ExperimentListener listener, String what, int step, int steps) {
        LOG.info("evaluating ({}/{}): {}", step, steps, what);
        listener.on(new ExperimentEvent.Evaluating(what, step, steps));
    }

    /** The file that keeps a theft's per-epoch history in its checkpoint folder, so a resumed run writes every epoch once. */
    static final String HISTORY = "epochs.json";

    private static ExperimentResult runInner(ExperimentConfig cfg, DatasetRegistry registry, ExperimentListener listener,
                                             Cancellation cancel, Path resultsRoot, Options options, long t0, Path ckpt, RunLog log,
                                             Protocol protocol, ImageDataset queries, java.util.Deque<AutoCloseable> owned)
            throws IOException {
        RunProvenance.Recorder clock = new RunProvenance.Recorder("theft", cfg.label(), cfg.seed(), Roles.SEED);
        phase(listener, clock, "loading", "loading the victim and the protocol's images");
        EncoderIO.Opened savedVictim = EncoderIO.open(victimFile(cfg, registry));
        ImageEncoder victim = savedVictim.encoder();
        owned.push(victim);
        listener.on(ExperimentEvent.VictimCost.of(savedVictim.provenance()));
        StealConfig sc = cfg.stealConfig();
        Features cache = victimFeatures(victim, victimFile(cfg, registry));
        owned.push(cache);
        List<org.stealbench.api.Defense> chain = defenses(cfg, victim, protocol, cache);
        ImageDataset honestImages = chain.isEmpty() ? null : protocol.honest(protocol.victimDataset());
        // every key may send what the attacker needs; the honest user sends its images and the task's test images
        long budget = chain.isEmpty() ? sc.queriesNeeded() : Math.max(sc.queriesNeeded(), honestImages.size() + victimTaskTestSize(protocol));
        InProcessEncoderApi local = cfg.api() == null ? new InProcessEncoderApi(victim, budget, false, chain) : null;
        org.stealbench.api.EncoderApi served = local != null ? local : remoteApi(cfg, options);
        // a live run shows what the attacker sends and gets back
        org.stealbench.api.EncoderApi attackerApi = options.liveMetrics() ? new WatchedApi(served, listener) : served;
        InProcessEncoderApi api = local;
        if (!chain.isEmpty()) {
            api.afterRequest(key -> listener.on(new ExperimentEvent.DefenseState(key, api.sent(key), api.account(key), api.defenseState(key))));
        }
        DownstreamTask victimTask = protocol.victimTask();
        ImageDataset heldOut = protocol.heldOut();
        LOG.info("roles of images: {}", protocol.describe(cfg.stealingDataset(), cfg.tasks()));
        TreeMap<Integer, ExperimentEvent.EpochMetrics> history = readHistory(ckpt);
        LiveMonitor monitor = null;
        ExperimentEvent.Baselines baselines = null;
        if (options.liveMetrics()) {
            phase(listener, clock, "baselines", "measuring the baselines");
            monitor = new LiveMonitor(victim, victimTask, heldOut);
            owned.push(monitor);
            Path indep = independentFile(cfg, registry);
            EncoderSpec randomSpec = StealingTrainer.stolenSpec(sc, attackerApi, queries);
            // the other encoder of the watermark chart: the bundled independent one, else a random one of the victim's kind
            EncoderSpec otherSpec = victim instanceof Encoder own ? own.spec().withWatermark(false) : randomSpec;
            try (Encoder other = indep != null ? EncoderIO.load(indep).encoder() : new Encoder(otherSpec, cfg.seed() + 999);
                 Encoder random = new Encoder(randomSpec, cfg.seed() + 777)) {
                WatermarkVerifier.Result vw = monitor.watermark(victim);
                WatermarkVerifier.Result ow = monitor.watermark(other);
                baselines = new ExperimentEvent.Baselines(protocol.victimDatasetName(), monitor.knn(victim), vw == null ? Double.NaN : vw.accuracy(),
                        indep != null ? "independent SimCLR" : "random init", ow == null ? Double.NaN : ow.accuracy(), monitor.cosine(random));
                listener.on(baselines);
            }
            // a resumed run shows the epochs it trained before
            history.values().forEach(listener::on);
        }
        phase(listener, clock, "querying", "querying the API");
        LiveMonitor live = monitor;
        Encoder[] current = {null};
        java.util.function.LongSupplier[] used = {() -> 0L};
        StealingTrainer.Result stolen = StealingTrainer.steal(sc, attackerApi, queries, e -> {
            if (e instanceof TrainEvent.Started st) {
                listener.on(new ExperimentEvent.Queried(used[0].getAsLong(), sc.queriesNeeded()));
                phase(listener, clock, "training", "training the copy" + (st.firstEpoch() > 0 ? ", resuming after epoch " + st.firstEpoch() : ""));
            }
            if (e instanceof TrainEvent.EpochEnd end) {
                LOG.info(String.format(java.util.Locale.ROOT, "epoch %d/%d: loss %.5f, %.1f s", end.epoch() + 1, cfg.epochs(), end.meanLoss(),
                        end.seconds()));
            }
            listener.on(new ExperimentEvent.Training(e));
            if (e instanceof TrainEvent.EpochEnd end) {
                if (cfg.requery()) {
                    listener.on(new ExperimentEvent.Queried(used[0].getAsLong(), sc.queriesNeeded()));
                }
                ExperimentEvent.EpochMetrics m = live != null && current[0] != null && LiveMonitor.measuresAfter(end.epoch(), cfg.epochs())
                        ? live.measure(current[0], end.epoch(), cfg.epochs(), end.meanLoss())
                        : new ExperimentEvent.EpochMetrics(end.epoch(), cfg.epochs(), end.meanLoss(), Double.NaN, Double.NaN, Double.NaN,
                                Double.NaN);
                history.put(end.epoch(), m);
                writeHistory(ckpt, history);
                if (live != null) {
                    listener.on(m);
                    if (current[0] != null && LiveMonitor.measuresAfter(end.epoch(), cfg.epochs())) {
                        ExperimentEvent.Embedding emb = live.embedding(current[0], end.epoch());
                        if (emb != null) {
                            listener.on(emb);
                        }
                    }
                }
            }
        }, cancel, ckpt, (s, q) -> {
            current[0] = s;
            used[0] = q;
            owned.push(s);
        });
        TrainStatus status = stolen.finished().status();
        if (status != TrainStatus.COMPLETED) {
            LOG.info("training {}: {}", status.name().toLowerCase(java.util.Locale.ROOT), stolen.finished().message());
            String message = stolen.finished().message();
            if (status == TrainStatus.FAILED) {
                Path kept = keepFailure(cfg, log, resultsRoot);
                message += kept == null ? "" : " (details in " + kept.resolve(RUN_LOG) + ")";
                if (ckpt != null) {
                    deleteTree(ckpt);
                }
            }
            return ExperimentResult.failed(cfg, status.name(), stolen.queriesUsed(), (System.nanoTime() - t0) / 1e9).withMessage(message);
        }
        double trainSeconds = stolen.finished().seconds();
        phase(listener, clock, "evaluating", "evaluating the copy");
        List<DownstreamTask> probes = protocol.tasks(cfg.tasks());
        int steps = probes.size() + 2 + (chain.isEmpty() ? 0 : 1);
        List<EncoderEvaluation.TaskResult> tasks = new java.util.ArrayList<>();
        for (int i = 0; i < probes.size(); i++) {
            evaluating(listener, "linear probe and kNN on " + probes.get(i).name(), i + 1, steps);
            tasks.addAll(EncoderEvaluation.evaluate(stolen.stolen(), List.of(probes.get(i)), cache, cfg.seed()));
        }
        evaluating(listener, "fidelity and plug-in agreement on " + heldOut.size() + " held-out images", probes.size() + 1, steps);
        INDArray stolenHeld = cache.of(stolen.stolen(), heldOut);
        INDArray victimHeld = cache.of(victim, heldOut);
        double cosine = Fidelity.meanCosine(stolenHeld, victimHeld);
        double cka = Fidelity.linearCka(stolenHeld, victimHeld);
        double floor;
        try (Encoder random = new Encoder(stolen.stolen().spec(), cfg.seed() + 777)) {
            // made again from its spec and seed in every run: its features are the same each time
            cache.keepOnDisk(random, "random encoder " + random.spec() + " seed " + (cfg.seed() + 777));
            floor = Fidelity.meanCosine(cache.of(random, heldOut), victimHeld);
            cache.release(random);
        }
        double plugIn = Double.NaN;
        double agreement = Double.NaN;
        if (stolenHeld.size(1) == victimHeld.size(1)) {
            ImageDataset probeTrain = victimTask.train();
            // the victim's own probe: the same in every theft of this victim, so the cache keeps it (on disk too)
            LinearProbe.Head head = cache.probe(victim, probeTrain, probeTrain.numClasses());
            int[] onStolen = head.predict(stolenHeld);
            plugIn = Metrics.accuracy(onStolen, heldOut.labels());
            agreement = Metrics.accuracy(onStolen, head.predict(victimHeld));
        }
        double wmAcc = Double.NaN;
        double wmP = Double.NaN;
        if (victim.watermark() != null) {
            evaluating(listener, "the victim's watermark on the held-out images", probes.size() + 2, steps);
            WatermarkVerifier.Result w = WatermarkVerifier.verify(stolen.stolen(), victim.watermark(), heldOut, WatermarkVerifier.IMAGES, 7);
            wmAcc = w.accuracy();
            wmP = w.pValue();
        }
        DefenseReport defense = null;
        if (!chain.isEmpty()) {
            evaluating(listener, "the honest user through the defences (" + honestImages.size() + " + " + victimTaskTestSize(protocol)
                    + " queries)", steps, steps);
            HonestUser.Outcome honest = HonestUser.run(api, victim, victimTask, honestImages, cache);
            defense = defenseReport(api, chain, stolen.attacker(), honest, victimTask.name());
            LOG.info(String.format(java.util.Locale.ROOT, "defences %s: honest user %.1f%% (undefended %.1f%%), attacker traffic caught %.1f%%, "
                            + "honest traffic caught %.1f%%", chain.stream().map(org.stealbench.api.Defense::name).toList(),
                    100 * defense.honestAccuracy(), 100 * defense.honestUndefended(), 100 * defense.detectionRate(), 100 * defense.falsePositiveRate()));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        ExperimentResult partial = new ExperimentResult(cfg, "COMPLETED", "completed", tasks, cosine, floor, cka, plugIn, agreement, wmAcc,
                wmP, stolen.queriesUsed(), trainSeconds, seconds, defense, null);
        phase(listener, clock, "writing", "writing the results");
        LOG.info(String.format(java.util.Locale.ROOT, "result: cosine %.4f (floor %.4f), watermark %.4f (p %.3g), queries %d", cosine, floor,
                wmAcc, wmP, stolen.queriesUsed()));
        long refused = 0;
        for (String key : stolen.attacker().keys()) {
            QueryAccount a = attackerApi.account(key);
            refused += a.refused() + a.denied();
        }
        Map<String, Object> roles = protocol.describe(cfg.stealingDataset(), cfg.tasks());
        RunProvenance prov = clock.finish(stolen.queriesUsed(), refused, stolen.finished().examplesProcessed());
        Path folder = write(new TheftRecord(TheftRecord.SCHEMA, partial, roles, prov, List.copyOf(history.values()), baselines), stolen, protocol,
                resultsRoot, registry, log.contents());
        if (ckpt != null) {
            deleteTree(ckpt);
        }
        return partial.withFolder(folder);
    }

    /** The experiment's defence chain, calibrated on the victim's representations of (up to 4,000 of) the defender's own images. */
    static List<org.stealbench.api.Defense> defenses(ExperimentConfig cfg, ImageEncoder victim, Protocol protocol, Features cache) {
        if (cfg.defenses().isEmpty()) {
            return List.of();
        }
        ImageDataset own = protocol.defenderImages();
        if (own.size() > CALIBRATION_IMAGES) {
            own = own.select(java.util.stream.IntStream.range(0, CALIBRATION_IMAGES).toArray());
        }
        org.stealbench.defense.DefenseContext ctx = new org.stealbench.defense.DefenseContext(cache.of(victim, own), cfg.seed());
        return cfg.defenses().stream().map(d -> org.stealbench.defense.DefenseCatalog.build(d, ctx)).toList();
    }

    /** The defender's images the defences calibrate on, at most. */
    static final int CALIBRATION_IMAGES = 4000;

    private static int victimTaskTestSize(Protocol protocol) {
        return protocol.victimTask().test().size();
    }

    private static DefenseReport defenseReport(InProcessEncoderApi api, List<org.stealbench.api.Defense> chain,
                                               org.stealbench.attack.Attacker attacker, HonestUser.Outcome honest, String task) {
        List<DefenseReport.Client> clients = new java.util.ArrayList<>();
        long attackerSent = 0;
        long attackerCaught = 0;
        for (org.stealbench.api.ApiClient c : attacker.clients()) {
            long sent = api.sent(c.key());
            attackerSent += sent;
            attackerCaught += api.caught(c.key(), (int) sent).cardinality();
            clients.add(client(api, c, "attacker"));
        }
        org.stealbench.api.ApiClient h = honest.client();
        long compared = Math.min(api.sent(h.key()), attackerSent);
        double fp = compared == 0 ? Double.NaN : (double) api.caught(h.key(), (int) compared).cardinality() / compared;
        clients.add(client(api, h, "honest"));
        return new DefenseReport(chain.stream().map(org.stealbench.api.Defense::name).toList(), task, honest.accuracy(), honest.undefended(),
                compared, attackerSent == 0 ? Double.NaN : (double) attackerCaught / attackerSent, fp, clients);
    }

    /** One key's line of the report: the API's account of it, the work it did, each defence's state. */
    private static DefenseReport.Client client(InProcessEncoderApi api, org.stealbench.api.ApiClient c, String role) {
        QueryAccount a = api.account(c.key());
        org.stealbench.api.Hashcash.Work w = c.work();
        return new DefenseReport.Client(c.key(), role, api.sent(c.key()), a.answered(), a.denied(), a.flagged(), w.hashes(), w.seconds(),
                c.maxBits(), api.defenseState(c.key()));
    }

    private static TreeMap<Integer, ExperimentEvent.EpochMetrics> readHistory(Path ckpt) throws IOException {
        TreeMap<Integer, ExperimentEvent.EpochMetrics> h = new TreeMap<>();
        Path f = ckpt == null ? null : ckpt.resolve(HISTORY);
        if (f != null && Files.isRegularFile(f)) {
            for (ExperimentEvent.EpochMetrics m : JSON.readValue(f.toFile(), ExperimentEvent.EpochMetrics[].class)) {
                h.put(m.epoch(), m);
            }
        }
        return h;
    }

    /** Written after every epoch, before the trainer's checkpoint: a resumed run re-trains at most that epoch and replaces its row. */
    private static void writeHistory(Path ckpt, TreeMap<Integer, ExperimentEvent.EpochMetrics> h) {
        if (ckpt == null) {
            return;
        }
        try {
            byte[] b = JSON.writeValueAsBytes(h.values());
            DataFiles.writeAtomically(ckpt.resolve(HISTORY), o -> o.write(b));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot keep the epoch history in " + ckpt + ": " + e.getMessage(), e);
        }
    }

    private static Path write(TheftRecord record, StealingTrainer.Result stolen, Protocol protocol, Path root, DatasetRegistry registry,
                              byte[] runLog) throws IOException {
        ExperimentConfig cfg = record.result().config();
        String name = folderName(cfg);
        Map<String, Object> encoderProv = new LinkedHashMap<>();
        encoderProv.put("kind", "stolen copy");
        encoderProv.put("victim", victimFile(cfg, registry).toString());
        // a copy evaluates on its victim's layout: held-out images and probe splits stay the victim's
        encoderProv.put("victimData", protocol.victim().toMap());
        encoderProv.put("training", StealingTrainer.trainConfig(cfg.stealConfig()));
        encoderProv.put("queriesUsed", record.result().queriesUsed());
        encoderProv.put("finished", record.provenance().finished());
        Map<String, DataFiles.Writer> files = new LinkedHashMap<>();
        files.put("config.json", o -> o.write(cfg.toJson().getBytes(StandardCharsets.UTF_8)));
        files.putAll(ResultSummary.files(record));
        files.put("stolen.zip", o -> EncoderIO.write(stolen.stolen(), encoderProv, o));
        files.put(RUN_LOG, o -> o.write(runLog));
        return ResultsFolder.create(root, name, files);
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
