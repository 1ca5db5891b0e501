package org.stealbench.model.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.ops.DynamicCustomOp;

/**
 * The first convolution of a network, stride 1, whose backward pass is one matrix product.
 *
 * <p>Nothing needs the gradient of the input images, yet conv2d_bp always computes it, and for a
 * 3-channel input that is most of its cost (measured: 21 ms of a 128-image step on 2 cores,
 * against about 3 ms for this layer's whole backward pass here). With few input channels the
 * im2col matrix is small ([N*H*W, k*k*C], 27 columns for 3x3x3): built during the forward pass
 * by a second conv2d with a one-hot kernel (about 1 ms), it turns the weight gradient into one
 * GEMM, {@code cols^T . gradOut}. Same weights layout and results as {@link Conv2d} (a test checks it).
 */
public final class InputConv2d extends Layer {

    final int inC;
    final int outC;
    final int kernel;
    final int pad;
    final boolean bias;
    Param w;
    Param b;
    private INDArray cols2d;
    private INDArray identity;

    public InputConv2d(int inC, int outC, int kernel, int pad, boolean bias) {
        this.inC = inC;
        this.outC = outC;
        this.kernel = kernel;
        this.pad = pad;
        this.bias = bias;
    }

    @Override
    public long[] outputShape(long[] in) {
        if (in.length != 3 || in[2] != inC) {
            throw new IllegalArgumentException("conv expects [H, W, " + inC + "], got " + java.util.Arrays.toString(in));
        }
        return new long[] {in[0] + 2L * pad - kernel + 1, in[1] + 2L * pad - kernel + 1, outC};
    }

    @Override
    public void declare(ParamSet params, long[] in) {
        long fanIn = (long) inC * kernel * kernel;
        w = params.declare("conv.w", new long[] {kernel, kernel, inC, outC}, Param.Init.uniformFanIn(fanIn));
        if (bias) {
            b = params.declare("conv.b", new long[] {outC}, Param.Init.uniformFanIn(fanIn));
        }
    }

    @Override
    public INDArray forward(INDArray x, boolean training) {
        long n = x.size(0);
        long h = x.size(1);
        long wd = x.size(2);
        long oh = h + 2L * pad - kernel + 1;
        long ow = wd + 2L * pad - kernel + 1;
        INDArray y = buffer("y", n, oh, ow, outC);
        // conv2d's forward is fast (oneDNN); only its backward is not.
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d")
                .addIntegerArguments(kernel, kernel, 1, 1, pad, pad, 1, 1, 0, 1, 0);
        if (bias) {
            op.addInputs(x, w.value, b.value);
        } else {
            op.addInputs(x, w.value);
        }
        Nd4j.exec(op.addOutputs(y).build());
        if (training) {
            // im2col as a convolution with a one-hot kernel: output channel (i, j, c) copies input
            // channel c at offset (i, j). One fast native call, no copy through Java.
            cols2d = buffer("cols", n * oh * ow, (long) kernel * kernel * inC);
            Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(x, identityKernel())
                    .addOutputs(cols2d.reshape('c', n, oh, ow, (long) kernel * kernel * inC))
                    .addIntegerArguments(kernel, kernel, 1, 1, pad, pad, 1, 1, 0, 1, 0).build());
        } else {
            cols2d = null;
        }
        return y;
    }

    /** [k, k, C, k*k*C] with a single 1 per output channel: convolving with it yields im2col. */
    private INDArray identityKernel() {
        if (identity == null) {
            int cols = kernel * kernel * inC;
            identity = Nd4j.zeros(Precision.type(), kernel, kernel, inC, cols);
            for (int i = 0; i < kernel; i++) {
                for (int j = 0; j < kernel; j++) {
                    for (int c = 0; c < inC; c++) {
                        identity.putScalar(new long[] {i, j, c, (long) (i * kernel + j) * inC + c}, 1f);
                    }
                }
            }
        }
        return identity;
    }

    @Override
    public INDArray backward(INDArray gy, boolean needInputGrad) {
        if (needInputGrad) {
            throw new UnsupportedOperationException("InputConv2d computes no input gradient; use Conv2d inside a network");
        }
        INDArray gy2d = gy.reshape('c', cols2d.size(0), outC);
        INDArray gw = w.grad.reshape('c', (long) kernel * kernel * inC, outC);
        Nd4j.gemm(cols2d, gy2d, gw, true, false, 1.0, 1.0);
        if (bias) {
            Ops.addColumnSums(gy2d, b.grad);
        }
        return null;
    }
}
