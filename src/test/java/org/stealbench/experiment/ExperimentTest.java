package org.stealbench.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stealbench.attack.StealingLoss;
import org.stealbench.data.DatasetRegistry;
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
    void invalidConfigsAreExplained() {
        String json = ExperimentConfig.demo("mse").toJson();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExperimentConfig.fromJson(json.replace("\"mse\"", "\"hinge\"")));
        assertTrue(e.getMessage().contains("unknown loss 'hinge'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.fromJson(json.replace("\"schema\" : 1", "\"schema\" : 9")));
        assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.fromJson("{not json"));
        assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.demo("mse").withQueries(1));
    }

    @Test
    void aRunWritesItsFolderAtomicallyAndACancelledOneWritesNothing() throws Exception {
        NativeBackend.configure();
        Encoder v = new Encoder(EncoderSpec.of(Architecture.SMALL_CNN, 1, 16, 16, null).withWatermark(true), 1);
        Path victim = tmp.resolve("victim.zip");
        EncoderIO.save(v, Map.of(), victim);
        DatasetRegistry reg = DatasetRegistry.standard(new DatasetRegistry.Roots(
                Path.of(System.getProperty("stealbench.home", ".")).resolve("sample-data"), tmp.resolve("sys"), tmp.resolve("user")));
        ExperimentConfig cfg = new ExperimentConfig(ExperimentConfig.SCHEMA, victim.toString(), "mnist", 64, "mse", "small-cnn", 1,
                List.of("digits"), List.of(), 1);
        Path results = tmp.resolve("results");
        ExperimentResult r = ExperimentRunner.run(cfg, reg, e -> { }, new Cancellation(), results);
        assertEquals("COMPLETED", r.status());
        assertEquals(64, r.queriesUsed());
        for (String f : new String[] {"config.json", "provenance.json", "metrics.csv", "summary.csv", "stolen.zip"}) {
            assertTrue(Files.isRegularFile(r.folder().resolve(f)), f);
        }
        assertEquals(cfg, ExperimentConfig.read(r.folder().resolve("config.json")));
        assertTrue(Files.readString(r.folder().resolve("summary.csv")).contains("watermark_accuracy"));
        try (var s = Files.list(results)) {
            assertEquals(1, s.count(), "no temporary folder left behind");
        }
        Cancellation cancel = new Cancellation();
        ExperimentResult c = ExperimentRunner.run(cfg, reg, e -> {
            if (e instanceof TrainEvent.Started) {
                cancel.cancel();
            }
        }, cancel, results);
        assertEquals("CANCELLED", c.status());
        assertNull(c.folder());
        try (var s = Files.list(results)) {
            assertEquals(1, s.count(), "a cancelled run writes nothing");
        }
    }
}
