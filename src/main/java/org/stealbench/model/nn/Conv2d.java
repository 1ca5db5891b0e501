package org.stealbench.model.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * 2-D convolution, NHWC, weights [kH, kW, inC, outC], through libnd4j's conv2d / conv2d_bp
 * (oneDNN on the AVX-512 build). Padding is explicit (PyTorch's {@code padding=}).
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
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d").addIntegerArguments(intArgs());
        if (bias) {
            op.addInputs(x, w.value, b.value);
        } else {
            op.addInputs(x, w.value);
        }
        Nd4j.exec(op.addOutputs(y).build());
        input = training ? x : null;
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
        Nd4j.exec(DynamicCustomOp.builder("conv2d").addIntegerArguments(intArgs()).addInputs(x, wf, bf).addOutputs(y).build());
        input = null;
        return y;
    }

    /** Whether {@link #forwardFolded} can run here: the weights (and bias) are plain float32 host arrays. */
    boolean foldable() {
        return BatchNormKernels.applies(w.value) && (!bias || BatchNormKernels.applies(b.value));
    }

    @Override
    public INDArray backward(INDArray gy, boolean needInputGrad) {
        INDArray gx = gradientBuffer(input.shape());
        INDArray gw = buffer("gw", w.shape);
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d_bp").addIntegerArguments(intArgs());
        if (bias) {
            INDArray gb = buffer("gb", outC);
            Nd4j.exec(op.addInputs(input, w.value, b.value, gy).addOutputs(gx, gw, gb).build());
            b.grad.addi(gb);
        } else {
            Nd4j.exec(op.addInputs(input, w.value, gy).addOutputs(gx, gw).build());
        }
        w.grad.addi(gw);
        consumed(gy);
        if (!needInputGrad) {
            consumed(gx);
            return null;
        }
        return gx;
    }
}
