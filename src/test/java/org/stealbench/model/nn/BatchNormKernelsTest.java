package org.stealbench.model.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.stealbench.model.NativeBackend;

/**
 * Batch norm's fused float32 kernels against the float64 path on libnd4j's ops (the one
 * {@link GradientCheckTest} checks against finite differences): outputs in training and
 * evaluation mode, running statistics, parameter and input gradients, on inputs far from zero mean, with blocks and parts that do not
 * divide the rows evenly.
 */
class BatchNormKernelsTest {

    @BeforeAll
    static void backend() {
        NativeBackend.configure();
    }

    @Test
    void fusedFloatPathEqualsTheFloat64Path() {
        // 7,500 rows of 40 channels: split into parts, the last block of each part partial
        compare(new long[] {7500, 40}, true, true);
        // few channels, one part, one block
        compare(new long[] {50, 3}, true, true);
        // without scale and shift
        compare(new long[] {1024, 16}, false, true);
        // images (NCHW in, NHWC inside: 300x5x5 rows of 40 channels), a first layer that needs no input gradient
        compare(new long[] {300, 40, 5, 5}, true, false);
    }

    @Test
    void evaluationWithBatchNormFoldedIntoConvolutionsEqualsTheFloat64Network() {
        // float32 folds each convolution's batch norm into its weights and bias in evaluation mode; float64 does not
        java.util.function.Supplier<Layer> build = () -> new Sequential(new InputConv2d(1, 4, 3, 1, false), new BatchNorm(4), new Relu(),
                new Conv2d(4, 6, 3, 1, 1, true), new BatchNorm(6), new MaxPool2d(2), new Conv2d(6, 5, 3, 2, 1, false), new BatchNorm(5, false));
        long[] one = {1, 8, 8};
        Nd4j.getRandom().setSeed(9);
        DataType before = Precision.set(DataType.FLOAT);
        try (Network f = new Network(build.get(), one, 4); Network d = inDouble(() -> new Network(build.get(), one, 4))) {
            f.params().values().assign(Nd4j.rand(DataType.FLOAT, f.params().values().shape()).muli(2).subi(0.7));
            d.params().values().assign(f.params().values().castTo(DataType.DOUBLE));
            INDArray x = Nd4j.rand(DataType.FLOAT, 16, 1, 8, 8);
            for (int step = 0; step < 3; step++) {
                // training passes move the running statistics away from 0 and 1
                INDArray xs = x.mul(step + 1);
                f.forward(xs, true);
                inDouble(() -> d.forward(xs.castTo(DataType.DOUBLE), true));
            }
            close(d.params().state(), f.params().state(), 2e-6, "running statistics");
            INDArray probe = Nd4j.rand(DataType.FLOAT, 7, 1, 8, 8);
            close(inDouble(() -> d.forward(probe.castTo(DataType.DOUBLE), false)), f.forward(probe, false), 2e-5, "folded evaluation output");
        } finally {
            Precision.set(before);
        }
    }

    @Test
    void batchNormPoolingAndReluFusedEqualTheThreeLayersInFloat64() {
        // float32 runs batch norm, 2x2 pooling and ReLU as one (two sweeps); float64 runs the three layers on libnd4j's ops.
        // Odd sizes (the pooling drops a row and a column: 9x7 -> 4x3, 7x5 -> 3x2), scales of both signs (the pick is then
        // the window's smallest input), a zero corner (tied windows: exactly one value of each gets the gradient)
        fusedPoolReluMatches(new long[] {6, 3, 9, 7}, 5);
        fusedPoolReluMatches(new long[] {40, 2, 7, 5}, 24);
    }

    private static void fusedPoolReluMatches(long[] shape, int channels) {
        java.util.function.Supplier<Layer> build = () -> new Sequential(new Conv2d((int) shape[1], channels, 3, 1, 1, false),
                new BatchNorm(channels), new MaxPool2d(2), new Relu(), new Flatten(), new Linear(channels * (int) (shape[2] / 2) * (int) (shape[3] / 2), 3));
        long[] one = java.util.Arrays.copyOfRange(shape, 1, 4);
        Nd4j.getRandom().setSeed(11);
        DataType before = Precision.set(DataType.FLOAT);
        try (Network f = new Network(build.get(), one, 4); Network d = inDouble(() -> new Network(build.get(), one, 4))) {
            f.params().values().assign(Nd4j.rand(DataType.FLOAT, f.params().values().shape()).muli(2).subi(0.6));
            d.params().values().assign(f.params().values().castTo(DataType.DOUBLE));
            INDArray x = Nd4j.randn(DataType.FLOAT, shape).addi(0.3);
            x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 4), NDArrayIndex.interval(0, 4)).assign(0);
            INDArray g = Nd4j.randn(DataType.FLOAT, shape[0], 3);
            Sequential fs = (Sequential) f.root();
            Sequential ds = (Sequential) d.root();
            for (int step = 0; step < 2; step++) {
                close(inDouble(() -> d.forward(x.castTo(DataType.DOUBLE), true)), f.forward(x, true), 2e-5, "output");
                assertEquals(java.util.BitSet.valueOf(new long[] {2}), fs.fusedInLastPass(), "float32 ran layers 1-3 fused");
                assertTrue(ds.fusedInLastPass().isEmpty(), "float64 ran the three layers");
                f.params().zeroGrads();
                d.params().zeroGrads();
                INDArray gxf = fs.backward(g.dup(), true);
                INDArray gxd = inDouble(() -> ds.backward(g.castTo(DataType.DOUBLE), true));
                close(gxd, gxf, 2e-5, "input gradient");
                close(d.params().grads(), f.params().grads(), 2e-5, "parameter gradients");
                close(d.params().state(), f.params().state(), 2e-6, "running statistics");
            }
            BatchNorm bn = (BatchNorm) fs.layers().get(1);
            float[] gamma = BatchNormKernels.read(bn.gamma.value);
            assertTrue(java.util.stream.IntStream.range(0, channels).anyMatch(j -> gamma[j] < 0), "some channel's scale is negative");
        } finally {
            Precision.set(before);
        }
    }

    @Test
    void oneSweepMomentsKeepTheVarianceOfAChannelFarFromZeroMean() {
        // means of 1,000 and -250 against spreads of 0.05 and 2: unshifted float32 sums of squares lose the
        // variance entirely here (1e6 against 0.0025 is below float32's resolution). Both sweeps that take the
        // moments: batch norm's own, and the pooled block's (on signed values; odd height and width, whose
        // dropped row and column still count)
        long[] shape = {70, 25, 41, 3};
        int m = 70 * 25 * 41;
        float[] data = new float[m * 3];
        double[] mean = {1000, -250, 0.5};
        double[] sd = {0.05, 2, 1};
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < 3; j++) {
                data[i * 3 + j] = (float) (mean[j] + sd[j] * r.nextGaussian());
            }
        }
        INDArray x = Nd4j.create(data, shape, 'c');
        double[][] plain = BatchNormKernels.moments(x.reshape('c', m, 3));
        INDArray picks = Nd4j.create(DataType.FLOAT, PoolReluKernels.pooledShape(x));
        double[][] pooled = PoolReluKernels.momentsAndPicks(x, new float[] {1, -1, -1}, picks);
        for (int j = 0; j < 3; j++) {
            double mu = 0;
            for (int i = 0; i < m; i++) {
                mu += data[i * 3 + j];
            }
            mu /= m;
            double ssd = 0;
            for (int i = 0; i < m; i++) {
                ssd += (data[i * 3 + j] - mu) * (data[i * 3 + j] - mu);
            }
            for (double[][] got : new double[][][] {plain, pooled}) {
                String which = got == plain ? "batch norm's sweep" : "the pooled block's sweep";
                assertEquals(mu, got[0][j], 1e-6 * Math.abs(mu) + 1e-6, "mean of channel " + j + ", " + which);
                assertEquals(ssd, got[1][j], 1e-4 * ssd, "squared deviations of channel " + j + ", " + which);
            }
        }
    }

    @Test
    void theVectorKernelsGiveTheLoopsFloats() {
        // the vector API's module is on the tests' command line as on the launcher's: without it every comparison
        // below would run the loops twice and pass
        assertTrue(PoolReluKernels.MODULE, "jdk.incubator.vector is present (surefire's argLine adds it)");
        // 32 channels (the widest vectors on AVX-512), 12 (four lanes), odd heights and widths (a dropped row and
        // column), scales of both signs, tied windows (a zero block)
        for (long[] shape : new long[][] {{9, 13, 11, 32}, {5, 6, 7, 12}, {3, 4, 4, 16}}) {
            int c = (int) shape[3];
            assertTrue(PoolReluKernels.species(c) != null, c + " channels take the vector kernels");
            java.util.Random r = new java.util.Random(c);
            INDArray x = Nd4j.randn(DataType.FLOAT, shape).addi(0.2);
            x.get(NDArrayIndex.interval(0, 2), NDArrayIndex.interval(0, 3), NDArrayIndex.interval(0, 3), NDArrayIndex.all()).assign(0);
            float[] sign = new float[c];
            float[] mean = new float[c];
            float[] a = new float[c];
            float[] b = new float[c];
            float[] cc = new float[c];
            for (int j = 0; j < c; j++) {
                sign[j] = j % 3 == 1 ? -1 : 1;
                mean[j] = (float) r.nextGaussian();
                a[j] = (float) r.nextGaussian();
                b[j] = (float) r.nextGaussian();
                cc[j] = (float) r.nextGaussian();
            }
            INDArray picksLoops = Nd4j.create(DataType.FLOAT, PoolReluKernels.pooledShape(x));
            INDArray picksVectors = Nd4j.create(DataType.FLOAT, PoolReluKernels.pooledShape(x));
            double[][] loops = PoolReluKernels.momentsAndPicks(x, sign, picksLoops, false);
            double[][] vectors = PoolReluKernels.momentsAndPicks(x, sign, picksVectors, true);
            assertTrue(java.util.Arrays.equals(loops[0], vectors[0]) && java.util.Arrays.equals(loops[1], vectors[1]),
                    "moments, " + java.util.Arrays.toString(shape));
            assertEquals(picksLoops, picksVectors, "picks, " + java.util.Arrays.toString(shape));
            // the ReLU's output: zero at about half the windows
            INDArray out = Nd4j.randn(DataType.FLOAT, picksLoops.shape());
            out.muli(out.gt(0).castTo(DataType.FLOAT));
            INDArray g = Nd4j.randn(DataType.FLOAT, picksLoops.shape());
            INDArray dxLoops = Nd4j.create(DataType.FLOAT, shape);
            INDArray dxVectors = Nd4j.create(DataType.FLOAT, shape);
            PoolReluKernels.inputGradient(x, sign, g, out, mean, a, b, cc, dxLoops, false);
            PoolReluKernels.inputGradient(x, sign, g, out, mean, a, b, cc, dxVectors, true);
            float[] l = dxLoops.data().asFloat();
            float[] v = dxVectors.data().asFloat();
            for (int i = 0; i < l.length; i++) {
                // the same float, up to the sign of a zero
                assertTrue(l[i] == v[i], "dx[" + i + "] " + l[i] + " vs " + v[i] + ", " + java.util.Arrays.toString(shape));
            }
        }
    }

    @Test
    void onlyPlainFloatArraysTakeTheKernels() {
        assertTrue(BatchNormKernels.applies(Nd4j.create(DataType.FLOAT, 4, 3)));
        assertFalse(BatchNormKernels.applies(Nd4j.create(DataType.DOUBLE, 4, 3)));
        assertFalse(BatchNormKernels.applies(Nd4j.create(DataType.FLOAT, 3, 4).transpose()));
        // a row of a matrix is contiguous; a column is not
        INDArray m = Nd4j.create(DataType.FLOAT, 3, 4);
        assertTrue(BatchNormKernels.applies(m.getRow(1)));
        assertFalse(BatchNormKernels.applies(m.getColumn(1)));
    }

    private static void compare(long[] shape, boolean affine, boolean inputGrad) {
        long[] one = java.util.Arrays.copyOfRange(shape, 1, shape.length);
        long channels = shape[1];
        Nd4j.getRandom().setSeed(5);
        DataType before = Precision.set(DataType.FLOAT);
        try (Network f = new Network(new BatchNorm(channels, affine), one, 3);
                Network d = inDouble(() -> new Network(new BatchNorm(channels, affine), one, 3))) {
            if (affine) {
                f.params().values().assign(Nd4j.rand(DataType.FLOAT, f.params().values().shape()).muli(2).subi(0.5));
            }
            d.params().values().assign(f.params().values().castTo(DataType.DOUBLE));
            // a large mean against a small spread: the case where centring matters in float32
            INDArray x = Nd4j.randn(DataType.FLOAT, shape).muli(0.7).addi(channelOffsets(shape));
            INDArray g = Nd4j.randn(DataType.FLOAT, shape).addi(0.2);
            for (int step = 0; step < 2; step++) {
                INDArray yf = f.forward(x, true);
                INDArray yd = inDouble(() -> d.forward(x.castTo(DataType.DOUBLE), true));
                close(yd, yf, 2e-5, "output");
                f.params().zeroGrads();
                d.params().zeroGrads();
                if (inputGrad) {
                    INDArray gxf = f.backwardToInput(g.dup());
                    INDArray gxd = inDouble(() -> d.backwardToInput(g.castTo(DataType.DOUBLE)));
                    close(gxd, gxf, 2e-5, "input gradient");
                } else {
                    f.backward(g.dup());
                    inDouble(() -> {
                        d.backward(g.castTo(DataType.DOUBLE));
                        return null;
                    });
                }
                if (affine) {
                    close(d.params().grads(), f.params().grads(), 2e-5, "parameter gradients");
                }
                close(d.params().state(), f.params().state(), 2e-6, "running statistics");
            }
            // evaluation mode: the running statistics
            close(inDouble(() -> d.forward(x.castTo(DataType.DOUBLE), false)), f.forward(x, false), 2e-5, "evaluation output");
        } finally {
            Precision.set(before);
        }
    }

    /** The float64 network's calls: its layers allocate their buffers in the precision of the moment. */
    private static <T> T inDouble(java.util.function.Supplier<T> call) {
        DataType before = Precision.set(DataType.DOUBLE);
        try {
            return call.get();
        } finally {
            Precision.set(before);
        }
    }

    /** A per-channel offset between -3 and 3, broadcast to the input's shape (channels are dimension 1). */
    private static INDArray channelOffsets(long[] shape) {
        long[] perChannel = new long[shape.length];
        java.util.Arrays.fill(perChannel, 1);
        perChannel[1] = shape[1];
        return Nd4j.rand(DataType.FLOAT, perChannel).muli(6).subi(3).broadcast(shape);
    }

    /** Largest difference within {@code tol} of the reference's largest magnitude. */
    private static void close(INDArray reference, INDArray fused, double tol, String what) {
        double scale = Math.max(1e-12, reference.amaxNumber().doubleValue());
        double diff = reference.sub(fused.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(diff <= tol * scale, what + ": largest difference " + diff + " against largest value " + scale);
    }
}
