package org.stealbench.data.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.stealbench.data.ImageDataset;
import org.stealbench.data.Split;

class ShapesGeneratorTest {

    @Test
    void seededBalancedAndRgb() {
        ImageDataset a = ShapesGenerator.generate(Split.TRAIN, 200, 7);
        ImageDataset b = ShapesGenerator.generate(Split.TRAIN, 200, 7);
        assertArrayEquals(a.rawPixels(), b.rawPixels());
        assertFalse(Arrays.equals(a.rawPixels(), ShapesGenerator.generate(Split.TRAIN, 200, 8).rawPixels()));
        assertEquals(3, a.channels());
        assertEquals(32, a.height());
        for (int c : a.classCounts()) {
            assertEquals(20, c);
        }
        // Images of one seed are independent of how many are generated.
        assertArrayEquals(a.imageBytes(13), ShapesGenerator.generate(Split.TRAIN, 14, 7).imageBytes(13));
    }

    @Test
    void everyShapeCoversAReasonableArea() {
        for (int cls = 0; cls < 10; cls++) {
            int inside = 0;
            int n = 0;
            for (double u = -1.2; u <= 1.2; u += 0.02) {
                for (double v = -1.2; v <= 1.2; v += 0.02) {
                    n++;
                    if (ShapesGenerator.inside(cls, u, v)) {
                        inside++;
                    }
                }
            }
            double frac = inside / (double) n;
            assertTrue(frac > 0.1 && frac < 0.7, ShapesGenerator.CLASSES.get(cls) + " covers " + frac);
        }
    }
}
