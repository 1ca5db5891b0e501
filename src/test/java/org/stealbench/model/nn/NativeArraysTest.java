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
        Linear linear = new Linear(3, 2);
        ParamSet params = new ParamSet();
        linear.declare(params, new long[] {3});
        params.allocate(1);
        long before = NativeArrays.openBytes();
        INDArray a = linear.forward(Nd4j.ones(Precision.type(), 4, 3), true);
        INDArray b = linear.forward(Nd4j.ones(Precision.type(), 5, 3), true);
        long two = NativeArrays.openBytes() - before;
        assertEquals((4 * 2 + 5 * 2) * Precision.type().width(), two);
        // the first shape again: reused, nothing allocated
        assertTrue(linear.forward(Nd4j.ones(Precision.type(), 4, 3), true) == a);
        assertEquals(two, NativeArrays.openBytes() - before);
        // a third shape replaces the least recently used one (5x2), which is freed at once
        linear.forward(Nd4j.ones(Precision.type(), 6, 3), true);
        assertTrue(b.wasClosed(), "the evicted buffer is closed");
        assertEquals((4 * 2 + 6 * 2) * Precision.type().width(), NativeArrays.openBytes() - before);
        linear.releaseBuffers();
        assertEquals(before, NativeArrays.openBytes());
        params.close();
    }

    @Test
    void layersOfANetworkShareInputGradientBuffers() {
        NativeBackend.configure();
        // six layers whose input gradients all have the same shape, and a residual block that needs one twice
        Network net = new Network(new Sequential(new Conv2d(4, 4, 3, 1, 1, false), new BatchNorm(4), new Relu(),
                new ResidualBlock(4, 4, 1), new Conv2d(4, 4, 3, 1, 1, false), new BatchNorm(4)), new long[] {4, 6, 6}, 1);
        int afterFirst = 0;
        for (int step = 0; step < 3; step++) {
            INDArray out = net.forward(Nd4j.rand(Precision.type(), 2, 4, 6, 6), true);
            net.backward(Nd4j.ones(Precision.type(), out.shape()));
            afterFirst = step == 0 ? net.gradientBuffers() : afterFirst;
        }
        // a buffer per layer's input gradient and two per batch norm would be seventeen; the pool holds what is
        // alive at once (here at most five: the residual gradient kept for the shortcut, the gradient in hand,
        // and batch norm's input gradient, centred input and scratch), and later steps reuse them
        assertTrue(net.gradientBuffers() <= 5, "gradient buffers: " + net.gradientBuffers());
        assertEquals(afterFirst, net.gradientBuffers(), "steps after the first allocate nothing");
        long before = NativeArrays.openBytes();
        net.close();
        assertTrue(NativeArrays.openBytes() < before);
    }

    @Test
    void anEncoderUsedForTrainingAndInferenceFreesEverythingWhenClosed() {
        NativeBackend.configure();
        long before = NativeArrays.openBytes();
        long plans = NativeArrays.openPlans();
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
        assertEquals(plans, NativeArrays.openPlans(), "oneDNN plans left by a closed encoder");
    }
}
