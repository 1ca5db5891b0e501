package org.stealbench.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stealbench.api.http.AccountingDb;
import org.stealbench.api.http.ApiServer;
import org.stealbench.data.DatasetRegistry;
import org.stealbench.model.Architecture;
import org.stealbench.model.Encoder;
import org.stealbench.model.EncoderIO;
import org.stealbench.model.EncoderSpec;
import org.stealbench.model.NativeBackend;
import org.stealbench.model.train.Cancellation;

/** A theft over HTTP is the in-process theft: same queries counted, same copy, same scores. */
class RemoteTheftTest {

    @TempDir
    Path tmp;

    private DatasetRegistry registry() {
        return org.stealbench.data.TestData.sampleRegistry(tmp);
    }

    @Test
    void aTheftOverHttpEqualsTheInProcessTheftOfTheSameSeed() throws Exception {
        NativeBackend.configure();
        Path victim = tmp.resolve("victim.zip");
        try (Encoder v = new Encoder(EncoderSpec.of(Architecture.SMALL_CNN, 1, 16, 16, null).withWatermark(true), 1)) {
            EncoderIO.save(v, ExperimentTest.digitsProvenance(), victim);
        }
        DatasetRegistry reg = registry();
        ExperimentConfig local = new ExperimentConfig(ExperimentConfig.SCHEMA, victim.toString(), "mnist", 64, "infonce", "small-cnn", 2, false,
                List.of("digits"), List.of(), 1);
        ExperimentResult inProcess = ExperimentRunner.run(local, reg, ExperimentListener.NONE, new Cancellation(), tmp.resolve("a"));

        try (ServedVictim served = ServedVictim.open(victim.toString(), List.of(), 1, reg);
             AccountingDb db = AccountingDb.open(tmp.resolve("api.db"));
             ApiServer server = new ApiServer(served.api(), db, ApiServer.Limits.defaults(served.api().inputShape())).start("127.0.0.1", 0)) {
            String key = db.addClient("thief", 64, 0, false);
            ExperimentConfig remote = local.withApi("http://127.0.0.1:" + server.port());
            assertEquals(remote, ExperimentConfig.fromJson(remote.toJson()));
            ExperimentRunner.Options options = ExperimentRunner.Options.BATCH.withApiKeys(List.of(key));
            ExperimentResult overHttp = ExperimentRunner.run(remote, reg, ExperimentListener.NONE, new Cancellation(), tmp.resolve("b"), options);

            assertEquals("COMPLETED", overHttp.status(), overHttp.message());
            assertEquals(inProcess.queriesUsed(), overHttp.queriesUsed());
            assertEquals(64, db.client("thief").answered(), "the server counted every query");
            assertEquals(inProcess.cosine(), overHttp.cosine(), 0.0);
            assertEquals(inProcess.cka(), overHttp.cka(), 0.0);
            assertEquals(inProcess.task("digits").linear(), overHttp.task("digits").linear(), 0.0);
            assertEquals(inProcess.task("digits").knn(), overHttp.task("digits").knn(), 0.0);
            assertEquals(inProcess.watermarkAccuracy(), overHttp.watermarkAccuracy(), 0.0);
            assertFalse(Files.readString(overHttp.folder().resolve("config.json")).contains(key), "no key in the results");

            // the budget is spent: a second theft with the same key gets nothing, and says why
            ExperimentResult again = ExperimentRunner.run(remote.withSeed(2), reg, ExperimentListener.NONE, new Cancellation(), tmp.resolve("c"),
                    options);
            assertTrue(!"COMPLETED".equals(again.status()) || again.queriesUsed() == 0, again.status() + " " + again.queriesUsed());
            assertThrows(IllegalArgumentException.class, () -> ExperimentRunner.run(remote, reg, ExperimentListener.NONE, new Cancellation(),
                    tmp.resolve("d"), ExperimentRunner.Options.BATCH.withApiKeys(List.of())), "no key: said before anything runs");
        }
    }
}
