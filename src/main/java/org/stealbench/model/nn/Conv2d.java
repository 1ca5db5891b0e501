package org.stealbench.model.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * 2-D convolution, NHWC, weights [kH, kW, inC, outC], through oneDNN directly where it applies
 * ({@link OneDnnConvolution}: float32 host arrays), else libnd4j's conv2d / conv2d_bp (oneDNN 2.3 inside
 * libnd4j on the AVX-512 build). Padding is explicit (PyTorch's {@code padding=}).
 */
public final class Conv2d extends Layer {

    final int inC;
    final int outC;
    final int kernel;
    final int stride;
    final int pad;
    final boolean bias;
    Param w;
    Param b;
    private INDArray input;

    public Conv2d(int inC, int outC, int kernel, int stride, int pad, boolean bias) {
        this.inC = inC;
        this.outC = outC;
        this.kernel = kernel;
        this.stride = stride;
        this.pad = pad;
        this.bias = bias;
    }

    @Override
    public long[] outputShape(long[] in) {
        if (in.length != 3 || in[2] != inC) {
            throw new IllegalArgumentException("conv expects [H, W, " + inC + "], got " + java.util.Arrays.toString(in));
        }
        return new long[] {out(in[0]), out(in[1]), outC};
    }

    private long out(long size) {
        return (size + 2L * pad - kernel) / stride + 1;
    }

    @Override
    public void declare(ParamSet params, long[] in) {
        long fanIn = (long) inC * kernel * kernel;
        w = params.declare("conv.w", new long[] {kernel, kernel, inC, outC}, Param.Init.uniformFanIn(fanIn));
        if (bias) {
            b = params.declare("conv.b", new long[] {outC}, Param.Init.uniformFanIn(fanIn));
        }
    }

    int[] intArgs() {
        // kH, kW, sH, sW, pH, pW, dH, dW, paddingMode (0 = explicit), dataFormat (1 = NHWC), wFormat (0 = [kH,kW,iC,oC])
        return new int[] {kernel, kernel, stride, stride, pad, pad, 1, 1, 0, 1, 0};
    }

    @Override
    public INDArray forward(INDArray x, boolean training) {
        long[] s = x.shape();
        INDArray y = buffer("y", s[0], out(s[1]), out(s[2]), outC);
        input = training ? x : null;
        if (direct(x, y)) {
            plan(x, bias).forward(x, w.value, bias ? b.value : null, y);
            return y;
        }
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d").addIntegerArguments(intArgs());
        if (bias) {
            op.addInputs(x, w.value, b.value);
        } else {
            op.addInputs(x, w.value);
        }
        Nd4j.exec(op.addOutputs(y).build());
        return y;
    }

    /**
     * Evaluation-mode forward pass with a per-output-channel affine map folded in (a batch norm
     * after this layer): weights times {@code scale}, bias {@code scale*b + shift}, one convolution
     * where there were a convolution and a full-size pass.
     */
    INDArray forwardFolded(INDArray x, float[] scale, float[] shift) {
        long[] s = x.shape();
        INDArray y = buffer("y", s[0], out(s[1]), out(s[2]), outC);
        INDArray scaleArr = buffer("foldScale", outC);
        BatchNormKernels.write(scaleArr, scale);
        INDArray wf = buffer("foldW", w.shape);
        // [kH, kW, inC, outC]: the output channel is the last dimension
        Nd4j.exec(new org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp(w.value, scaleArr, wf, 3));
        float[] bias = shift.clone();
        if (this.bias) {
            float[] b0 = BatchNormKernels.read(b.value);
            for (int j = 0; j < bias.length; j++) {
                bias[j] += scale[j] * b0[j];
            }
        }
        INDArray bf = buffer("foldB", outC);
        BatchNormKernels.write(bf, bias);
        input = null;
        if (oneDnn && OneDnnConvolution.applies(x, wf, bf, y)) {
            plan(x, true).forward(x, wf, bf, y);
            return y;
        }
        Nd4j.exec(DynamicCustomOp.builder("conv2d").addIntegerArguments(intArgs()).addInputs(x, wf, bf).addOutputs(y).build());
        return y;
    }

    /** Whether {@link #forwardFolded} can run here: the weights (and bias) are plain float32 host arrays. */
    boolean foldable() {
        return BatchNormKernels.applies(w.value) && (!bias || BatchNormKernels.applies(b.value));
    }

    /**
     * The most bytes of input or output gradient one conv2d_bp call is given: larger batches go
     * through in equal parts (decision 0024). libnd4j's oneDNN glue copies the input and the output
     * gradient (twice) into oneDNN's blocked layout and the input gradient back, into temporaries it
     * allocates on every call, as oneDNN does its Winograd scratchpad. Above glibc's mmap threshold
     * (32 MiB at most) each of those is a fresh mapping whose pages fault in, zeroed, on every call:
     * at ResNet-18's first stage (128 images, 64 channels at 32x32: 32 MiB each) the copies took 10 ms
     * where a reused buffer takes 4, and the call 101-111 ms where four parts take 72-75. Parts of at
     * most 8 MiB were never slower on the shapes measured (ResNet-18's, the small CNN's at 128 and 256
     * images); the forward pass copies nothing (oneDNN convolves NHWC in place) and gains nothing.
     */
    static final long BACKWARD_PART_BYTES = 8L << 20;

    /**
     * Into how many equal parts a backward pass over {@code batch} images splits: the fewest (a power
     * of two dividing the batch) whose input and output gradient are each at most {@code limit} bytes.
     */
    static int backwardParts(long batch, long bytesPerImage, long limit) {
        int parts = 1;
        while (bytesPerImage * (batch / parts) > limit && batch % (2L * parts) == 0) {
            parts *= 2;
        }
        return parts;
    }

    /** Images {@code from} to {@code from + n} of {@code a} (a contiguous view along the batch), or {@code a} when in one part. */
    private static INDArray part(INDArray a, int parts, long from, long n) {
        return parts == 1 ? a : a.get(NDArrayIndex.interval(from, from + n));
    }

    /** Whether this layer may call oneDNN directly (tests compare it with libnd4j's ops by turning it off). */
    boolean oneDnn = true;

    /**
     * How many oneDNN plans a layer keeps: a training batch size, a second one (SimCLR's 2N views and the
     * watermark's N rotations), and evaluation's batches with a batch norm folded in (a bias).
     */
    static final int PLANS = SHAPES + 1;

    /** Whether this call runs through oneDNN: turned on, and these arrays and the parameters are float32 host arrays. */
    private boolean direct(INDArray activation, INDArray other) {
        return oneDnn && OneDnnConvolution.applies(activation, other, w.value) && (!bias || OneDnnConvolution.applies(b.value));
    }

    /** oneDNN plans, most recently used first, at most {@link #PLANS}. */
    private final java.util.List<OneDnnConvolution> plans = new java.util.ArrayList<>(PLANS);

    /** The plan for this input's shape, with a bias or not, made (and the least recently used one closed) when new. */
    private OneDnnConvolution plan(INDArray x, boolean withBias) {
        for (int i = 0; i < plans.size(); i++) {
            OneDnnConvolution p = plans.get(i);
            if (p.fits(x, withBias)) {
                if (i > 0) {
                    plans.remove(i);
                    plans.add(0, p);
                }
                return p;
            }
        }
        if (plans.size() == PLANS) {
            plans.remove(PLANS - 1).close();
        }
        OneDnnConvolution p = new OneDnnConvolution(x.size(0), x.size(1), x.size(2), inC, outC, kernel, stride, pad, withBias);
        plans.add(0, p);
        return p;
    }

    @Override
    public INDArray backward(INDArray gy, boolean needInputGrad) {
        if (direct(input, gy)) {
            // oneDNN on our NHWC arrays: no copies into a blocked layout, no input gradient when none is wanted
            INDArray gx = needInputGrad ? gradientBuffer(input.shape()) : null;
            INDArray gw = buffer("gw", w.shape);
            INDArray gb = bias ? buffer("gb", outC) : null;
            plan(input, bias).backward(input, w.value, gy, gx, gw, gb);
            w.grad.addi(gw);
            if (bias) {
                b.grad.addi(gb);
            }
            consumed(gy);
            return gx;
        }
        INDArray gx = gradientBuffer(input.shape());
        long batch = input.size(0);
        long perImage = Math.max(input.length(), gy.length()) / Math.max(1, batch) * input.dataType().width();
        int parts = backwardParts(batch, perImage, BACKWARD_PART_BYTES);
        INDArray gw = buffer("gw", w.shape);
        INDArray gb = bias ? buffer("gb", outC) : null;
        long n = batch / parts;
        for (int p = 0; p < parts; p++) {
            INDArray xp = part(input, parts, p * n, n);
            INDArray gyp = part(gy, parts, p * n, n);
            INDArray gxp = part(gx, parts, p * n, n);
            DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d_bp").addIntegerArguments(intArgs());
            if (bias) {
                Nd4j.exec(op.addInputs(xp, w.value, b.value, gyp).addOutputs(gxp, gw, gb).build());
                b.grad.addi(gb);
            } else {
                Nd4j.exec(op.addInputs(xp, w.value, gyp).addOutputs(gxp, gw).build());
            }
            w.grad.addi(gw);
        }
        consumed(gy);
        if (!needInputGrad) {
            consumed(gx);
            return null;
        }
        return gx;
    }

    /** How many oneDNN plans this layer keeps (tests). */
    int oneDnnPlans() {
        return plans.size();
    }

    @Override
    public void releaseBuffers() {
        super.releaseBuffers();
        plans.forEach(OneDnnConvolution::close);
        plans.clear();
    }
}
