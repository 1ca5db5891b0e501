package org.stealbench.model.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * InfoNCE between outputs and targets, row i's only positive being target row i:
 * z = out/|out|, t = target/|target|, logits = z t^T / tau, cross-entropy with labels 0..N-1
 * (the PyTorch peer's benchmark loss). Analytic gradient:
 * dLogits = (softmax(logits) - I) / N, dz = dLogits t / tau, dOut = (dz - z * rowsum(z * dz)) / |out|.
 *
 * <p>Written as few native calls into reused buffers: a loss made of small ops is dominated by
 * per-call overhead, and the first version (allocating, about 30 calls) cost 5-15 ms a step.
 */
public final class InfoNceLoss implements BatchLoss {

    private final double temperature;
    private INDArray z;
    private INDArray t;
    private INDArray logits;
    private INDArray dz;
    private INDArray tmp;
    private INDArray eye;

    public InfoNceLoss(double temperature) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be positive");
        }
        this.temperature = temperature;
    }

    private void buffers(INDArray out) {
        long n = out.size(0);
        if (z == null || !java.util.Arrays.equals(z.shape(), out.shape()) || z.dataType() != out.dataType()) {
            z = out.ulike();
            t = out.ulike();
            dz = out.ulike();
            tmp = out.ulike();
            logits = Nd4j.create(out.dataType(), n, n);
            eye = Nd4j.eye(n).castTo(out.dataType());
        }
    }

    @Override
    public synchronized double evaluate(INDArray out, INDArray target, INDArray gradOut) {
        buffers(out);
        long n = out.size(0);
        // as torch's F.normalize: an all-zero row (ReLU outputs can be) divides by 1e-12, not 0
        INDArray norms = org.nd4j.linalg.ops.transforms.Transforms.max(out.norm2(1), 1e-12, false);
        Nd4j.exec(new org.nd4j.linalg.api.ops.impl.broadcast.BroadcastDivOp(out, norms, z, 0));
        Nd4j.exec(new org.nd4j.linalg.api.ops.impl.broadcast.BroadcastDivOp(target, org.nd4j.linalg.ops.transforms.Transforms.max(target.norm2(1), 1e-12, false), t, 0));
        Nd4j.gemm(z, t, logits, false, true, 1.0 / temperature, 0.0);
        Nd4j.exec(DynamicCustomOp.builder("softmax").addInputs(logits).addOutputs(logits).addIntegerArguments(1).build());
        // loss = mean_i -log p_ii; dLogits = (P - I) / n, folded into the next GEMM's alpha
        double loss = 0;
        for (double p : Nd4j.diag(logits).toDoubleVector()) {
            loss -= Math.log(Math.max(p, Double.MIN_NORMAL));
        }
        // (libnd4j's matrix_set_diag crashed the JVM on float32 here; subtracting I is safe.)
        logits.subi(eye);
        Nd4j.gemm(logits, t, dz, false, false, 1.0 / (temperature * n), 0.0);
        Nd4j.exec(new MulOp(z, dz, tmp));
        INDArray proj = tmp.sum(1);
        Nd4j.exec(new org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp(z, proj, tmp, 0));
        dz.subi(tmp);
        Nd4j.exec(new org.nd4j.linalg.api.ops.impl.broadcast.BroadcastDivOp(dz, norms, gradOut, 0));
        return loss / n;
    }
}
