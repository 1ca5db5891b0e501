package org.stealbench.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** PCA finds the directions of largest variance, in order, and projects the reference's mean to the origin. */
class PcaTest {

    @Test
    void findsTheLargestDirectionsInOrder() {
        Random rnd = new Random(3);
        float[][] rows = new float[500][4];
        for (float[] r : rows) {
            double a = rnd.nextGaussian() * 5;   // along (1, 1, 0, 0) / sqrt 2
            double b = rnd.nextGaussian() * 2;   // along (0, 0, 1, 0)
            double noise = rnd.nextGaussian() * 0.1;
            r[0] = (float) (a / Math.sqrt(2) + 3);
            r[1] = (float) (a / Math.sqrt(2) - 1);
            r[2] = (float) (b + 7);
            r[3] = (float) noise;
        }
        Pca pca = Pca.fit(rows, 2);
        double[] var = pca.variance();
        assertEquals(25, var[0], 2.5);
        assertEquals(4, var[1], 0.5);
        // a step along the first direction moves only the first coordinate
        float[] mean = new float[4];
        for (float[] r : rows) {
            for (int j = 0; j < 4; j++) {
                mean[j] += r[j] / rows.length;
            }
        }
        float[] step = {(float) (mean[0] + 1 / Math.sqrt(2)), (float) (mean[1] + 1 / Math.sqrt(2)), mean[2], mean[3]};
        double[] p = pca.project(new float[][] {mean, step});
        assertEquals(0, p[0], 1e-4, "the reference's mean is the origin");
        assertEquals(0, p[1], 1e-4);
        assertEquals(1, Math.abs(p[2] - p[0]), 0.02);
        assertTrue(Math.abs(p[3] - p[1]) < 0.1, "the second coordinate stays (up to the sampled direction's error): " + (p[3] - p[1]));
    }
}
