package org.stealbench.model.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** y = x W + b, W [in, out]. */
public final class Linear extends Layer {

    final int in;
    final int out;
    final boolean bias;
    Param w;
    Param b;
    private INDArray input;

    public Linear(int in, int out) {
        this(in, out, true);
    }

    public Linear(int in, int out, boolean bias) {
        this.in = in;
        this.out = out;
        this.bias = bias;
    }

    @Override
    public long[] outputShape(long[] shape) {
        if (shape.length != 1 || shape[0] != in) {
            throw new IllegalArgumentException("linear expects [" + in + "], got " + java.util.Arrays.toString(shape));
        }
        return new long[] {out};
    }

    @Override
    public void declare(ParamSet params, long[] inputShape) {
        w = params.declare("linear.w", new long[] {in, out}, Param.Init.uniformFanIn(in));
        if (bias) {
            b = params.declare("linear.b", new long[] {out}, Param.Init.uniformFanIn(in));
        }
    }

    @Override
    public INDArray forward(INDArray x, boolean training) {
        INDArray y = buffer("y", x.size(0), out);
        Nd4j.gemm(x, w.value, y, false, false, 1.0, 0.0);
        if (bias) {
            y.addiRowVector(b.value);
        }
        input = training ? x : null;
        return y;
    }

    @Override
    public INDArray backward(INDArray gy, boolean needInputGrad) {
        // Accumulate straight into the gradient vector: beta = 1 adds to what is there.
        Nd4j.gemm(input, gy, w.grad, true, false, 1.0, 1.0);
        if (bias) {
            b.grad.addi(gy.sum(0));
        }
        if (!needInputGrad) {
            return null;
        }
        INDArray gx = buffer("gx", input.shape());
        Nd4j.gemm(gy, w.value, gx, false, true, 1.0, 0.0);
        return gx;
    }
}
