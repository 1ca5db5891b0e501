package org.stealbench.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ResampledKnnTest {

    /**
     * Two clusters (directions x and y), 100 images a class, but 10 images labelled 0 sit in the
     * y cluster: kNN gets them wrong when they are drawn into the test split and right otherwise.
     * With 20 test images a class, the number of them in a draw is hypergeometric (mean 2), so the
     * accuracy averages 1 - 2/40 = 0.95 and varies from draw to draw in steps of 1/40.
     */
    @Test
    void drawsFollowTheHypergeometricOfTheOddImages() {
        Random r = new Random(3);
        float[][] x = new float[200][3];
        int[] y = new int[200];
        for (int i = 0; i < 200; i++) {
            y[i] = i < 100 ? 0 : 1;
            boolean odd = i < 10;
            x[i][y[i] == 0 && !odd ? 0 : 1] = 1;
            x[i][2] = (float) (0.05 * r.nextGaussian());
        }
        INDArray all = Nd4j.create(x);
        // given split: 80 + 80 train, 20 + 20 test (as the real data, any split in will be re-drawn)
        int[] trIdx = new int[160];
        int[] teIdx = new int[40];
        int a = 0;
        int b = 0;
        for (int i = 0; i < 200; i++) {
            if (i % 100 >= 80) {
                teIdx[b++] = i;
            } else {
                trIdx[a++] = i;
            }
        }
        ResampledKnn.Result res = ResampledKnn.run(all.getRows(trIdx), pick(y, trIdx), all.getRows(teIdx), pick(y, teIdx), 2, 5, 60, 11);
        assertEquals(60, res.accuracies().length);
        for (double acc : res.accuracies()) {
            assertEquals(0, Math.abs(acc * 40 - Math.rint(acc * 40)), 1e-9, "a test split of 40 images: " + acc);
            assertTrue(acc >= 0.75, "at most 10 odd images in a test split of 40: " + acc);
        }
        assertEquals(0.95, res.mean(), 0.015, "mean of 1 - H/40, H ~ Hypergeometric(100, 10, 20)");
        assertTrue(res.sd() > 0.01 && res.sd() < 0.06, "the draws differ: sd " + res.sd());
        assertTrue(res.min() < res.max());
        assertArrayEquals(res.accuracies(),
                ResampledKnn.run(all.getRows(trIdx), pick(y, trIdx), all.getRows(teIdx), pick(y, teIdx), 2, 5, 60, 11).accuracies(),
                "seeded");
    }

    private static int[] pick(int[] y, int[] idx) {
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = y[idx[i]];
        }
        return out;
    }
}
