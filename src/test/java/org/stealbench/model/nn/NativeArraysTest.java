package org.stealbench.model.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stealbench.model.Architecture;
import org.stealbench.model.Encoder;
import org.stealbench.model.EncoderSpec;
import org.stealbench.model.NativeBackend;

class NativeArraysTest {

    @Test
    void aLayerKeepsTwoShapesPerBufferAndAThirdClosesTheOldest() {
        NativeBackend.configure();
        Relu relu = new Relu();
        long before = NativeArrays.openBytes();
        INDArray a = relu.forward(Nd4j.ones(Precision.type(), 4, 3), true);
        INDArray b = relu.forward(Nd4j.ones(Precision.type(), 5, 3), true);
        long two = NativeArrays.openBytes() - before;
        assertEquals((4 * 3 + 5 * 3) * Precision.type().width(), two);
        // the first shape again: reused, nothing allocated
        assertTrue(relu.forward(Nd4j.ones(Precision.type(), 4, 3), true) == a);
        assertEquals(two, NativeArrays.openBytes() - before);
        // a third shape replaces the least recently used one (5x3), which is freed at once
        relu.forward(Nd4j.ones(Precision.type(), 6, 3), true);
        assertTrue(b.wasClosed(), "the evicted buffer is closed");
        assertEquals((4 * 3 + 6 * 3) * Precision.type().width(), NativeArrays.openBytes() - before);
        relu.releaseBuffers();
        assertEquals(before, NativeArrays.openBytes());
    }

    @Test
    void anEncoderUsedForTrainingAndInferenceFreesEverythingWhenClosed() {
        NativeBackend.configure();
        long before = NativeArrays.openBytes();
        Encoder e = new Encoder(EncoderSpec.of(Architecture.SMALL_CNN, 1, 16, 16, null).withWatermark(true), 3);
        e.trunk().forward(e.input(new float[8 * 256], 8), true);
        // inference pads its last batch to the batch size: 10 images in batches of 4 use one shape
        byte[] px = new byte[10 * 256];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 7);
        }
        var ds = new org.stealbench.data.ImageDataset("t", org.stealbench.data.Split.TRAIN, 1, 16, 16, px, new int[10], java.util.List.of("a"), "test");
        INDArray reps = e.represent(ds, 4);
        assertEquals(10, reps.size(0));
        // the padded batch gives each image the representation it has alone
        INDArray alone = e.represent(ds.slice(8, 10), 4);
        assertTrue(reps.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(8, 10), org.nd4j.linalg.indexing.NDArrayIndex.all())
                .equalsWithEps(alone, 1e-5), "padding changes nothing");
        assertTrue(NativeArrays.openBytes() > before);
        e.close();
        assertEquals(before, NativeArrays.openBytes(), "bytes left by a closed encoder");
    }
}
