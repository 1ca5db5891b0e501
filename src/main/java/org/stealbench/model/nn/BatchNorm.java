package org.stealbench.model.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Batch normalisation over the last (channel) dimension of NHWC or [N, C] tensors, PyTorch's
 * semantics: batch statistics (biased variance) when training, running statistics (momentum
 * 0.1, unbiased variance) otherwise; learnable scale and shift unless {@code affine} is false.
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
    private INDArray xhat;
    private INDArray invStd;

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
        INDArray mean;
        INDArray var;
        if (training) {
            mean = Ops.columnSums(x2d, buffer("mean", channels), 1.0 / m);
            INDArray centered = buffer("xhat", m, channels);
            Nd4j.exec(new BroadcastSubOp(x2d, mean, centered, 1));
            INDArray sq = buffer("tmp", m, channels);
            Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp(centered, centered, sq));
            var = Ops.columnSums(sq, buffer("var", channels), 1.0 / m);
            // running statistics, as PyTorch: unbiased variance
            runningMean.value.muli(1 - MOMENTUM).addi(mean.mul(MOMENTUM));
            runningVar.value.muli(1 - MOMENTUM).addi(var.mul(MOMENTUM * m / Math.max(1, m - 1)));
        } else {
            mean = runningMean.value;
            var = runningVar.value;
        }
        INDArray inv = Transforms.pow(var.add(EPS), -0.5, false);
        INDArray xh = training ? buffer("xhat", m, channels) : y2d;
        if (!training) {
            Nd4j.exec(new BroadcastSubOp(x2d, mean, xh, 1));
        }
        Nd4j.exec(new BroadcastMulOp(xh, inv, xh, 1));
        if (affine) {
            Nd4j.exec(new BroadcastMulOp(xh, gamma.value, y2d, 1));
            y2d.addiRowVector(beta.value);
        } else if (training) {
            y2d.assign(xh);
        }
        xhat = training ? xh : null;
        invStd = inv;
        return y;
    }

    @Override
    public INDArray backward(INDArray gy, boolean needInputGrad) {
        INDArray gy2d = gy.reshape('c', xhat.size(0), channels);
        long m = gy2d.size(0);
        INDArray tmp = buffer("tmp", m, channels);
        INDArray dBeta = Ops.columnSums(gy2d, buffer("dbeta", channels), 1.0);
        Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp(gy2d, xhat, tmp));
        INDArray dGamma = Ops.columnSums(tmp, buffer("dgamma", channels), 1.0);
        if (affine) {
            beta.grad.addi(dBeta);
            gamma.grad.addi(dGamma);
        }
        if (!needInputGrad) {
            return null;
        }
        // dx = scale/m * (m*dy - sum(dy) - xhat*sum(dy*xhat)), scale = gamma * invStd
        INDArray scale = affine ? invStd.mul(gamma.value) : invStd;
        INDArray gx = buffer("gx", gy.shape());
        INDArray gx2d = gx.reshape('c', m, channels);
        Nd4j.exec(new BroadcastMulOp(xhat, dGamma, tmp, 1));
        gx2d.assign(gy2d).muli(m).subiRowVector(dBeta).subi(tmp);
        Nd4j.exec(new BroadcastMulOp(gx2d, scale.div(m), gx2d, 1));
        return gx;
    }
}
