package org.stealbench.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stealbench.attack.StealingLoss;
import org.stealbench.data.DatasetRegistry;
import org.stealbench.data.format.IdxFormat;
import org.stealbench.model.Architecture;
import org.stealbench.model.Encoder;
import org.stealbench.model.EncoderIO;
import org.stealbench.model.EncoderSpec;
import org.stealbench.model.NativeBackend;
import org.stealbench.model.train.Cancellation;
import org.stealbench.model.train.TrainEvent;

class ExperimentTest {

    @TempDir
    Path tmp;

    @Test
    void configRoundTripsThroughJsonForEveryLoss() {
        for (StealingLoss l : StealingLoss.values()) {
            ExperimentConfig c = ExperimentConfig.demo(l.id());
            assertEquals(c, ExperimentConfig.fromJson(c.toJson()));
        }
        ExperimentConfig c = ExperimentConfig.demo("mse").withQueries(500);
        assertEquals(500, ExperimentConfig.fromJson(c.toJson()).queries());
    }

    @Test
    void optimiserOverridesRoundTripAndLeaveDefaultConfigsUnchanged() {
        ExperimentConfig plain = ExperimentConfig.demo("supcon");
        // configurations without overrides serialise (and so hash) exactly as before the fields existed
        assertFalse(plain.toJson().contains("optimizer"), plain.toJson());
        assertFalse(plain.toJson().contains("learningRate"), plain.toJson());
        assertEquals("sgd", plain.stealConfig().effectiveOptimizer());
        assertEquals(0.05, plain.stealConfig().effectiveLearningRate());

        ExperimentConfig adam = plain.withTraining("adam", 0, 0);
        assertEquals(adam, ExperimentConfig.fromJson(adam.toJson()));
        assertEquals("adam", adam.stealConfig().effectiveOptimizer());
        // another optimiser without a rate gets that optimiser's usual rate, not SGD's 0.05
        assertEquals(1e-3, adam.stealConfig().effectiveLearningRate());
        assertEquals(256, adam.stealConfig().effectiveBatchSize());
        ExperimentConfig tuned = plain.withTraining(null, 0.01, 128);
        assertEquals(tuned, ExperimentConfig.fromJson(tuned.toJson()));
        assertEquals("sgd", tuned.stealConfig().effectiveOptimizer());
        assertEquals(0.01, tuned.stealConfig().effectiveLearningRate());
        assertEquals(128, tuned.stealConfig().effectiveBatchSize());
        assertTrue(tuned.label().contains("sgd 0.0100, batch 128"), tuned.label());
        assertEquals(tuned, tuned.withSeed(5).withSeed(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plain.withTraining("rmsprop", 0, 0));
        assertTrue(e.getMessage().contains("adam, sgd") && e.getMessage().contains("rmsprop"), e.getMessage());
    }

    @Test
    void invalidConfigsAreExplained() {
        String json = ExperimentConfig.demo("mse").toJson();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExperimentConfig.fromJson(json.replace("\"mse\"", "\"hinge\"")));
        assertTrue(e.getMessage().contains("loss must be one of") && e.getMessage().contains("not 'hinge'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.fromJson(json.replace("\"schema\" : 1", "\"schema\" : 9")));
        assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.fromJson("{not json"));
        assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.demo("mse").withQueries(1));
    }

    private DatasetRegistry registry() {
        return org.stealbench.data.TestData.sampleRegistry(tmp);
    }

    /** What a victim trained on the first 1,000 bundled digits records about its data. */
    static Map<String, Object> digitsProvenance() {
        return Map.of("datasetSpec", "digits@bundled", "trainIndices", java.util.stream.IntStream.range(0, 1000).boxed().toList());
    }

    private Path tinyVictim() throws Exception {
        NativeBackend.configure();
        Encoder v = new Encoder(EncoderSpec.of(Architecture.SMALL_CNN, 1, 16, 16, null).withWatermark(true), 1);
        Path victim = tmp.resolve("victim.zip");
        EncoderIO.save(v, digitsProvenance(), victim);
        return victim;
    }

    /** A theft of the tiny victim: 64 MNIST queries, digits as the only task. */
    private static ExperimentConfig tinyTheft(Path victim, String loss, int epochs) {
        return new ExperimentConfig(ExperimentConfig.SCHEMA, victim.toString(), "mnist", 64, loss, "small-cnn", epochs, false,
                List.of("digits"), List.of(), 1);
    }

    private static long visibleEntries(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).count();
        }
    }

    @Test
    void aRunWritesItsFolderAtomicallyACancelledOneWritesNoResultAndResumes() throws Exception {
        Path victim = tinyVictim();
        DatasetRegistry reg = registry();
        ExperimentConfig cfg = tinyTheft(victim, "mse", 2);
        Path results = tmp.resolve("results");
        List<ExperimentEvent> events = new ArrayList<>();
        ExperimentResult r = ExperimentRunner.run(cfg, reg, events::add, new Cancellation(), results, ExperimentRunner.Options.LIVE);
        assertEquals("COMPLETED", r.status());
        assertEquals(64, r.queriesUsed());
        for (String f : new String[] {"config.json", "results.json", "metrics.csv", "summary.csv", "stolen.zip"}) {
            assertTrue(Files.isRegularFile(r.folder().resolve(f)), f);
        }
        assertEquals(cfg, ExperimentConfig.read(r.folder().resolve("config.json")));
        assertTrue(Files.readString(r.folder().resolve("summary.csv")).contains("watermark_accuracy"));
        String runLog = Files.readString(r.folder().resolve("run.log"));
        assertTrue(runLog.contains("training the copy") && runLog.contains("epoch 2/2") && runLog.contains("writing the results"), runLog);
        assertTrue(r.cka() > 0 && r.cka() <= 1 + 1e-9, "CKA " + r.cka());
        assertTrue(r.plugInAgreement() >= 0 && r.plugInAgreement() <= 1, "plug-in agreement " + r.plugInAgreement());
        assertEquals(1, events.stream().filter(e -> e instanceof ExperimentEvent.Baselines).count());
        assertEquals(2, events.stream().filter(e -> e instanceof ExperimentEvent.EpochMetrics).count());
        assertInstanceOf(ExperimentEvent.Done.class, events.get(events.size() - 1));
        assertEquals(1, visibleEntries(results));
        assertFalse(Files.exists(ExperimentRunner.checkpointDir(cfg, reg, results)), "a completed run leaves no checkpoint");

        ResultSummary.StoredRun stored = ResultSummary.read(r.folder());
        assertEquals(r.cosine(), stored.result().cosine(), 1e-4);
        assertEquals(r.task("digits").knn(), stored.result().task("digits").knn(), 1e-4);
        assertEquals(2, stored.epochs().size());
        assertFalse(Double.isNaN(stored.epochs().get(1).knn()), "live kNN is kept per epoch");
        assertEquals(1, ResultSummary.list(results).size());

        // cancel after the first epoch: no result, but a checkpoint from which the same experiment resumes
        Cancellation cancel = new Cancellation();
        ExperimentResult c = ExperimentRunner.run(cfg, reg, e -> {
            if (e instanceof ExperimentEvent.Training t && t.event() instanceof TrainEvent.EpochEnd) {
                cancel.cancel();
            }
        }, cancel, results);
        assertEquals("CANCELLED", c.status());
        assertNull(c.folder());
        assertEquals(1, visibleEntries(results), "a cancelled run writes no result");
        Path ckpt = ExperimentRunner.checkpointDir(cfg, reg, results);
        assertTrue(Files.isRegularFile(ckpt.resolve("bank.bin")));
        // another victim in the same file (a retrained bundled one, say) must not reuse the old one's answers
        EncoderIO.save(new Encoder(EncoderSpec.of(Architecture.SMALL_CNN, 1, 16, 16, null).withWatermark(true), 2), digitsProvenance(), victim);
        assertNotEquals(ckpt, ExperimentRunner.checkpointDir(cfg, reg, results));
        EncoderIO.save(new Encoder(EncoderSpec.of(Architecture.SMALL_CNN, 1, 16, 16, null).withWatermark(true), 1), digitsProvenance(), victim);
        assertEquals(ckpt, ExperimentRunner.checkpointDir(cfg, reg, results), "the same victim finds its checkpoint again");
        // nor other images under the stealing dataset's id (a rebuilt sample, another split)
        Path otherMnist = tmp.resolve("other-sample-data/mnist");
        byte[] px = new byte[200 * 28 * 28];
        Arrays.fill(px, (byte) 77);
        IdxFormat.write(otherMnist.resolve("train-images-idx3-ubyte.gz"), new int[] {200, 28, 28}, px);
        IdxFormat.write(otherMnist.resolve("train-labels-idx1-ubyte.gz"), new int[] {200}, new byte[200]);
        IdxFormat.write(otherMnist.resolve("t10k-images-idx3-ubyte.gz"), new int[] {2, 28, 28}, new byte[2 * 784]);
        IdxFormat.write(otherMnist.resolve("t10k-labels-idx1-ubyte.gz"), new int[] {2}, new byte[2]);
        // the victim's own digits stay as they were
        Path digits = Path.of(System.getProperty("stealbench.home", ".")).resolve("sample-data/digits");
        Files.createDirectories(tmp.resolve("other-sample-data/digits"));
        try (var files = Files.list(digits)) {
            for (Path f : files.toList()) {
                Files.copy(f, tmp.resolve("other-sample-data/digits").resolve(f.getFileName()));
            }
        }
        DatasetRegistry other = DatasetRegistry.standard(new DatasetRegistry.Roots(tmp.resolve("other-sample-data"), tmp.resolve("sys"),
                tmp.resolve("user")));
        assertNotEquals(ckpt, ExperimentRunner.checkpointDir(cfg, other, results));
        int[] firstEpoch = {-1};
        ExperimentResult resumed = ExperimentRunner.run(cfg, reg, e -> {
            if (e instanceof ExperimentEvent.Training t && t.event() instanceof TrainEvent.Started s) {
                firstEpoch[0] = s.firstEpoch();
            }
        }, new Cancellation(), results);
        assertEquals("COMPLETED", resumed.status());
        assertEquals(1, firstEpoch[0], "resumes after the checkpointed epoch");
        assertEquals(64, resumed.queriesUsed(), "the bank is not queried again");
        assertEquals(2, visibleEntries(results));
    }

    @Test
    void liveMetricsAreMeasuredAtMostSixteenTimesAlwaysAfterTheLastEpoch() {
        for (int epochs : new int[] {1, 2, 8, 16, 17, 32, 33, 100}) {
            int points = 0;
            for (int e = 0; e < epochs; e++) {
                points += LiveMonitor.measuresAfter(e, epochs) ? 1 : 0;
            }
            assertTrue(LiveMonitor.measuresAfter(epochs - 1, epochs), epochs + " epochs: the last is measured");
            assertTrue(points <= LiveMonitor.POINTS + 1 && points >= Math.min(epochs, LiveMonitor.POINTS / 2), epochs + " epochs: " + points);
            if (epochs <= LiveMonitor.POINTS) {
                assertEquals(epochs, points, "short runs are measured after every epoch");
            }
        }
    }

    @Test
    void aFinishedAndACancelledRunLeaveNoneOfTheEnginesNativeArraysOpen() throws Exception {
        Path victim = tinyVictim();
        DatasetRegistry reg = registry();
        ExperimentConfig cfg = tinyTheft(victim, "infonce", 3);
        long before = org.stealbench.model.nn.NativeArrays.openBytes();
        long plansBefore = org.stealbench.model.nn.NativeArrays.openPlans();
        long[] during = {0, 0};
        ExperimentResult done = ExperimentRunner.run(cfg, reg, e -> {
            if (e instanceof ExperimentEvent.Training t && t.event() instanceof TrainEvent.EpochEnd) {
                during[0] = Math.max(during[0], org.stealbench.model.nn.NativeArrays.openBytes());
                during[1] = Math.max(during[1], org.stealbench.model.nn.NativeArrays.openPlans());
            }
        }, new Cancellation(), tmp.resolve("done"), ExperimentRunner.Options.LIVE);
        assertEquals("COMPLETED", done.status());
        // the counter sees the run's arrays (victim, copy, buffers, moments) while it trains...
        assertTrue(during[0] - before > 1_000_000, "bytes open while training: " + (during[0] - before));
        // ...and none of them once it has ended, without waiting for the garbage collector
        assertEquals(before, org.stealbench.model.nn.NativeArrays.openBytes(), "bytes left open by a finished run");
        // the same for the oneDNN convolution plans, where the library runs the convolutions (linux-x86_64)
        if ("amd64".equals(System.getProperty("os.arch"))) {
            assertTrue(during[1] > plansBefore, "oneDNN plans open while training: " + (during[1] - plansBefore));
        }
        assertEquals(plansBefore, org.stealbench.model.nn.NativeArrays.openPlans(), "oneDNN plans left open by a finished run");

        // cancelled in the middle of an epoch, with live metrics, a bank and a checkpoint on disk
        Cancellation cancel = new Cancellation();
        long[] atCancel = {0};
        ExperimentResult c = ExperimentRunner.run(cfg, reg, e -> {
            if (e instanceof ExperimentEvent.Training t && t.event() instanceof TrainEvent.Progress p && p.epoch() == 1) {
                atCancel[0] = org.stealbench.model.nn.NativeArrays.openBytes();
                cancel.cancel();
            }
        }, cancel, tmp.resolve("cancelled"), ExperimentRunner.Options.LIVE);
        assertEquals("CANCELLED", c.status());
        assertTrue(atCancel[0] - before > 1_000_000, "bytes open when cancelled: " + (atCancel[0] - before));
        assertEquals(before, org.stealbench.model.nn.NativeArrays.openBytes(), "bytes left open by a cancelled run");
        assertEquals(plansBefore, org.stealbench.model.nn.NativeArrays.openPlans(), "oneDNN plans left open by a cancelled run");
    }

    @Test
    void aTheftThroughDefencesReportsTheAttackerTheHonestUserAndTheWorkTheyDid() throws Exception {
        Path victim = tinyVictim();
        ExperimentConfig cfg = new ExperimentConfig(ExperimentConfig.SCHEMA, victim.toString(), "mnist", 64, "mse", "small-cnn", 1,
                false, List.of("digits"), List.of("pow:base=3", "poisoning:sigma=0.1", "prada:min=20"), 1).withSybils(2);
        List<ExperimentEvent> events = new ArrayList<>();
        ExperimentResult r = ExperimentRunner.run(cfg, registry(), events::add, new Cancellation(), tmp.resolve("results"));
        assertEquals("COMPLETED", r.status(), r.message());
        DefenseReport d = r.defense();
        assertEquals(List.of("pow:base=3", "poisoning:sigma=0.1", "prada:min=20"), d.chain());
        assertEquals(List.of("attacker-1", "attacker-2", "honest"), d.clients().stream().map(DefenseReport.Client::key).toList());
        DefenseReport.Client a1 = d.clients().get(0);
        DefenseReport.Client honest = d.clients().get(2);
        assertEquals(32, a1.sent(), "the two keys share the 64 queries");
        // every answered image cost at least one hash; the honest user paid too
        assertTrue(a1.powHashes() >= a1.answered() && a1.powMaxBits() >= 3, a1.toString());
        assertTrue(honest.powHashes() >= honest.answered() && honest.answered() > 0, honest.toString());
        assertTrue(d.honestAccuracy() >= 0 && d.honestAccuracy() <= 1 && d.honestUndefended() > 0.2, d.toString());
        assertTrue(a1.state().containsKey("prada:min=20") && a1.state().containsKey("pow:base=3"), a1.state().toString());
        assertTrue(events.stream().anyMatch(e -> e instanceof ExperimentEvent.DefenseState s && s.client().equals("honest")));
        // read back from the folder as written
        assertEquals(d, ResultSummary.read(r.folder()).result().defense());
        assertEquals(cfg, ExperimentConfig.read(r.folder().resolve("config.json")));
    }

    @Test
    void defencesAndKeysAreCheckedAndOneKeyLeavesOldConfigurationsUnchanged() throws Exception {
        ExperimentConfig demo = ExperimentConfig.defaults();
        assertFalse(demo.toJson().contains("sybils"), "one key is not written, so earlier files hash as before");
        assertEquals(1, ExperimentConfig.fromJson(demo.toJson()).sybils());
        ExperimentConfig four = demo.withSybils(4).withDefenses(List.of("prada", "pow:base=10"));
        assertEquals(four, ExperimentConfig.fromJson(four.toJson()));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> demo.withDefenses(List.of("firewall")));
        assertTrue(unknown.getMessage().contains("unknown defence 'firewall'"), unknown.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class, () -> demo.withDefenses(List.of("pow:base=99")));
        assertTrue(range.getMessage().contains("between 0 and 24"), range.getMessage());
        assertThrows(IllegalArgumentException.class, () -> demo.withSybils(65));
    }

    @Test
    void reQueryingCountsEveryView() throws Exception {
        Path victim = tinyVictim();
        ExperimentConfig cfg = new ExperimentConfig(ExperimentConfig.SCHEMA, victim.toString(), "mnist", 64, "mse", "small-cnn", 3,
                true, List.of("digits"), List.of(), 1);
        ExperimentResult r = ExperimentRunner.run(cfg, registry(), ExperimentListener.NONE, new Cancellation(), tmp.resolve("results"));
        assertEquals("COMPLETED", r.status());
        assertEquals(3 * 64, r.queriesUsed());
        assertEquals(3 * 64, cfg.stealConfig().queriesNeeded());
    }


    @Test
    void theVictimsFeaturesReadFromTheCacheGiveTheResultsComputingThemGives() throws Exception {
        Path victim = tinyVictim();
        DatasetRegistry reg = registry();
        ExperimentConfig cfg = tinyTheft(victim, "mse", 2);
        Path dir = tmp.resolve("feature-cache");
        String old = System.getProperty(org.stealbench.eval.FeatureStore.DIR_PROPERTY);
        List<List<String>> summaries = new ArrayList<>();
        // each stored file's identity (its inode) before the third run: a file written again is a new one (written
        // aside, then moved into place), a file read is the same one, touched
        java.util.Map<Path, Object> written = new java.util.HashMap<>();
        try {
            for (String cache : new String[] {"off", dir.toString(), dir.toString()}) {
                System.setProperty(org.stealbench.eval.FeatureStore.DIR_PROPERTY, cache);
                if (Files.isDirectory(dir)) {
                    // written by the run before; the next run must read (and so touch) them
                    try (var files = Files.list(dir)) {
                        for (Path f : files.toList()) {
                            Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(1_000_000));
                            written.put(f, Files.readAttributes(f, java.nio.file.attribute.BasicFileAttributes.class).fileKey());
                        }
                    }
                }
                ExperimentResult r = ExperimentRunner.run(cfg, reg, ExperimentListener.NONE, new Cancellation(), tmp.resolve("r-" + summaries.size()));
                assertEquals("COMPLETED", r.status());
                summaries.add(Files.readString(r.folder().resolve("summary.csv")).lines().filter(l -> !l.contains("seconds")).toList());
            }
        } finally {
            if (old == null) {
                System.clearProperty(org.stealbench.eval.FeatureStore.DIR_PROPERTY);
            } else {
                System.setProperty(org.stealbench.eval.FeatureStore.DIR_PROPERTY, old);
            }
        }
        assertEquals(summaries.get(0), summaries.get(1), "computing and storing the features changes nothing");
        assertEquals(summaries.get(0), summaries.get(2), "reading them changes nothing");
        try (var files = Files.list(dir)) {
            List<Path> stored = files.toList();
            // the victim on its held-out images and its task's probe images, the random encoder on the held-out images, and the
            // victim's probe on its task (the plug-in head)
            assertEquals(4, stored.size(), stored.toString());
            for (Path f : stored) {
                assertTrue(Files.getLastModifiedTime(f).toMillis() > 1_000_000, f + " was used by the third run");
                assertEquals(written.get(f), Files.readAttributes(f, java.nio.file.attribute.BasicFileAttributes.class).fileKey(),
                        f + " was read by the third run, not written again");
            }
        }
    }

    @Test
    void aResumedRunWritesEveryEpochOnceExactlyAsAnUninterruptedOne() throws Exception {
        Path victim = tinyVictim();
        DatasetRegistry reg = registry();
        ExperimentConfig cfg = new ExperimentConfig(ExperimentConfig.SCHEMA, victim.toString(), "mnist", 64, "mse", "small-cnn", 4,
                false, List.of("digits"), List.of(), 3);
        ExperimentResult whole = ExperimentRunner.run(cfg, reg, ExperimentListener.NONE, new Cancellation(), tmp.resolve("a"),
                ExperimentRunner.Options.LIVE);
        Path b = tmp.resolve("b");
        for (int stopAfter : new int[] {1, 2}) {
            Cancellation cancel = new Cancellation();
            int[] ends = {0};
            ExperimentResult stopped = ExperimentRunner.run(cfg, reg, e -> {
                if (e instanceof ExperimentEvent.Training t && t.event() instanceof TrainEvent.EpochEnd && ++ends[0] == stopAfter) {
                    cancel.cancel();
                }
            }, cancel, b, ExperimentRunner.Options.LIVE);
            assertEquals("CANCELLED", stopped.status());
        }
        List<ExperimentEvent.EpochMetrics> replayed = new ArrayList<>();
        ExperimentResult resumed = ExperimentRunner.run(cfg, reg, e -> {
            if (e instanceof ExperimentEvent.EpochMetrics m) {
                replayed.add(m);
            }
        }, new Cancellation(), b, ExperimentRunner.Options.LIVE);
        assertEquals("COMPLETED", resumed.status());
        assertEquals(4, replayed.size(), "the live view sees the earlier epochs again, then the new ones");
        String expected = Files.readString(whole.folder().resolve("metrics.csv"));
        assertEquals(5, expected.lines().count(), expected);
        assertEquals(expected, Files.readString(resumed.folder().resolve("metrics.csv")), "every epoch once, numbered as trained, same values");
        assertEquals(Files.readString(whole.folder().resolve("summary.csv")).lines().filter(l -> !l.contains("seconds")).toList(),
                Files.readString(resumed.folder().resolve("summary.csv")).lines().filter(l -> !l.contains("seconds")).toList(),
                "a resumed run measures what an uninterrupted one does");
        TheftRecord rec = TheftRecord.read(resumed.folder().resolve("results.json"));
        assertEquals(cfg, rec.result().config());
        assertEquals(4, rec.epochs().size());
        assertEquals(64, rec.provenance().queriesAnswered());
        assertTrue(rec.provenance().phaseSeconds().containsKey("training"), rec.provenance().phaseSeconds().toString());
        assertTrue(rec.protocol().toString().contains("digits@bundled"), rec.protocol().toString());
        assertEquals(resumed.cosine(), rec.result().cosine(), 0);
    }

    @Test
    void aStaleTemporaryFolderIsRemovedAtTheNextStartAndResultsHaveNormalPermissions() throws Exception {
        Path victim = tinyVictim();
        Path results = tmp.resolve("results");
        // a write of a process that no longer runs (pid beyond the kernel's limit)
        Path stale = Files.createDirectories(results.resolve(ResultsFolder.TMP_PREFIX + "99999999-0000-20260101-mse"));
        Files.writeString(stale.resolve("config.json"), "{}");
        Path live = Files.createDirectories(results.resolve(ResultsFolder.TMP_PREFIX + ProcessHandle.current().pid() + "-1111-writing"));
        ExperimentConfig cfg = tinyTheft(victim, "mse", 1);
        ExperimentResult r = ExperimentRunner.run(cfg, registry(), ExperimentListener.NONE, new Cancellation(), results);
        assertFalse(Files.exists(stale), "an abandoned write is removed");
        assertTrue(Files.exists(live), "a write of a running process stays");
        assertEquals(Files.getPosixFilePermissions(Files.createDirectory(results.resolve("plain"))),
                Files.getPosixFilePermissions(r.folder()), "a results folder has the user's normal permissions, not 0700");
    }

    @Test
    void aVictimWithoutARecordOfItsDataIsRefusedBeforeAnythingRuns() throws Exception {
        NativeBackend.configure();
        Path victim = tmp.resolve("anonymous.zip");
        EncoderIO.save(new Encoder(EncoderSpec.of(Architecture.SMALL_CNN, 1, 16, 16, null), 1), Map.of(), victim);
        ExperimentConfig cfg = tinyTheft(victim, "mse", 1);
        List<String> p = Protocol.problems(cfg, registry());
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).contains("does not record which images it was trained on"), p.get(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExperimentRunner.run(cfg, registry(), ExperimentListener.NONE, new Cancellation(), tmp.resolve("r")));
        assertTrue(e.getMessage().contains("anonymous.zip"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("r").resolve(ExperimentRunner.CHECKPOINTS)), "nothing ran");
    }

    @Test
    void aDamagedVictimIsNamedWithItsEntryAndTheFailureKeepsItsStackTraceInARunLog() throws Exception {
        Path good = tinyVictim();
        Path damaged = tmp.resolve("damaged.zip");
        try (var in = new java.util.zip.ZipFile(good.toFile());
             var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(damaged))) {
            for (var e : java.util.Collections.list(in.entries())) {
                byte[] b = in.getInputStream(e).readAllBytes();
                out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                out.write(e.getName().equals("trunk.params") ? Arrays.copyOf(b, b.length / 2) : b);
                out.closeEntry();
            }
        }
        ExperimentConfig cfg = new ExperimentConfig(ExperimentConfig.SCHEMA, damaged.toString(), "mnist", 64, "mse", "small-cnn", 1,
                false, List.of("digits"), List.of(), 1);
        IllegalArgumentException direct = assertThrows(IllegalArgumentException.class, () -> EncoderIO.load(damaged));
        assertTrue(direct.getMessage().contains("damaged.zip") && direct.getMessage().contains("trunk.params"), direct.getMessage());
        Path results = tmp.resolve("results");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ExperimentRunner.run(cfg, registry(), ExperimentListener.NONE, new Cancellation(), results));
        assertTrue(e.getMessage().contains("trunk.params") && e.getMessage().contains("run.log"), e.getMessage());
        Path kept;
        try (var s = Files.list(results)) {
            kept = s.filter(p -> p.getFileName().toString().endsWith("-failed")).findFirst().orElseThrow();
        }
        String log = Files.readString(kept.resolve("run.log"));
        assertTrue(log.contains("ERROR") && log.contains("at org.stealbench.model.EncoderIO"), log);
        assertEquals(cfg, ExperimentConfig.read(kept.resolve("config.json")));
        assertEquals(0, ResultSummary.list(results).size(), "a failed run is not a result");
    }

    @Test
    void configErrorsNameTheFileTheLineAndTheColumn() throws Exception {
        Path missing = tmp.resolve("nope.json");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.read(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        Path broken = tmp.resolve("broken.json");
        Files.writeString(broken, ExperimentConfig.demo("mse").toJson().replace("\"queries\" : 2000,", "\"queries\" : 2000 oops,"));
        e = assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.read(broken));
        assertTrue(e.getMessage().contains(broken.toString()) && e.getMessage().contains("line 5, column"), e.getMessage());
    }
}
