package org.stealbench.model.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.stealbench.model.NativeBackend;

/** The convolution's backward pass in parts (decision 0024) against one conv2d_bp call over the whole batch. */
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
        DataType type = Precision.type();
        Nd4j.getRandom().setSeed(5);
        ParamSet params = new ParamSet();
        conv.declare(params, new long[] {size, size, conv.inC});
        params.allocate(3);
        INDArray x = Nd4j.rand(type, batch, size, size, conv.inC).subi(0.5);
        INDArray y = conv.forward(x, true);
        INDArray gy = Nd4j.rand(type, y.shape()).subi(0.5);
        params.zeroGrads();
        INDArray gx = conv.backward(gy.dup(), true).dup();

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
        assertClose(refGx, gx, tolerance, "input gradient");
        assertClose(refGw, conv.w.grad, tolerance, "weight gradient");
    }

    private static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
        double scale = expected.norm2Number().doubleValue();
        double diff = expected.sub(actual.reshape(expected.shape())).norm2Number().doubleValue();
        assertTrue(scale > 0, what + " is zero");
        assertTrue(diff <= tolerance * scale, what + ": relative error " + diff / scale);
    }
}
