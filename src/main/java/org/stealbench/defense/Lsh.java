package org.stealbench.defense;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Random-hyperplane locality-sensitive hashing of representations: {@code bits} Gaussian
 * hyperplanes through the centre of the defender's representations; a vector's bucket is the
 * pattern of sides it falls on (2^bits buckets). Nearby representations share buckets, so the
 * buckets a client's answers fill measure how much of representation space it has seen.
 */
final class Lsh {

    private final int bits;
    private final int dim;
    private final double[] planes; // [bits][dim]
    private final double[] centre;

    Lsh(int bits, INDArray defenderReps, long seed) {
        this.bits = bits;
        this.dim = (int) defenderReps.size(1);
        this.centre = defenderReps.mean(0).castTo(DataType.DOUBLE).toDoubleVector();
        this.planes = new double[bits * dim];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < planes.length; i++) {
            planes[i] = gaussian(r);
        }
    }

    int buckets() {
        return 1 << bits;
    }

    /** The bucket of every row of {@code reps} [n, dim]. */
    int[] hash(INDArray reps) {
        if (reps.size(1) != dim) {
            throw new IllegalArgumentException("hashing " + dim + "-d representations, got " + reps.size(1));
        }
        float[][] x = reps.castTo(DataType.FLOAT).toFloatMatrix();
        int[] out = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            int b = 0;
            for (int j = 0; j < bits; j++) {
                double s = 0;
                int off = j * dim;
                for (int k = 0; k < dim; k++) {
                    s += (x[i][k] - centre[k]) * planes[off + k];
                }
                b = (b << 1) | (s >= 0 ? 1 : 0);
            }
            out[i] = b;
        }
        return out;
    }

    static double gaussian(SplittableRandom r) {
        double u = r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }
}
