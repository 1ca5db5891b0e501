package org.stealbench.model.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastDivOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SimCLR's NT-Xent over 2N projections whose rows i and i+N are two views of one image:
 * z = normalised rows, S = z z^T / tau with the diagonal excluded, cross-entropy of each row
 * against its partner, averaged over the 2N rows. Analytic gradient:
 * dS = (softmax(S) - Y) / 2N, dz = (dS + dS^T) z / tau, then back through the normalisation.
 * The target argument is unused.
 *
 * <p>{@link #evaluateWithPositives} is the general form (supervised contrastive loss): any
 * non-negative positive weights per row, each row normalised to sum 1, replace the partner.
 */
public final class NtXentLoss implements BatchLoss {

    private static final double MASK = 1e9;
    private final double temperature;
    private INDArray z;
    private INDArray s;
    private INDArray weighted;
    private INDArray dz;
    private INDArray tmp;
    private INDArray eye;
    private INDArray partner;

    public NtXentLoss(double temperature) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be positive");
        }
        this.temperature = temperature;
    }

    public double temperature() {
        return temperature;
    }

    private void buffers(INDArray out) {
        long m = out.size(0);
        if (z == null || !java.util.Arrays.equals(z.shape(), out.shape()) || z.dataType() != out.dataType()) {
            z = out.ulike();
            dz = out.ulike();
            tmp = out.ulike();
            s = Nd4j.create(out.dataType(), m, m);
            weighted = Nd4j.create(out.dataType(), m, m);
            eye = Nd4j.eye(m).castTo(out.dataType());
            float[] p = new float[(int) (m * m)];
            long n = m / 2;
            for (long i = 0; i < m; i++) {
                p[(int) (i * m + (i < n ? i + n : i - n))] = 1f;
            }
            partner = Nd4j.create(p, new long[] {m, m}, 'c').castTo(out.dataType());
        }
    }

    @Override
    public synchronized double evaluate(INDArray out, INDArray target, INDArray gradOut) {
        long m = out.size(0);
        if (m % 2 != 0 || m < 4) {
            throw new IllegalArgumentException("NT-Xent needs 2N rows (two views of N >= 2 images), got " + m);
        }
        buffers(out);
        return contrastive(out, partner, gradOut);
    }

    /**
     * Contrastive loss with the given positive weights ([M, M], zero diagonal, rows summing to 1,
     * or all zero for a row with no positive, which then contributes nothing).
     */
    public synchronized double evaluateWithPositives(INDArray out, INDArray positives, INDArray gradOut) {
        buffers(out);
        return contrastive(out, positives, gradOut);
    }

    /**
     * P[i, i + N] and P[i + N, i] for i < N, as a [2, N] view of the [2N, 2N] matrix: the
     * diagonals of its off-diagonal blocks, elements N + i(2N + 1) and 2N*N + i(2N + 1).
     */
    private static INDArray partnerProbabilities(INDArray p) {
        long m = p.size(0);
        long n = m / 2;
        return Nd4j.create(p.data(), new long[] {2, n}, new long[] {n * m - n, m + 1}, p.offset() + n, 'c');
    }

    private double contrastive(INDArray out, INDArray positives, INDArray gradOut) {
        long m = out.size(0);
        // as torch's F.normalize: an all-zero row (ReLU outputs can be) divides by 1e-12, not 0
        INDArray norms = org.nd4j.linalg.ops.transforms.Transforms.max(out.norm2(1), 1e-12, false);
        Nd4j.exec(new BroadcastDivOp(out, norms, z, 0));
        Nd4j.gemm(z, z, s, false, true, 1.0 / temperature, 0.0);
        // exclude each row's similarity with itself
        Nd4j.getBlasWrapper().level1().axpy(s.length(), -MASK, eye, s);
        Nd4j.exec(DynamicCustomOp.builder("softmax").addInputs(s).addOutputs(s).addIntegerArguments(1).build());
        // loss_i = -sum_j Y_ij log P_ij (Y: positive weights)
        // floor at 1e-30, representable in float32 (Double.MIN_NORMAL rounds to 0 there, and the
        // masked diagonal's log(0) = -inf times its weight 0 would make the loss NaN)
        double loss;
        if (positives == partner) {
            // one positive per row, weight 1, at i +- m/2: only those 2N probabilities enter the
            // loss, and every row has its positive
            loss = -org.nd4j.linalg.ops.transforms.Transforms.log(
                    org.nd4j.linalg.ops.transforms.Transforms.max(partnerProbabilities(s), 1e-30, true), false).sumNumber().doubleValue();
        } else {
            INDArray logP = org.nd4j.linalg.ops.transforms.Transforms.log(
                    org.nd4j.linalg.ops.transforms.Transforms.max(s, 1e-30, true), false);
            Nd4j.exec(new MulOp(logP, positives, weighted));
            loss = -weighted.sumNumber().doubleValue();
            logP.close();
            // rows without positives contribute no gradient: P only where the row has weight
            INDArray rowHasPositive = positives.sum(1).gt(0).castTo(s.dataType());
            Nd4j.exec(new BroadcastMulOp(s, rowHasPositive, s, 0));
        }
        // dS = (P - Y) / m; dz = (dS + dS^T) z / tau, as two products (no transposed copy of dS)
        s.subi(positives);
        Nd4j.gemm(s, z, dz, false, false, 1.0 / (temperature * m), 0.0);
        Nd4j.gemm(s, z, dz, true, false, 1.0 / (temperature * m), 1.0);
        Nd4j.exec(new MulOp(z, dz, tmp));
        INDArray proj = tmp.sum(1);
        Nd4j.exec(new BroadcastMulOp(z, proj, tmp, 0));
        dz.subi(tmp);
        Nd4j.exec(new BroadcastDivOp(dz, norms, gradOut, 0));
        return loss / m;
    }
}
