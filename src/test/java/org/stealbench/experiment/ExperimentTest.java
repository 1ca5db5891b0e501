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
        assertTrue(e.getMessage().contains("adam or sgd"), e.getMessage());
    }

    @Test
    void invalidConfigsAreExplained() {
        String json = ExperimentConfig.demo("mse").toJson();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExperimentConfig.fromJson(json.replace("\"mse\"", "\"hinge\"")));
        assertTrue(e.getMessage().contains("unknown loss 'hinge'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.fromJson(json.replace("\"schema\" : 1", "\"schema\" : 9")));
        assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.fromJson("{not json"));
        assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.demo("mse").withQueries(1));
    }

    private DatasetRegistry registry() {
        return DatasetRegistry.standard(new DatasetRegistry.Roots(
                Path.of(System.getProperty("stealbench.home", ".")).resolve("sample-data"), tmp.resolve("sys"), tmp.resolve("user")));
    }

    private Path tinyVictim() throws Exception {
        NativeBackend.configure();
        Encoder v = new Encoder(EncoderSpec.of(Architecture.SMALL_CNN, 1, 16, 16, null).withWatermark(true), 1);
        Path victim = tmp.resolve("victim.zip");
        EncoderIO.save(v, Map.of(), victim);
        return victim;
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
        ExperimentConfig cfg = new ExperimentConfig(ExperimentConfig.SCHEMA, victim.toString(), "mnist", 64, "mse", "small-cnn", 2,
                false, List.of("digits"), List.of(), 1);
        Path results = tmp.resolve("results");
        List<ExperimentEvent> events = new ArrayList<>();
        ExperimentResult r = ExperimentRunner.run(cfg, reg, events::add, new Cancellation(), results, ExperimentRunner.Options.LIVE);
        assertEquals("COMPLETED", r.status());
        assertEquals(64, r.queriesUsed());
        for (String f : new String[] {"config.json", "provenance.json", "metrics.csv", "summary.csv", "stolen.zip"}) {
            assertTrue(Files.isRegularFile(r.folder().resolve(f)), f);
        }
        assertEquals(cfg, ExperimentConfig.read(r.folder().resolve("config.json")));
        assertTrue(Files.readString(r.folder().resolve("summary.csv")).contains("watermark_accuracy"));
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
        EncoderIO.save(new Encoder(EncoderSpec.of(Architecture.SMALL_CNN, 1, 16, 16, null).withWatermark(true), 2), Map.of(), victim);
        assertNotEquals(ckpt, ExperimentRunner.checkpointDir(cfg, reg, results));
        EncoderIO.save(new Encoder(EncoderSpec.of(Architecture.SMALL_CNN, 1, 16, 16, null).withWatermark(true), 1), Map.of(), victim);
        assertEquals(ckpt, ExperimentRunner.checkpointDir(cfg, reg, results), "the same victim finds its checkpoint again");
        // nor other images under the stealing dataset's id (a rebuilt sample, another split)
        Path otherMnist = tmp.resolve("other-sample-data/mnist");
        byte[] px = new byte[100 * 28 * 28];
        Arrays.fill(px, (byte) 77);
        IdxFormat.write(otherMnist.resolve("train-images-idx3-ubyte.gz"), new int[] {100, 28, 28}, px);
        IdxFormat.write(otherMnist.resolve("train-labels-idx1-ubyte.gz"), new int[] {100}, new byte[100]);
        IdxFormat.write(otherMnist.resolve("t10k-images-idx3-ubyte.gz"), new int[] {2, 28, 28}, new byte[2 * 784]);
        IdxFormat.write(otherMnist.resolve("t10k-labels-idx1-ubyte.gz"), new int[] {2}, new byte[2]);
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
    void reQueryingCountsEveryView() throws Exception {
        Path victim = tinyVictim();
        ExperimentConfig cfg = new ExperimentConfig(ExperimentConfig.SCHEMA, victim.toString(), "mnist", 64, "mse", "small-cnn", 3,
                true, List.of("digits"), List.of(), 1);
        ExperimentResult r = ExperimentRunner.run(cfg, registry(), ExperimentListener.NONE, new Cancellation(), tmp.resolve("results"));
        assertEquals("COMPLETED", r.status());
        assertEquals(3 * 64, r.queriesUsed());
        assertEquals(3 * 64, cfg.stealConfig().queriesNeeded());
    }

}
