package org.stealbench.model.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Batch normalisation over the last (channel) dimension of NHWC or [N, C] tensors, PyTorch's
 * semantics: batch statistics (biased variance) when training, running statistics (momentum
 * 0.1, unbiased variance) otherwise; learnable scale and shift unless {@code affine} is false.
 *
 * <p>The backward pass is dx = a*dy + b*(x - mean) + c with per-channel a, b, c, where libnd4j's
 * own batchnorm_bp took 200 ms for a 128x32x32x64 tensor. In float32 on host memory the full-size
 * passes are {@link BatchNormKernels}' fused sweeps (the mean and variance in one read of the input,
 * shifted by a value of the batch so that float32 keeps the variance) and the per-channel
 * arithmetic runs in Java (decisions 0021, 0022); float64 (the gradient checks) runs on libnd4j's
 * ops, the reference the kernels are tested against: the mean as one GEMM (ND4J's {@code sum(0)}
 * on a tall matrix is 15 times slower), the variance from deviations from it.
 */
public final class BatchNorm extends Layer {

    static final double EPS = 1e-5;
    static final double MOMENTUM = 0.1;
    final long channels;
    final boolean affine;
    Param gamma;
    Param beta;
    Param runningMean;
    Param runningVar;
    private INDArray input2d;
    private INDArray mean;
    private INDArray invStd;
    /** The float32 path's batch mean and 1/std, kept on the heap for its backward pass (null after the float64 path). */
    private float[] meanF;
    private float[] invStdF;
    /** What {@link #backwardPoolRelu} needs of the last {@link #forwardPoolRelu} (null after any other forward pass). */
    private Pooled pooled;

    /**
     * A fused forward pass's input and output, the picks' deviations from the batch mean, and the
     * signs of its scales (which way each channel pooled).
     */
    private record Pooled(INDArray input, INDArray out, INDArray centred, float[] sign) {
    }

    public BatchNorm(long channels) {
        this(channels, true);
    }

    public BatchNorm(long channels, boolean affine) {
        this.channels = channels;
        this.affine = affine;
    }

    @Override
    public long[] outputShape(long[] in) {
        return in.clone();
    }

    @Override
    public void declare(ParamSet params, long[] in) {
        if (in[in.length - 1] != channels) {
            throw new IllegalArgumentException("batch norm over " + channels + " channels, input " + java.util.Arrays.toString(in));
        }
        if (affine) {
            gamma = params.declare("bn.gamma", new long[] {channels}, Param.Init.constant(1f));
            beta = params.declare("bn.beta", new long[] {channels}, Param.Init.constant(0f));
        }
        runningMean = params.declareState("bn.mean", new long[] {channels}, Param.Init.constant(0f));
        runningVar = params.declareState("bn.var", new long[] {channels}, Param.Init.constant(1f));
    }

    @Override
    public INDArray forward(INDArray x, boolean training) {
        INDArray x2d = x.reshape('c', x.length() / channels, channels);
        long m = x2d.size(0);
        INDArray y = buffer("y", x.shape());
        INDArray y2d = y.reshape('c', m, channels);
        boolean fused = fusable(x2d, y2d);
        if (!training && fused) {
            // per-channel scale and shift from the running statistics, in Java; one native pass
            float[][] ss = evalScaleShift();
            input2d = null;
            return affine(x2d, ss[0], ss[1], y, y2d);
        }
        if (!training) {
            INDArray inv = Transforms.pow(runningVar.value.add(EPS), -0.5, false);
            INDArray scale = affine ? inv.mul(gamma.value) : inv;
            INDArray shift = runningMean.value.mul(scale).negi();
            if (affine) {
                shift.addi(beta.value);
            }
            Ops.affine(x2d, scale, shift, y2d);
            input2d = null;
            return y;
        }
        if (fused) {
            return fusedForward(x2d, y, y2d, m);
        }
        // Centre first: E[x^2] - E[x]^2 in float32 loses the variance when the mean is large.
        INDArray mu = Ops.columnSums(x2d, buffer("mean", channels), 1.0 / m);
        // the centred input lives in a scratch buffer for this call; backward centres again from the kept
        // input (the layer before's output, unchanged until the next forward pass): one pass more there,
        // one activation-sized buffer less per batch norm
        // (scratch in the input's own shape, so gradient buffers and scratch are interchangeable in the pool)
        INDArray xcBuf = scratch("xc", x.shape());
        INDArray xc = xcBuf.reshape('c', m, channels);
        Nd4j.exec(new BroadcastSubOp(x2d, mu, xc, 1));
        INDArray sqBuf = scratch("tmp", x.shape());
        INDArray sq = sqBuf.reshape('c', m, channels);
        Nd4j.exec(new MulOp(xc, xc, sq));
        INDArray var = Ops.columnSums(sq, buffer("var", channels), 1.0 / m);
        consumed(sqBuf);
        normalise(xc, y2d, mu, var, m);
        consumed(xcBuf);
        input2d = x2d;
        return y;
    }

    /** Updates the running statistics and writes y from the centred input and the batch's mean and variance. */
    private void normalise(INDArray xc, INDArray y2d, INDArray mu, INDArray var, long m) {
        runningMean.value.muli(1 - MOMENTUM).addi(mu.mul(MOMENTUM));
        runningVar.value.muli(1 - MOMENTUM).addi(var.mul(MOMENTUM * m / Math.max(1, m - 1)));
        INDArray inv = Transforms.pow(var.add(EPS), -0.5, false);
        INDArray scale = affine ? inv.mul(gamma.value) : inv;
        Ops.affine(xc, scale, affine ? beta.value : scale.mul(0), y2d);
        mean = mu;
        invStd = inv;
        meanF = null;
    }

    @Override
    public INDArray backward(INDArray gy, boolean needInputGrad) {
        INDArray gy2d = gy.reshape('c', input2d.size(0), channels);
        long m = gy2d.size(0);
        if (meanF != null) {
            // the forward pass took the float32 kernels (its statistics are on the heap); so does this one
            return fusedBackward(gy, BatchNormKernels.applies(gy2d) ? gy2d : gy2d.dup('c'), m, needInputGrad);
        }
        INDArray centeredBuf = scratch("xc", gy.shape());
        INDArray centered = centeredBuf.reshape('c', m, channels);
        Nd4j.exec(new BroadcastSubOp(input2d, mean, centered, 1));
        INDArray dBeta = Ops.columnSums(gy2d, buffer("dbeta", channels), 1.0);
        INDArray tmpBuf = scratch("tmp", gy.shape());
        INDArray tmp = tmpBuf.reshape('c', m, channels);
        Nd4j.exec(new MulOp(gy2d, centered, tmp));
        // sum(dy * (x - mean)); dGamma = invStd * that
        INDArray dyXc = Ops.columnSums(tmp, buffer("dgamma", channels), 1.0);
        if (affine) {
            beta.grad.addi(dBeta);
            gamma.grad.addi(dyXc.mul(invStd));
        }
        if (!needInputGrad) {
            consumed(tmpBuf);
            consumed(centeredBuf);
            consumed(gy);
            return null;
        }
        // dx = a*dy + b*(x - mean) + c with a = gamma*invStd, b = -a*invStd^2*sum(dy*(x-mean))/m, c = -a*sum(dy)/m
        INDArray a = affine ? invStd.mul(gamma.value) : invStd.dup();
        INDArray b = a.mul(invStd).muli(invStd).muli(dyXc).divi(-m);
        INDArray c = a.mul(dBeta).divi(-m);
        INDArray gx = gradientBuffer(gy.shape());
        INDArray gx2d = gx.reshape('c', m, channels);
        Ops.affine(gy2d, a, c, gx2d);
        consumed(gy);
        Nd4j.exec(new BroadcastMulOp(centered, b, tmp, 1));
        Nd4j.exec(new AddOp(gx2d, tmp, gx2d));
        consumed(tmpBuf);
        consumed(centeredBuf);
        return gx;
    }

    /**
     * The float32 forward pass: the mean and the squared deviations in one fused sweep, the
     * per-channel arithmetic (running statistics, scale, shift) in Java, y = x*scale + shift in one
     * native pass: one call into libnd4j where the float64 path makes about fifteen, most of
     * them on vectors of a few dozen values, where the call costs more than the work.
     */
    private INDArray fusedForward(INDArray x2d, INDArray y, INDArray y2d, long m) {
        float[][] ss = batchStatistics(x2d, m);
        return affine(x2d, ss[0], ss[1], y, y2d);
    }

    /**
     * The float32 training pass's statistics: the batch's mean and variance in one sweep of the [M, C]
     * input, the running statistics updated; keeps what backward needs and returns {scale, shift, 1/std}.
     */
    private float[][] batchStatistics(INDArray x2d, long m) {
        float[][] ss = statistics(BatchNormKernels.moments(x2d), m);
        input2d = x2d;
        return ss;
    }

    /**
     * The float32 training pass's per-channel arithmetic on the batch's {mean, sum of squared deviations}
     * over {@code m} values a channel: the running statistics updated; keeps what backward needs and
     * returns {scale, shift, 1/std}.
     */
    private float[][] statistics(double[][] moments, long m) {
        float[] mu = toFloat(moments[0]);
        double[] var = variances(moments[1], m);
        float[] rm = BatchNormKernels.read(runningMean.value);
        float[] rv = BatchNormKernels.read(runningVar.value);
        updateRunning(rm, rv, mu, var, (double) m / Math.max(1, m - 1));
        BatchNormKernels.write(runningMean.value, rm);
        BatchNormKernels.write(runningVar.value, rv);
        float[][] ss = scaleShift(mu, var);
        meanF = mu;
        invStdF = ss[2];
        pooled = null;
        return ss;
    }

    // The per-channel loops of the training passes are helpers of their own (here and in the kernels): a method
    // called a few times a step with a loop in it reaches C2 by its loop's count halfway through a theft, and C2
    // then inlines the sweeps' set-up and the worker pool into it, 0.2-0.3 s of compiling each on one of the two
    // cores (decision 0023's second addendum).

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int j = 0; j < f.length; j++) {
            f[j] = (float) v[j];
        }
        return f;
    }

    private static double[] variances(double[] ssd, long m) {
        double[] var = new double[ssd.length];
        for (int j = 0; j < var.length; j++) {
            var[j] = ssd[j] / m;
        }
        return var;
    }

    private static void updateRunning(float[] rm, float[] rv, float[] mu, double[] var, double unbiased) {
        for (int j = 0; j < rm.length; j++) {
            rm[j] = (float) ((1 - MOMENTUM) * rm[j] + MOMENTUM * mu[j]);
            rv[j] = (float) ((1 - MOMENTUM) * rv[j] + MOMENTUM * var[j] * unbiased);
        }
    }

    /**
     * Whether {@link #forwardPoolRelu} can take this training input: float32 host arrays, NHWC, at
     * least one 2x2 window.
     */
    boolean poolReluFusable(INDArray x) {
        return PoolReluKernels.applies(x) && plainParameters();
    }

    /**
     * Training mode: this layer, then 2x2 max pooling with stride 2, then ReLU, in two sweeps of the
     * input ({@link PoolReluKernels}); {@link #backwardPoolRelu} is its backward pass. The output is
     * this layer's buffer, valid until its next forward call.
     */
    INDArray forwardPoolRelu(INDArray x) {
        long m = x.length() / channels;
        long[] shape = PoolReluKernels.pooledShape(x);
        INDArray out = buffer("pooled", shape);
        INDArray centred = buffer("pooledCentred", shape);
        // the picks need only the scales' signs (gamma's: the scale is gamma over a positive deviation), so they
        // come out of the statistics' sweep, and the second sweep is at pooled size
        float[] sign = PoolReluKernels.signs(affine ? BatchNormKernels.read(gamma.value) : new float[(int) channels]);
        float[][] ss = statistics(PoolReluKernels.momentsAndPicks(x, sign, centred), m);
        PoolReluKernels.activate(centred, ss[0], ss[1], sign, meanF, out);
        input2d = null;
        pooled = new Pooled(x, out, centred, sign);
        return out;
    }

    /** The backward pass of {@link #forwardPoolRelu}: {@code gy} is the gradient of its (pooled) output. */
    INDArray backwardPoolRelu(INDArray gy, boolean needInputGrad) {
        Pooled p = pooled;
        INDArray g = BatchNormKernels.applies(gy) ? gy : gy.dup('c');
        return fusedBackward(gy, p.input().length() / channels, needInputGrad,
                (sumDy, sumDyXc) -> PoolReluKernels.backwardSums(g, p.out(), p.centred(), sumDy, sumDyXc),
                (a, b, c) -> {
                    INDArray gx = gradientBuffer(p.input().shape());
                    PoolReluKernels.inputGradient(p.input(), p.sign(), g, p.out(), meanF, a, b, c, gx);
                    return gx;
                });
    }

    /**
     * Evaluation mode as y = x*scale + shift per channel, from the running statistics: {scale, shift},
     * or null where the parameters are not plain float32 host arrays. A convolution before this
     * layer can fold them into its weights and bias ({@link Sequential}).
     */
    float[][] evalScaleShift() {
        if (!plainParameters()) {
            return null;
        }
        float[] rv = BatchNormKernels.read(runningVar.value);
        double[] var = new double[rv.length];
        for (int j = 0; j < rv.length; j++) {
            var[j] = rv[j];
        }
        return scaleShift(BatchNormKernels.read(runningMean.value), var);
    }

    /**
     * {scale, shift, 1/std} per channel for y = x*scale + shift: scale = gamma/sqrt(var + eps),
     * shift = beta - mean*scale (gamma 1 and beta 0 without affine parameters).
     */
    private float[][] scaleShift(float[] mean, double[] var) {
        float[] g = affine ? BatchNormKernels.read(gamma.value) : null;
        float[] b = affine ? BatchNormKernels.read(beta.value) : null;
        float[] scale = new float[mean.length];
        float[] shift = new float[mean.length];
        float[] inv = new float[mean.length];
        for (int j = 0; j < mean.length; j++) {
            double iv = 1 / Math.sqrt(var[j] + EPS);
            double sc = affine ? iv * g[j] : iv;
            inv[j] = (float) iv;
            scale[j] = (float) sc;
            shift[j] = (float) ((affine ? b[j] : 0) - mean[j] * sc);
        }
        return new float[][] {scale, shift, inv};
    }

    /** Whether the parameters and running statistics are plain float32 arrays in host memory. */
    private boolean plainParameters() {
        return BatchNormKernels.applies(runningMean.value, runningVar.value) && (!affine || BatchNormKernels.applies(gamma.value, beta.value));
    }

    /** Whether this call takes the float32 kernels: every array it touches is a plain float32 array in host memory. */
    private boolean fusable(INDArray x2d, INDArray y2d) {
        return BatchNormKernels.applies(x2d, y2d) && plainParameters();
    }

    /** y = x*scale + shift per channel, the vectors written into this layer's buffers first. */
    private INDArray affine(INDArray x2d, float[] scale, float[] shift, INDArray y, INDArray y2d) {
        INDArray scaleArr = buffer("scale", channels);
        INDArray shiftArr = buffer("shift", channels);
        BatchNormKernels.write(scaleArr, scale);
        BatchNormKernels.write(shiftArr, shift);
        Ops.affine(x2d, scaleArr, shiftArr, y2d);
        return y;
    }

    /** The float32 backward pass: two fused sweeps (the sums, then dx), no full-size temporaries, no small ops. */
    private INDArray fusedBackward(INDArray gy, INDArray gy2d, long m, boolean needInputGrad) {
        return fusedBackward(gy, m, needInputGrad, (sumDy, sumDyXc) -> BatchNormKernels.backwardSums(input2d, gy2d, meanF, sumDy, sumDyXc),
                (a, b, c) -> {
                    INDArray gx = gradientBuffer(gy.shape());
                    BatchNormKernels.inputGradient(input2d, gy2d, meanF, a, b, c, gx.reshape('c', m, channels));
                    return gx;
                });
    }

    /** The float32 backward pass's per-channel arithmetic around its two sweeps (plain or after pooling and ReLU). */
    private INDArray fusedBackward(INDArray gy, long m, boolean needInputGrad, java.util.function.BiConsumer<double[], double[]> sums,
                                   InputGradient inputGradient) {
        int c = (int) channels;
        float[] inv = invStdF;
        double[] sumDy = new double[c];
        double[] sumDyXc = new double[c];
        sums.accept(sumDy, sumDyXc);
        float[] g = affine ? BatchNormKernels.read(gamma.value) : null;
        if (affine) {
            float[] dBeta = BatchNormKernels.read(beta.grad);
            float[] dGamma = BatchNormKernels.read(gamma.grad);
            addParameterGradients(dBeta, dGamma, sumDy, sumDyXc, inv);
            BatchNormKernels.write(beta.grad, dBeta);
            BatchNormKernels.write(gamma.grad, dGamma);
        }
        if (!needInputGrad) {
            consumed(gy);
            return null;
        }
        // dx = a*dy + b*(x - mean) + c, as in the float64 path
        float[][] abc = inputGradientCoefficients(g, inv, sumDy, sumDyXc, m);
        INDArray gx = inputGradient.of(abc[0], abc[1], abc[2]);
        consumed(gy);
        return gx;
    }

    private static void addParameterGradients(float[] dBeta, float[] dGamma, double[] sumDy, double[] sumDyXc, float[] inv) {
        for (int j = 0; j < dBeta.length; j++) {
            dBeta[j] += (float) sumDy[j];
            dGamma[j] += (float) (sumDyXc[j] * inv[j]);
        }
    }

    /** {a, b, c} per channel of dx = a*dy + b*(x - mean) + c; {@code gamma} null without the affine map. */
    private static float[][] inputGradientCoefficients(float[] gamma, float[] inv, double[] sumDy, double[] sumDyXc, long m) {
        int c = inv.length;
        float[] a = new float[c];
        float[] b = new float[c];
        float[] cc = new float[c];
        for (int j = 0; j < c; j++) {
            double aj = gamma != null ? (double) gamma[j] * inv[j] : inv[j];
            a[j] = (float) aj;
            b[j] = (float) (-aj * inv[j] * inv[j] * sumDyXc[j] / m);
            cc[j] = (float) (-aj * sumDy[j] / m);
        }
        return new float[][] {a, b, cc};
    }

    /** dx of a float32 backward pass from its per-channel a, b and c. */
    private interface InputGradient {
        INDArray of(float[] a, float[] b, float[] c);
    }
}
