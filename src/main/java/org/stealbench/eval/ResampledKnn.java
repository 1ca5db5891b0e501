package org.stealbench.eval;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stealbench.data.RandomDraw;

/**
 * kNN accuracy over many random splits of one pool of images, to tell how much a figure measured
 * on one fixed split owes to that split: the train and test features are pooled, and each draw
 * takes as many test images of every class as the given test split has, at random, training on
 * the rest. A 2,000-image test split alone moves accuracy by about half a point from draw to draw
 * (decision 0008), more than some differences between encoders.
 */
public final class ResampledKnn {

    private ResampledKnn() {
    }

    /** Accuracies of the draws, in [0,1], with their mean and standard deviation. */
    public record Result(double[] accuracies) {
        public double mean() {
            return Arrays.stream(accuracies).average().orElse(Double.NaN);
        }

        public double sd() {
            double m = mean();
            return Math.sqrt(Arrays.stream(accuracies).map(a -> (a - m) * (a - m)).sum() / Math.max(1, accuracies.length - 1));
        }

        public double min() {
            return Arrays.stream(accuracies).min().orElse(Double.NaN);
        }

        public double max() {
            return Arrays.stream(accuracies).max().orElse(Double.NaN);
        }
    }

    public static Result run(INDArray trainX, int[] trainY, INDArray testX, int[] testY, int classes, int k, int draws, long seed) {
        INDArray pool = Nd4j.vstack(trainX, testX);
        int n = trainY.length + testY.length;
        int[] y = new int[n];
        System.arraycopy(trainY, 0, y, 0, trainY.length);
        System.arraycopy(testY, 0, y, trainY.length, testY.length);
        int[] testPerClass = new int[classes];
        for (int c : testY) {
            testPerClass[c]++;
        }
        int[][] members = new int[classes][];
        for (int c = 0; c < classes; c++) {
            final int cls = c;
            members[c] = IntStream.range(0, n).filter(i -> y[i] == cls).toArray();
        }
        Random r = new Random(seed);
        double[] acc = new double[draws];
        for (int d = 0; d < draws; d++) {
            boolean[] inTest = new boolean[n];
            for (int c = 0; c < classes; c++) {
                for (int i : RandomDraw.sorted(members[c].length, testPerClass[c], r)) {
                    inTest[members[c][i]] = true;
                }
            }
            int[] te = IntStream.range(0, n).filter(i -> inTest[i]).toArray();
            int[] tr = IntStream.range(0, n).filter(i -> !inTest[i]).toArray();
            acc[d] = KnnClassifier.accuracy(pool.getRows(tr), pick(y, tr), pool.getRows(te), pick(y, te), classes, k);
        }
        return new Result(acc);
    }

    private static int[] pick(int[] y, int[] idx) {
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = y[idx[i]];
        }
        return out;
    }
}
