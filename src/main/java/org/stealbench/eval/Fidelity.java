package org.stealbench.eval;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How closely a stolen encoder reproduces the victim on the same images: mean cosine similarity
 * of matching representations, and linear CKA (centred kernel alignment with linear kernels,
 * Kornblith et al. 2019), which is invariant to rotations and isotropic scaling of either side.
 */
public final class Fidelity {

    private Fidelity() {
    }

    /** Mean cosine similarity of matching rows of {@code a} and {@code b}. */
    public static double meanCosine(INDArray a, INDArray b) {
        return KnnClassifier.meanCosine(a, b);
    }

    /**
     * Linear CKA of two representations of the same N images ([N, d1] and [N, d2]):
     * ||Yc^T Xc||_F^2 / (||Xc^T Xc||_F ||Yc^T Yc||_F) with column-centred Xc, Yc; in [0, 1],
     * 1 when one is an orthogonal transform of the other up to scale. Computed in float64.
     */
    public static double linearCka(INDArray x, INDArray y) {
        if (x.size(0) != y.size(0)) {
            throw new IllegalArgumentException("CKA needs the same images on both sides: " + x.size(0) + " vs " + y.size(0) + " rows");
        }
        INDArray xc = centre(x);
        INDArray yc = centre(y);
        double cross = frobeniusSquared(yc.transpose().mmul(xc));
        double xx = Math.sqrt(frobeniusSquared(xc.transpose().mmul(xc)));
        double yy = Math.sqrt(frobeniusSquared(yc.transpose().mmul(yc)));
        if (xx == 0 || yy == 0) {
            return 0;
        }
        return cross / (xx * yy);
    }

    private static INDArray centre(INDArray a) {
        INDArray d = a.castTo(DataType.DOUBLE);
        return d.subRowVector(d.mean(0));
    }

    private static double frobeniusSquared(INDArray m) {
        double n = m.norm2Number().doubleValue();
        return n * n;
    }
}
