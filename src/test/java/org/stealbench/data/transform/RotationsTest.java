package org.stealbench.data.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.stealbench.data.Split;
import org.stealbench.data.synthetic.ShapesGenerator;

class RotationsTest {

    @Test
    void ninetyDegreesFourTimesIsTheIdentityAndOnceMovesPixels() {
        float[] img = ShapesGenerator.generate(Split.TRAIN, 2, 1).batch(0, 2);
        float[] r = img;
        for (int k = 0; k < 4; k++) {
            r = Rotations.rotate(r, 2, 3, 32, 32, new float[] {90, 90});
        }
        assertArrayEquals(img, r, 1e-5f);
        float[] once = Rotations.rotate(img, 2, 3, 32, 32, new float[] {90, 90});
        // A quarter turn maps pixel (y, x) to a pixel of the transposed grid.
        float[] single = new float[9];
        single[0 * 3 + 2] = 1f; // top-right corner
        float[] turned = Rotations.rotate(single, 1, 1, 3, 3, new float[] {90});
        float sum = 0;
        for (float v : turned) {
            sum += v;
        }
        assertEquals(1f, sum, 1e-6f);
        assertEquals(0f, turned[2], 1e-6f);
        assertTrue(turned[0] == 1f || turned[8] == 1f, "corner moved to an adjacent corner");
        assertEquals(once.length, img.length);
    }

    @Test
    void zeroAndFullTurnAreTheIdentityAndHalfTurnTwiceToo() {
        float[] img = ShapesGenerator.generate(Split.TRAIN, 1, 3).batch(0, 1);
        assertArrayEquals(img, Rotations.rotate(img, 1, 3, 32, 32, new float[] {0}), 1e-6f);
        assertArrayEquals(img, Rotations.rotate(img, 1, 3, 32, 32, new float[] {360}), 1e-5f);
        float[] half = Rotations.rotate(Rotations.rotate(img, 1, 3, 32, 32, new float[] {180}), 1, 3, 32, 32, new float[] {180});
        assertArrayEquals(img, half, 1e-5f);
    }

    @Test
    void watermarkTaskLabelsHalfTurnsAndIsSeeded() {
        Rotations.RotationTask t = Rotations.watermarkTask(2000, 9);
        int ones = 0;
        for (int i = 0; i < 2000; i++) {
            float a = t.anglesDegrees()[i];
            assertTrue(a >= 0 && a < 360);
            assertEquals(a < 180 ? 0 : 1, t.labels()[i]);
            ones += t.labels()[i];
        }
        assertTrue(ones > 900 && ones < 1100, "balanced: " + ones);
        assertArrayEquals(t.anglesDegrees(), Rotations.watermarkTask(2000, 9).anglesDegrees());
        Rotations.RotationTask narrow = Rotations.sample(100, 10, 20, 1);
        for (float a : narrow.anglesDegrees()) {
            assertTrue(a >= 10 && a < 20);
        }
    }
}
