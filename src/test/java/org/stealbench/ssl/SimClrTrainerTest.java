package org.stealbench.ssl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stealbench.data.DatasetRegistry;
import org.stealbench.model.NativeBackend;
import org.stealbench.model.train.Cancellation;
import org.stealbench.model.train.TrainListener;
import org.stealbench.model.train.TrainStatus;

class SimClrTrainerTest {

    @TempDir
    Path tmp;

    @Test
    void trainsAWatermarkedEncoderAndAccountsForItsCost() {
        NativeBackend.configure();
        DatasetRegistry reg = DatasetRegistry.standard(new DatasetRegistry.Roots(tmp.resolve("s"), tmp.resolve("sys"), tmp.resolve("u")));
        SimClrConfig cfg = new SimClrConfig("shapes", 64, "small-cnn", 16, 2, 16, 1e-3, 1e-4, 0.2, 0.5, 0.08, 1.0, true, 1.0, 1.0, 0, 3);
        SimClrTrainer.Result r = SimClrTrainer.train(cfg, reg, TrainListener.NONE, new Cancellation(), null, null);
        assertEquals(TrainStatus.COMPLETED, r.finished().status());
        assertEquals(2, r.history().size());
        assertTrue(Double.isFinite(r.history().get(1).loss()));
        assertTrue(r.history().get(1).watermarkAccuracy() >= 0, "watermark trained every step");
        assertNotNull(r.encoder().watermark());
        assertEquals(2L * 4 * 16, r.finished().examplesProcessed());
        // two views plus the rotated batch per step
        assertEquals(2L * 4 * 16 * 3, r.provenance().get("imagesThroughEncoder"));
        assertTrue(((Number) r.provenance().get("wallSeconds")).doubleValue() > 0);
        assertTrue(r.provenance().get("backend").toString().contains("CpuBackend"));
        assertEquals(16, r.encoder().spec().height());
    }
}
