package org.stealbench.eval;

import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.EigenDecompositionSymmetric;
import org.hipparchus.linear.RealMatrix;

/**
 * A principal-component projection fitted on reference vectors (rows) and applied to any vectors
 * of the same length: the reference's mean is subtracted and the result projected on its top
 * {@code k} eigenvectors of the covariance (Hipparchus' symmetric eigen decomposition). The
 * embedding view fits it on the victim's representations, so the victim's points stay put and the
 * copy's move onto them.
 */
public final class Pca {

    private final double[] mean;
    /** Components as rows: k x dim. */
    private final double[][] components;
    private final double[] variance;

    private Pca(double[] mean, double[][] components, double[] variance) {
        this.mean = mean;
        this.components = components;
        this.variance = variance;
    }

    /** Fits the top {@code k} components of {@code rows} (n x dim, n >= 2). */
    public static Pca fit(float[][] rows, int k) {
        int n = rows.length;
        int dim = rows[0].length;
        if (n < 2 || k < 1 || k > dim) {
            throw new IllegalArgumentException("PCA needs at least 2 rows and 1 <= k <= " + dim + "; got " + n + " rows, k = " + k);
        }
        double[] mean = new double[dim];
        for (float[] r : rows) {
            for (int j = 0; j < dim; j++) {
                mean[j] += r[j] / (double) n;
            }
        }
        double[][] cov = new double[dim][dim];
        double[] c = new double[dim];
        for (float[] r : rows) {
            for (int j = 0; j < dim; j++) {
                c[j] = r[j] - mean[j];
            }
            for (int a = 0; a < dim; a++) {
                double ca = c[a];
                if (ca == 0) {
                    continue;
                }
                for (int b = a; b < dim; b++) {
                    cov[a][b] += ca * c[b];
                }
            }
        }
        for (int a = 0; a < dim; a++) {
            for (int b = a; b < dim; b++) {
                cov[a][b] /= n - 1;
                cov[b][a] = cov[a][b];
            }
        }
        RealMatrix m = new Array2DRowRealMatrix(cov, false);
        EigenDecompositionSymmetric eig = new EigenDecompositionSymmetric(m, EigenDecompositionSymmetric.DEFAULT_EPSILON, true);
        double[][] comps = new double[k][];
        double[] var = new double[k];
        for (int i = 0; i < k; i++) {
            comps[i] = eig.getEigenvector(i).toArray();
            var[i] = eig.getEigenvalue(i);
            // a sign convention, so that refits of similar data do not flip the picture
            int big = 0;
            for (int j = 1; j < dim; j++) {
                if (Math.abs(comps[i][j]) > Math.abs(comps[i][big])) {
                    big = j;
                }
            }
            if (comps[i][big] < 0) {
                for (int j = 0; j < dim; j++) {
                    comps[i][j] = -comps[i][j];
                }
            }
        }
        return new Pca(mean, comps, var);
    }

    /** {@code rows} (n x dim) in the components' coordinates, row after row: n * k values. */
    public double[] project(float[][] rows) {
        int k = components.length;
        double[] out = new double[rows.length * k];
        for (int i = 0; i < rows.length; i++) {
            for (int c = 0; c < k; c++) {
                double s = 0;
                for (int j = 0; j < mean.length; j++) {
                    s += (rows[i][j] - mean[j]) * components[c][j];
                }
                out[i * k + c] = s;
            }
        }
        return out;
    }

    /** The variance along each component (its eigenvalue). */
    public double[] variance() {
        return variance.clone();
    }
}
