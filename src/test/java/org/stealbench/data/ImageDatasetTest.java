package org.stealbench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ImageDatasetTest {

    @Test
    void floatsAreBytesOver255() {
        byte[] px = {0, (byte) 255, (byte) 128, 1};
        ImageDataset ds = new ImageDataset("t", Split.TRAIN, 1, 2, 2, px, new int[] {0}, List.of("a"), "test");
        float[] b = ds.batch(0, 1);
        assertArrayEquals(new float[] {0f, 1f, 128f / 255f, 1f / 255f}, b, 1e-7f);
    }

    @Test
    void labelsOutOfRangeAreRejectedWithTheImageIndex() {
        DatasetException e = assertThrows(DatasetException.class, () -> new ImageDataset("t", Split.TRAIN, 1, 1, 1,
                new byte[2], new int[] {0, 3}, List.of("a", "b"), "test"));
        assertTrue(e.getMessage().contains("label 3 of image 1"), e.getMessage());
    }

    @Test
    void pixelCountMustMatchShape() {
        assertThrows(DatasetException.class, () -> new ImageDataset("t", Split.TRAIN, 1, 2, 2, new byte[3],
                new int[] {0}, List.of("a"), "test"));
        assertThrows(DatasetException.class, () -> new ImageDataset("t", Split.TRAIN, 2, 2, 2, new byte[8],
                new int[] {0}, List.of("a"), "test"));
    }

    @Test
    void sliceAndSelectCopyTheRightImages() {
        ImageDataset ds = TestData.random(10, 3, 4, 4, 5, 1);
        ImageDataset s = ds.slice(2, 5);
        assertEquals(3, s.size());
        assertArrayEquals(ds.imageBytes(3), s.imageBytes(1));
        assertEquals(ds.label(4), s.label(2));
        ImageDataset sel = ds.select(new int[] {9, 0});
        assertArrayEquals(ds.imageBytes(9), sel.imageBytes(0));
        assertArrayEquals(new int[] {ds.label(9), ds.label(0)}, sel.labels());
        assertArrayEquals(new int[] {2, 2, 2, 2, 2}, ds.classCounts());
    }

    @Test
    void normalizationStandardisesEachChannel() {
        ImageDataset ds = TestData.random(50, 3, 8, 8, 2, 3);
        Normalization n = ds.normalization();
        float[] batch = ds.batch(0, ds.size());
        n.apply(batch, ds.size(), 8, 8);
        for (int c = 0; c < 3; c++) {
            double sum = 0;
            double sq = 0;
            int count = 0;
            for (int i = 0; i < ds.size(); i++) {
                for (int p = 0; p < 64; p++) {
                    float v = batch[(i * 3 + c) * 64 + p];
                    sum += v;
                    sq += v * v;
                    count++;
                }
            }
            double mean = sum / count;
            assertEquals(0, mean, 1e-3);
            assertEquals(1, Math.sqrt(sq / count - mean * mean), 1e-3);
        }
    }
}
