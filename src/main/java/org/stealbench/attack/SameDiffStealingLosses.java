package org.stealbench.attack;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;
import org.stealbench.model.train.SameDiffBatchLoss;

/**
 * The stealing losses written as SameDiff graphs (docs/protocol.md gives each exactly); SameDiff
 * differentiates them, and tests check the gradients against finite differences. In all of them
 * "out" is the stolen encoder's batch s ([B, D]) and "target" the victim's v.
 */
public final class SameDiffStealingLosses {

    static final double SOFT_NN_T = 100;
    static final double SOFT_NN_EPS = 1e-9; // the reference code's value, inside the logarithm
    static final double BN_EPS = 1e-5;
    static final double BARLOW_LAMBDA = 0.0051;

    private SameDiffStealingLosses() {
    }

    /**
     * Soft nearest neighbour on [s; v]: squared Euclidean distances (diagonal masked), weights
     * exp(-d/T), per row -log(eps + sum over the partner / sum over all), mean over 2B rows.
     */
    public static SameDiffBatchLoss softNearestNeighbour() {
        return new SameDiffBatchLoss((sd, out, target) -> {
            long b = out.getArr().size(0);
            int m = (int) (2 * b);
            SDVariable x = sd.concat(0, out, target);
            SDVariable sq = x.mul(x).sum(true, 1);
            SDVariable d = sq.add(sd.transpose(sq)).sub(x.mmul(sd.transpose(x)).mul(2.0));
            float[] partner = new float[m * m];
            float[] offDiag = new float[m * m];
            for (int i = 0; i < m; i++) {
                partner[i * m + (i < b ? (int) (i + b) : (int) (i - b))] = 1f;
                for (int j = 0; j < m; j++) {
                    offDiag[i * m + j] = i == j ? 0f : 1f;
                }
            }
            SDVariable pMask = sd.constant(Nd4j.create(partner, new long[] {m, m}, 'c').castTo(out.dataType()));
            SDVariable oMask = sd.constant(Nd4j.create(offDiag, new long[] {m, m}, 'c').castTo(out.dataType()));
            SDVariable w = sd.math().exp(d.div(-SOFT_NN_T)).mul(oMask);
            SDVariable pos = w.mul(pMask).sum(1);
            SDVariable all = w.sum(1);
            return sd.math().log(pos.div(all).add(SOFT_NN_EPS)).neg().mean();
        }, true);
    }

    /**
     * Wasserstein distance between s and v read as 1-D histograms over the dimension index:
     * each row divided by its sum, loss = sum_d |CDF_s(d) - CDF_v(d)|, mean over the batch.
     */
    public static SameDiffBatchLoss wasserstein() {
        return new SameDiffBatchLoss((sd, out, target) -> {
            SDVariable ps = out.div(out.sum(true, 1).add(1e-12));
            SDVariable pv = target.div(target.sum(true, 1).add(1e-12));
            SDVariable cs = sd.cumsum(ps, false, false, 1);
            SDVariable cv = sd.cumsum(pv, false, false, 1);
            return sd.math().abs(cs.sub(cv)).sum(1).mean();
        }, true);
    }

    /**
     * Barlow Twins, reference variant: the batch of queries split in halves x1, x2;
     * P1 = [s(x1); v(x1)], P2 = [s(x2); v(x2)]; columns batch-normalised; C = bn(P1)^T bn(P2) / B;
     * loss = sum (1 - C_ii)^2 + 0.0051 sum_{i != j} C_ij^2. It never pairs s_i with v_i.
     */
    public static SameDiffBatchLoss barlowReference() {
        return new SameDiffBatchLoss((sd, out, target) -> {
            long b = out.getArr().size(0);
            long h = b / 2;
            SDVariable s1 = out.get(org.nd4j.autodiff.samediff.SDIndex.interval(0L, h));
            SDVariable s2 = out.get(org.nd4j.autodiff.samediff.SDIndex.interval(h, 2 * h));
            SDVariable v1 = target.get(org.nd4j.autodiff.samediff.SDIndex.interval(0L, h));
            SDVariable v2 = target.get(org.nd4j.autodiff.samediff.SDIndex.interval(h, 2 * h));
            return barlow(sd, sd.concat(0, s1, v1), sd.concat(0, s2, v2), 2 * h, out.getArr().size(1), out.dataType());
        }, true);
    }

    /** Barlow Twins between stolen and victim outputs, paired: C = bn(s)^T bn(v) / B. */
    public static SameDiffBatchLoss barlowPaired() {
        return new SameDiffBatchLoss((sd, out, target) -> barlow(sd, out, target, out.getArr().size(0),
                out.getArr().size(1), out.dataType()), true);
    }

    private static SDVariable barlow(SameDiff sd, SDVariable a, SDVariable b, long rows, long dim,
                                     org.nd4j.linalg.api.buffer.DataType type) {
        SDVariable na = batchNorm(sd, a);
        SDVariable nb = batchNorm(sd, b);
        SDVariable c = sd.transpose(na).mmul(nb).div((double) rows);
        SDVariable eye = sd.constant(Nd4j.eye(dim).castTo(type));
        SDVariable onDiag = c.mul(eye).sum(1).rsub(1.0);
        SDVariable off = c.mul(eye.rsub(1.0));
        return onDiag.mul(onDiag).sum().add(off.mul(off).sum().mul(BARLOW_LAMBDA));
    }

    /** Column batch norm: no affine, biased variance, eps 1e-5. */
    private static SDVariable batchNorm(SameDiff sd, SDVariable x) {
        SDVariable mean = x.mean(true, 0);
        SDVariable centred = x.sub(mean);
        SDVariable var = centred.mul(centred).mean(true, 0);
        return centred.div(sd.math().sqrt(var.add(BN_EPS)));
    }
}
