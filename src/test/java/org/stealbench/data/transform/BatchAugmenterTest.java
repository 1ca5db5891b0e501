package org.stealbench.data.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.stealbench.data.ImageDataset;
import org.stealbench.data.TestData;
import org.stealbench.data.synthetic.ShapesGenerator;

class BatchAugmenterTest {

    final ImageDataset shapes = ShapesGenerator.generate(org.stealbench.data.Split.TRAIN, 64, 5);
    final float[] batch = shapes.batch(0, 64);

    @Test
    void sameSeedSameViewsDifferentSeedDifferentViews() {
        BatchAugmenter aug = new BatchAugmenter(SimClrAugmentation.reference());
        float[] a = aug.apply(batch, 64, 3, 32, 32, 42);
        float[] b = aug.apply(batch, 64, 3, 32, 32, 42);
        float[] c = aug.apply(batch, 64, 3, 32, 32, 43);
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
        assertFalse(Arrays.equals(a, batch));
    }

    @Test
    void inputIsUntouchedAndOutputStaysInUnitRange() {
        float[] copy = batch.clone();
        for (long seed = 0; seed < 5; seed++) {
            float[] out = new BatchAugmenter(SimClrAugmentation.withStrength(2.0)).apply(batch, 64, 3, 32, 32, seed);
            for (float v : out) {
                assertTrue(v >= 0f && v <= 1f && !Float.isNaN(v), "value " + v);
            }
        }
        assertArrayEquals(copy, batch);
    }

    @Test
    void noAugmentationIsTheIdentity() {
        float[] out = new BatchAugmenter(SimClrAugmentation.none()).apply(batch, 64, 3, 32, 32, 1);
        assertArrayEquals(batch, out, 1e-5f);
    }

    @Test
    void grayscaleImagesStayValidWithColourJitter() {
        ImageDataset gray = TestData.random(16, 1, 28, 28, 2, 1);
        float[] out = new BatchAugmenter(SimClrAugmentation.reference()).apply(gray.batch(0, 16), 16, 1, 28, 28, 3);
        assertEquals(16 * 28 * 28, out.length);
        for (float v : out) {
            assertTrue(v >= 0f && v <= 1f);
        }
    }

    @Test
    void flipAloneMirrorsRows() {
        SimClrAugmentation flipOnly = new SimClrAugmentation(1, 1, 1, 1, 1.0, 0, 0, 0, 0, 0, 0, 0, 0, 0.1, 0.1);
        float[] img = new float[4];
        img[0] = 0.1f;
        img[1] = 0.2f;
        img[2] = 0.3f;
        img[3] = 0.4f;
        float[] out = new BatchAugmenter(flipOnly).apply(img, 1, 1, 2, 2, 0);
        assertArrayEquals(new float[] {0.2f, 0.1f, 0.4f, 0.3f}, out, 1e-6f);
    }

    @Test
    void grayscaleAloneEqualisesChannels() {
        SimClrAugmentation grayOnly = new SimClrAugmentation(1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1.0, 0, 0, 0.1, 0.1);
        float[] out = new BatchAugmenter(grayOnly).apply(batch, 4, 3, 32, 32, 0);
        for (int p = 0; p < 1024; p++) {
            assertEquals(out[p], out[1024 + p], 1e-6f);
            assertEquals(out[p], out[2048 + p], 1e-6f);
        }
    }

    @Test
    void blurPreservesAConstantImageAndSmoothsAnEdge() {
        SimClrAugmentation blurOnly = new SimClrAugmentation(1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1.0, 0.3, 1.0, 1.0);
        float[] flat = new float[100];
        Arrays.fill(flat, 0.5f);
        assertArrayEquals(flat, new BatchAugmenter(blurOnly).apply(flat, 1, 1, 10, 10, 0), 1e-6f);
        float[] edge = new float[100];
        for (int y = 0; y < 10; y++) {
            for (int x = 5; x < 10; x++) {
                edge[y * 10 + x] = 1f;
            }
        }
        float[] out = new BatchAugmenter(blurOnly).apply(edge, 1, 1, 10, 10, 0);
        assertTrue(out[4] > 0.05f && out[5] < 0.95f, "edge is smoothed: " + out[4] + ", " + out[5]);
    }

    @Test
    void hueShiftKeepsGrayAndMovesColour() {
        float[] red = {1f, 0f, 0f};
        Colour.hue(red, 0, 1, 1f / 3f);
        assertArrayEquals(new float[] {0f, 1f, 0f}, red, 1e-5f);
        float[] gray = {0.4f, 0.4f, 0.4f};
        Colour.hue(gray, 0, 1, 0.25f);
        assertArrayEquals(new float[] {0.4f, 0.4f, 0.4f}, gray, 1e-6f);
    }

    @Test
    void invalidParametersAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new SimClrAugmentation(0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.1, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new SimClrAugmentation(0.5, 1, 1, 1, 1.5, 0, 0, 0, 0, 0, 0, 0, 0, 0.1, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new SimClrAugmentation(0.5, 1, 1, 1, 0, 0, 0, 0, 0.7, 0, 0, 0, 0, 0.1, 0.1));
    }
}
