package org.stealbench.model.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stealbench.model.NativeBackend;

/**
 * Every layer's analytic backward pass against central finite differences, in float64, through
 * a random linear read-out L = sum(out * R) so every output element matters.
 */
class GradientCheckTest {

    private static DataType previous;

    @BeforeAll
    static void doublePrecision() {
        NativeBackend.configure();
        previous = Precision.set(DataType.DOUBLE);
    }

    @AfterAll
    static void restore() {
        Precision.set(previous);
    }

    /** Checks all (or a sample of) parameters of a network built by {@code build}. */
    static void check(Supplier<Layer> build, long[] inputShape, int batch, int samples) {
        Nd4j.getRandom().setSeed(17);
        Network net = new Network(build.get(), inputShape, 11);
        long[] xs = new long[inputShape.length + 1];
        xs[0] = batch;
        System.arraycopy(inputShape, 0, xs, 1, inputShape.length);
        INDArray x = Nd4j.rand(DataType.DOUBLE, xs).subi(0.5);
        INDArray y0 = net.forward(x, true);
        INDArray r = Nd4j.rand(DataType.DOUBLE, y0.shape()).subi(0.5);
        net.params().zeroGrads();
        net.forward(x, true);
        net.backward(r.dup());
        INDArray analytic = net.params().grads().dup();
        INDArray values = net.params().values();
        long n = values.length();
        SplittableRandom rnd = new SplittableRandom(3);
        double eps = 1e-6;
        int checked = 0;
        double worst = 0;
        for (int s = 0; s < Math.min(samples, n); s++) {
            long i = samples >= n ? s : rnd.nextLong(n);
            double v = values.getDouble(i);
            values.putScalar(i, v + eps);
            double lp = net.forward(x, true).mul(r).sumNumber().doubleValue();
            values.putScalar(i, v - eps);
            double lm = net.forward(x, true).mul(r).sumNumber().doubleValue();
            values.putScalar(i, v);
            double numeric = (lp - lm) / (2 * eps);
            double a = analytic.getDouble(i);
            double err = Math.abs(numeric - a) / Math.max(1e-6, Math.abs(numeric) + Math.abs(a));
            assertTrue(err < 1e-4 || Math.abs(numeric - a) < 1e-7,
                    "param " + i + ": analytic " + a + " vs numeric " + numeric);
            if (Math.abs(numeric - a) >= 1e-7) {
                worst = Math.max(worst, err);
            }
            checked++;
        }
        assertTrue(checked > 0);
        assertTrue(worst < 1e-4, "worst relative error " + worst);
    }

    @Test
    void conv2dStrideOneAndTwoWithAndWithoutBias() {
        check(() -> new Sequential(new Conv2d(2, 3, 3, 1, 1, true), new Conv2d(3, 4, 3, 2, 1, false)), new long[] {2, 6, 6}, 3, 400);
        check(() -> new Sequential(new Conv2d(2, 3, 3, 1, 1, false), new Conv2d(3, 2, 1, 2, 0, true)), new long[] {2, 5, 5}, 2, 400);
    }

    @Test
    void inputConvMatchesConvAndHasRightGradients() {
        check(() -> new Sequential(new InputConv2d(3, 4, 3, 1, true), new Relu(), new Conv2d(4, 2, 3, 1, 1, true)),
                new long[] {3, 5, 5}, 2, 400);
        // Same parameters, same outputs as the generic convolution.
        Network a = new Network(new InputConv2d(3, 5, 3, 1, true), new long[] {3, 7, 7}, 5);
        Network b = new Network(new Conv2d(3, 5, 3, 1, 1, true), new long[] {3, 7, 7}, 5);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 3, 7, 7);
        INDArray ya = a.forward(x, true).dup();
        INDArray yb = b.forward(x, true).dup();
        assertEquals(0, ya.sub(yb).norm2Number().doubleValue(), 1e-9);
        INDArray g = Nd4j.rand(DataType.DOUBLE, ya.shape());
        a.params().zeroGrads();
        b.params().zeroGrads();
        a.backward(g);
        b.backward(g);
        assertEquals(0, a.params().grads().sub(b.params().grads()).norm2Number().doubleValue(), 1e-9);
    }

    @Test
    void poolingReluLinearAndFlatten() {
        check(() -> new Sequential(new Conv2d(1, 3, 3, 1, 1, true), new MaxPool2d(2), new Relu(), new Flatten(),
                new Linear(3 * 3 * 3, 4)), new long[] {1, 6, 6}, 3, 200);
    }

    @Test
    void batchNormInTraining() {
        check(() -> new Sequential(new Conv2d(2, 3, 3, 1, 1, false), new BatchNorm(3), new Relu(), new GlobalAvgPool(),
                new Linear(3, 3), new BatchNorm(3, false)), new long[] {2, 4, 4}, 5, 200);
    }

    @Test
    void residualBlocksWithAndWithoutProjection() {
        check(() -> new Sequential(new Conv2d(2, 4, 3, 1, 1, false), new ResidualBlock(4, 4, 1), new ResidualBlock(4, 6, 2),
                new GlobalAvgPool()), new long[] {2, 6, 6}, 3, 300);
    }

    @Test
    void gradientsAccumulateOverTwoBackwardPasses() {
        Network net = new Network(new Sequential(new Conv2d(1, 2, 3, 1, 1, true), new Flatten(), new Linear(32, 2)),
                new long[] {1, 4, 4}, 1);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 1, 4, 4);
        INDArray g = Nd4j.rand(DataType.DOUBLE, 2, 2);
        net.params().zeroGrads();
        net.forward(x, true);
        net.backward(g);
        INDArray once = net.params().grads().dup();
        net.forward(x, true);
        net.backward(g);
        assertEquals(0, net.params().grads().sub(once.mul(2)).norm2Number().doubleValue(), 1e-9);
    }
}
