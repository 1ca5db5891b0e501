package org.stealbench.data.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.stealbench.data.DatasetException;
import org.stealbench.data.ImageDataset;
import org.stealbench.data.TestData;

class ImageAdaptersTest {

    final ImageDataset gray = TestData.random(3, 1, 28, 28, 3, 1);

    @Test
    void padCentresTheImageOnZeros() {
        ImageDataset p = ImageAdapters.fit(gray, 1, 32, 32);
        assertEquals(32, p.height());
        byte[] src = gray.imageBytes(1);
        byte[] dst = p.imageBytes(1);
        assertEquals(0, dst[0]);
        assertEquals(0, dst[31 * 32 + 31]);
        assertEquals(src[0], dst[2 * 32 + 2]);
        assertEquals(src[27 * 28 + 27], dst[29 * 32 + 29]);
        assertEquals(gray.label(2), p.label(2));
    }

    @Test
    void grayToRgbReplicatesAndBackIsExact() {
        ImageDataset rgb = ImageAdapters.toChannels(gray, 3);
        assertEquals(3, rgb.channels());
        byte[] img = rgb.imageBytes(0);
        assertEquals(img[5], img[784 + 5]);
        assertEquals(img[5], img[2 * 784 + 5]);
        ImageDataset back = ImageAdapters.toChannels(rgb, 1);
        org.junit.jupiter.api.Assertions.assertArrayEquals(gray.rawPixels(), back.rawPixels());
    }

    @Test
    void resizeOfAConstantImageIsConstantAndShrinksWhenSmaller() {
        byte[] px = new byte[2 * 40 * 40];
        java.util.Arrays.fill(px, (byte) 77);
        ImageDataset big = new ImageDataset("t", org.stealbench.data.Split.TRAIN, 1, 40, 40, px, new int[] {0, 0},
                java.util.List.of("a"), "t");
        ImageDataset small = ImageAdapters.fit(big, 3, 32, 32);
        assertEquals(32, small.width());
        assertEquals(3, small.channels());
        for (byte b : small.rawPixels()) {
            assertEquals(77, b & 0xFF);
        }
    }

    @Test
    void cannotPadToSmaller() {
        assertThrows(DatasetException.class, () -> ImageAdapters.pad(gray, 20, 20));
    }
}
