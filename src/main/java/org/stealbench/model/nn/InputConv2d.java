package org.stealbench.model.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The first convolution of a network (stride 1): a {@link Conv2d} whose backward pass computes
 * only the weight gradient, as one matrix product.
 *
 * <p>Nothing needs the gradient of the input images, yet conv2d_bp always computes it, and for a
 * 3-channel input that is most of its cost (measured: 21 ms of a 128-image step on 2 cores,
 * against about 4 ms for this layer's whole backward pass here). With few input channels the
 * im2col matrix is small ([N*H*W, k*k*C], 27 columns for 3x3x3): built during the forward pass
 * by a second conv2d with a one-hot kernel (about 1 ms), it turns the weight gradient into one
 * GEMM, {@code cols^T . gradOut}. Same parameters and results as {@link Conv2d} (a test checks it).
 */
public final class InputConv2d extends Layer {

    final Conv2d conv;
    private INDArray cols2d;
    private INDArray identity;

    public InputConv2d(int inC, int outC, int kernel, int pad, boolean bias) {
        this.conv = new Conv2d(inC, outC, kernel, 1, pad, bias);
    }

    @Override
    public long[] outputShape(long[] in) {
        return conv.outputShape(in);
    }

    @Override
    public void declare(ParamSet params, long[] in) {
        conv.declare(params, in);
    }

    @Override
    public INDArray forward(INDArray x, boolean training) {
        INDArray y = conv.forward(x, false);
        if (training) {
            // im2col as a convolution with a one-hot kernel: output channel (i, j, c) copies input
            // channel c at offset (i, j). One fast native call, no copy through Java.
            long rows = y.size(0) * y.size(1) * y.size(2);
            int width = conv.kernel * conv.kernel * conv.inC;
            cols2d = buffer("cols", rows, width);
            Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(x, identityKernel())
                    .addOutputs(cols2d.reshape('c', y.size(0), y.size(1), y.size(2), width))
                    .addIntegerArguments(conv.kernel, conv.kernel, 1, 1, conv.pad, conv.pad, 1, 1, 0, 1, 0).build());
        } else {
            cols2d = null;
        }
        return y;
    }

    /** Evaluation mode with a following batch norm folded in ({@link Conv2d#forwardFolded}). */
    INDArray forwardFolded(INDArray x, float[] scale, float[] shift) {
        cols2d = null;
        return conv.forwardFolded(x, scale, shift);
    }

    /** [k, k, C, k*k*C] with a single 1 per output channel: convolving with it yields im2col. */
    private INDArray identityKernel() {
        if (identity == null || identity.dataType() != Precision.type()) {
            int k = conv.kernel;
            int c = conv.inC;
            identity = Nd4j.zeros(Precision.type(), k, k, c, (long) k * k * c);
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    for (int ch = 0; ch < c; ch++) {
                        identity.putScalar(new long[] {i, j, ch, (long) (i * k + j) * c + ch}, 1f);
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
        INDArray gy2d = gy.reshape('c', cols2d.size(0), conv.outC);
        INDArray gw = conv.w.grad.reshape('c', cols2d.size(1), conv.outC);
        Nd4j.gemm(cols2d, gy2d, gw, true, false, 1.0, 1.0);
        if (conv.bias) {
            Ops.addColumnSums(gy2d, conv.b.grad);
        }
        return null;
    }

    @Override
    public void releaseBuffers() {
        super.releaseBuffers();
        conv.releaseBuffers();
    }
}
