package org.stealbench.eval;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * k-nearest-neighbour accuracy with cosine similarity (k = 20 by default): each test example
 * takes the majority label of its k most similar training examples, ties going to the label
 * with the larger summed similarity. A more sensitive view than the linear probe at demo scale.
 */
public final class KnnClassifier {

    public static final int K = 20;
    private static final int CHUNK = 500;

    private KnnClassifier() {
    }

    public static double accuracy(INDArray trainX, int[] trainY, INDArray testX, int[] testY, int classes, int k) {
        INDArray tr = normalizeRows(trainX);
        INDArray te = normalizeRows(testX);
        int n = (int) te.size(0);
        int[] pred = new int[n];
        int kk = Math.min(k, trainY.length);
        for (int from = 0; from < n; from += CHUNK) {
            int to = Math.min(n, from + CHUNK);
            INDArray sims = te.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).mmul(tr.transpose());
            float[] s = sims.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).data().asFloat();
            int cols = trainY.length;
            for (int r = 0; r < to - from; r++) {
                pred[from + r] = vote(s, r * cols, cols, trainY, classes, kk);
            }
        }
        return Metrics.accuracy(pred, testY);
    }

    private static int vote(float[] s, int off, int cols, int[] labels, int classes, int k) {
        int[] best = new int[k];
        float[] bestSim = new float[k];
        java.util.Arrays.fill(bestSim, Float.NEGATIVE_INFINITY);
        for (int j = 0; j < cols; j++) {
            float v = s[off + j];
            if (v > bestSim[k - 1]) {
                int p = k - 1;
                while (p > 0 && bestSim[p - 1] < v) {
                    bestSim[p] = bestSim[p - 1];
                    best[p] = best[p - 1];
                    p--;
                }
                bestSim[p] = v;
                best[p] = j;
            }
        }
        int[] votes = new int[classes];
        double[] weight = new double[classes];
        for (int i = 0; i < k; i++) {
            votes[labels[best[i]]]++;
            weight[labels[best[i]]] += bestSim[i];
        }
        int arg = 0;
        for (int c = 1; c < classes; c++) {
            if (votes[c] > votes[arg] || votes[c] == votes[arg] && weight[c] > weight[arg]) {
                arg = c;
            }
        }
        return arg;
    }

    static INDArray normalizeRows(INDArray x) {
        INDArray norms = x.norm2(1).addi(1e-12).reshape(x.size(0), 1);
        return x.divColumnVector(norms);
    }

    /** Mean cosine similarity of matching rows (fidelity of a stolen encoder to the victim). */
    public static double meanCosine(INDArray a, INDArray b) {
        return normalizeRows(a).mul(normalizeRows(b)).sum(1).meanNumber().doubleValue();
    }

}
