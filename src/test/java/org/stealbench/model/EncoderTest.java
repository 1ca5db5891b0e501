package org.stealbench.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.stealbench.data.ImageDataset;
import org.stealbench.data.Normalization;
import org.stealbench.data.TestData;

class EncoderTest {

    @TempDir
    Path tmp;

    @Test
    void everyArchitectureBuildsRunsAndGivesNonNegativeRepresentations() {
        NativeBackend.configure();
        for (Architecture a : Architecture.values()) {
            int side = a == Architecture.RESNET18 ? 8 : 16;
            EncoderSpec spec = EncoderSpec.of(a, 3, side, side, null);
            Encoder e = new Encoder(spec, 1);
            ImageDataset ds = TestData.random(3, 3, side, side, 2, 4);
            INDArray h = e.represent(ds, 2);
            assertArrayEquals(new long[] {3, a.defaultRepDim()}, h.shape(), a.id());
            assertTrue(h.minNumber().doubleValue() >= 0, a.id() + " representation is non-negative");
            assertTrue(h.maxNumber().doubleValue() > 0, a.id() + " representation is not all zero");
            INDArray g = e.head().forward(h, false);
            assertArrayEquals(new long[] {3, 128}, g.shape());
        }
    }

    @Test
    void saveAndLoadGiveEqualOutputsAndKeepTheSpec() throws Exception {
        NativeBackend.configure();
        Normalization norm = new Normalization(new float[] {0.3f}, new float[] {0.2f});
        EncoderSpec spec = new EncoderSpec("small-cnn", 1, 16, 16, 32, 32, 16, true, norm);
        Encoder e = new Encoder(spec, 5);
        ImageDataset ds = TestData.random(4, 1, 16, 16, 2, 9);
        // Train mode once so batch-norm running statistics are not the defaults.
        e.trunk().forward(e.input(ds.batch(0, 4), 4), true);
        INDArray before = e.represent(ds, 4).dup();
        Path f = tmp.resolve("enc.zip");
        EncoderIO.save(e, Map.of("dataset", "test", "epochs", 0), f);
        EncoderIO.Saved back = EncoderIO.load(f);
        assertEquals(spec, back.encoder().spec());
        assertEquals("test", back.provenance().get("dataset"));
        assertEquals(0, before.sub(back.encoder().represent(ds, 4)).amaxNumber().doubleValue(), 0.0);
        assertEquals(0, e.head().params().values().sub(back.encoder().head().params().values()).amaxNumber().doubleValue(), 0.0);
        assertEquals(0, e.watermark().params().values().sub(back.encoder().watermark().params().values()).amaxNumber().doubleValue(), 0.0);
    }

    @Test
    void badFilesAndShapesAreClearErrors() throws Exception {
        NativeBackend.configure();
        Path f = tmp.resolve("bad.zip");
        Files.writeString(f, "not a zip");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EncoderIO.load(f)).getMessage().contains("not a StealBench encoder"));
        assertThrows(IllegalArgumentException.class, () -> EncoderIO.load(tmp.resolve("none.zip")));
        Encoder e = new Encoder(EncoderSpec.of(Architecture.SMALL_CNN, 1, 16, 16, null), 1);
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> e.represent(TestData.random(2, 3, 16, 16, 2, 1), 2));
        assertTrue(ex.getMessage().contains("ImageAdapters.fit"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new EncoderSpec("resnet50", 3, 32, 32, 512, 512, 128, false, null));
    }
}
