package org.stealbench.model.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.stealbench.model.NativeBackend;

/**
 * The convolution's backward pass in parts (decision 0024) and through oneDNN directly (decision 0026),
 * each against one conv2d_bp call over the whole batch.
 */
class Conv2dTest {

    @BeforeAll
    static void backend() {
        NativeBackend.configure();
    }

    @Test
    void partsAreTheFewestPowersOfTwoThatKeepEachPartUnderTheLimit() {
        long mib = 1L << 20;
        // ResNet-18's first stage at 128 images: 256 KiB an image, 32 MiB in all -> four parts of 8 MiB
        assertEquals(4, Conv2d.backwardParts(128, 256L << 10, 8 * mib));
        assertEquals(2, Conv2d.backwardParts(128, 128L << 10, 8 * mib));
        assertEquals(1, Conv2d.backwardParts(128, 64L << 10, 8 * mib));
        // a batch that does not halve evenly stops where it can
        assertEquals(2, Conv2d.backwardParts(6, 10 * mib, 8 * mib));
        assertEquals(1, Conv2d.backwardParts(7, 10 * mib, 8 * mib));
        assertEquals(1, Conv2d.backwardParts(1, 100 * mib, 8 * mib));
    }

    @Test
    void backwardInPartsEqualsOneCallOverTheBatch() {
        // 48 images of 64 channels at 32x32 in float32: 12 MiB of input, so the layer takes two parts
        int batch = 48;
        long perImage = 64L * 32 * 32 * 4;
        assertEquals(2, Conv2d.backwardParts(batch, perImage, Conv2d.BACKWARD_PART_BYTES));
        compare(new Conv2d(64, 64, 3, 1, 1, true), batch, 32, 1e-4);
        // stride 2, no bias: the input (16 MiB) decides, the output gradient is a quarter of it
        compare(new Conv2d(64, 64, 3, 2, 1, false), 64, 32, 1e-4);
        // float64: twice the bytes, four parts; the same sums in another order agree to float64's rounding
        DataType previous = Precision.set(DataType.DOUBLE);
        try {
            assertEquals(4, Conv2d.backwardParts(batch, 2 * perImage, Conv2d.BACKWARD_PART_BYTES));
            compare(new Conv2d(64, 64, 3, 1, 1, true), batch, 32, 1e-12);
        } finally {
            Precision.set(previous);
        }
    }

    /**
     * Backward pass of {@code conv} (in parts where its size says so) against one conv2d_bp call, both
     * in the current precision, to within {@code tolerance} relative (float32 sums of 49,152 terms in
     * another order differ by about 1e-5 relative; a part left out or counted twice, by about 0.5).
     */
    private static void compare(Conv2d conv, int batch, int size, double tolerance) {
        conv.oneDnn = false;
        compareWithOneCall(conv, batch, size, tolerance, true);
    }

    @Test
    void oneDnnBackwardEqualsConv2dBp() {
        // on the machines the project runs its tests on (linux-x86_64) the library must load: a build
        // that lost it would quietly fall back to conv2d_bp and pass every comparison below
        if ("amd64".equals(System.getProperty("os.arch")) && System.getProperty("os.name").startsWith("Linux")) {
            assertTrue(OneDnnConvolution.available(), "oneDNN (org.bytedeco:dnnl) did not load");
        }
        // the demo copy's inner convolutions, ResNet-18's kinds (bias, stride 2, 1x1 shortcut), an odd size
        compareWithOneCall(new Conv2d(32, 64, 3, 1, 1, false), 16, 16, 1e-4, true);
        compareWithOneCall(new Conv2d(64, 128, 3, 1, 1, false), 32, 8, 1e-4, true);
        compareWithOneCall(new Conv2d(16, 32, 3, 1, 1, true), 8, 13, 1e-4, true);
        compareWithOneCall(new Conv2d(32, 64, 3, 2, 1, true), 8, 16, 1e-4, true);
        compareWithOneCall(new Conv2d(32, 64, 1, 2, 0, false), 8, 16, 1e-4, true);
        // no input gradient wanted: none returned, the weight gradient still right
        compareWithOneCall(new Conv2d(32, 64, 3, 1, 1, true), 8, 16, 1e-4, false);
    }

    @Test
    void oneDnnForwardEqualsConv2d() {
        Nd4j.getRandom().setSeed(9);
        for (Conv2d conv : new Conv2d[] {new Conv2d(32, 64, 3, 1, 1, false), new Conv2d(16, 32, 3, 1, 1, true), new Conv2d(16, 32, 3, 2, 1, true),
                new Conv2d(16, 32, 1, 2, 0, false)}) {
            ParamSet params = new ParamSet();
            params.declare("before", new long[] {5}, Param.Init.uniformFanIn(1));
            conv.declare(params, new long[] {13, 13, conv.inC});
            params.allocate(3);
            INDArray x = Nd4j.rand(DataType.FLOAT, 6, 13, 13, conv.inC).subi(0.5);
            INDArray y = conv.forward(x, true).dup();
            conv.oneDnn = false;
            INDArray ref = conv.forward(x, true).dup();
            assertClose(ref, y, 1e-5, "output of " + conv.inC + " -> " + conv.outC + ", stride " + conv.stride + ", bias " + conv.bias);
            // evaluation with a batch norm's scale and shift folded in: a plan with a bias, whatever the layer has
            float[] scale = new float[conv.outC];
            float[] shift = new float[conv.outC];
            for (int j = 0; j < scale.length; j++) {
                scale[j] = j % 3 == 0 ? -0.5f - j * 0.01f : 1.5f + j * 0.02f;
                shift[j] = 0.1f * j - 1f;
            }
            INDArray refFolded = conv.forwardFolded(x, scale, shift).dup();
            conv.oneDnn = true;
            assertClose(refFolded, conv.forwardFolded(x, scale, shift), 1e-5, "folded output, bias " + conv.bias);
            conv.releaseBuffers();
        }
    }

    @Test
    void aPlanOneDnnRefusesIsNeverLeftOpen() {
        if (!OneDnnConvolution.available()) {
            return;
        }
        int open = OneDnnConvolution.open();
        // a 5x5 kernel over a 2x2 image without padding: no output, oneDNN refuses the description
        org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> new OneDnnConvolution(2, 2, 2, 4, 8, 5, 1, 0, false));
        assertEquals(open, OneDnnConvolution.open(), "plans open after a refused one");
    }

    @Test
    void oneDnnPlansFollowTheBatchSizeAndAreFreedWithTheBuffers() {
        Conv2d conv = new Conv2d(8, 16, 3, 1, 1, true);
        // four batch sizes in turn: at most PLANS plans kept (the least recently used one goes), each answer still right
        for (int batch : new int[] {4, 6, 4, 2, 8, 6, 4}) {
            compareWithOneCall(conv, batch, 10, 1e-4, true);
            assertTrue(conv.oneDnnPlans() <= Conv2d.PLANS, "plans kept: " + conv.oneDnnPlans());
        }
        assertEquals(OneDnnConvolution.available() ? Conv2d.PLANS : 0, conv.oneDnnPlans());
        conv.releaseBuffers();
        assertEquals(0, conv.oneDnnPlans());
        // and the layer works again after its buffers were freed
        compareWithOneCall(conv, 4, 10, 1e-4, true);
    }

    /** Each layer's parameters, declared on its first comparison. */
    private static final java.util.Map<Conv2d, ParamSet> PARAMS = new java.util.IdentityHashMap<>();

    /**
     * Backward pass of {@code conv} against one conv2d_bp call over the batch, both in the current
     * precision, to within {@code tolerance} relative; without {@code inputGradient} the layer must return none.
     */
    private static void compareWithOneCall(Conv2d conv, int batch, int size, double tolerance, boolean inputGradient) {
        DataType type = Precision.type();
        Nd4j.getRandom().setSeed(5);
        ParamSet params = PARAMS.computeIfAbsent(conv, c -> {
            ParamSet p = new ParamSet();
            // another layer's parameters first: the weights are a view at an offset into the flat vector, as in a network
            p.declare("before", new long[] {7}, Param.Init.uniformFanIn(1));
            c.declare(p, new long[] {size, size, c.inC});
            p.allocate(3);
            return p;
        });
        INDArray x = Nd4j.rand(type, batch, size, size, conv.inC).subi(0.5);
        INDArray y = conv.forward(x, true);
        INDArray gy = Nd4j.rand(type, y.shape()).subi(0.5);
        params.zeroGrads();
        INDArray gxOut = conv.backward(gy.dup(), inputGradient);
        if (!inputGradient) {
            assertNull(gxOut, "an input gradient nobody asked for");
        }
        INDArray gx = gxOut == null ? null : gxOut.dup();

        INDArray refGx = Nd4j.create(type, x.shape());
        INDArray refGw = Nd4j.create(type, conv.w.shape);
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d_bp").addIntegerArguments(conv.intArgs());
        if (conv.bias) {
            INDArray refGb = Nd4j.create(type, conv.outC);
            Nd4j.exec(op.addInputs(x, conv.w.value, conv.b.value, gy).addOutputs(refGx, refGw, refGb).build());
            assertClose(refGb, conv.b.grad, tolerance, "bias gradient");
        } else {
            Nd4j.exec(op.addInputs(x, conv.w.value, gy).addOutputs(refGx, refGw).build());
        }
        if (inputGradient) {
            assertClose(refGx, gx, tolerance, "input gradient");
        }
        assertClose(refGw, conv.w.grad, tolerance, "weight gradient");
    }

    private static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
        double scale = expected.norm2Number().doubleValue();
        double diff = expected.sub(actual.reshape(expected.shape())).norm2Number().doubleValue();
        assertTrue(scale > 0, what + " is zero");
        assertTrue(diff <= tolerance * scale, what + ": relative error " + diff / scale);
    }
}
