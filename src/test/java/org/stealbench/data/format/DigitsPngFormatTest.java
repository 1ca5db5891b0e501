package org.stealbench.data.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stealbench.data.DatasetException;
import org.stealbench.data.TestData;

class DigitsPngFormatTest {

    @TempDir
    Path dir;

    @Test
    void tileRowsGiveLabels() throws Exception {
        // 10 classes x 2 tile rows each, 3 tiles a row: label = row / 2.
        int cols = 3;
        int rows = 20;
        byte[] tiles = TestData.randomBytes(cols * rows * 400, 5);
        Path png = dir.resolve("digits.png");
        DigitsPngFormat.write(png, tiles, cols, rows);
        List<byte[]> perClass = DigitsPngFormat.read(png);
        assertEquals(10, perClass.size());
        for (int c = 0; c < 10; c++) {
            assertEquals(6 * 400, perClass.get(c).length);
            // first tile of class c is tile (row 2c, col 0)
            int t = (2 * c) * cols;
            assertArrayEquals(Arrays.copyOfRange(tiles, t * 400, (t + 1) * 400), Arrays.copyOfRange(perClass.get(c), 0, 400));
        }
    }

    @Test
    void wrongGridIsAnError() throws Exception {
        Path png = dir.resolve("digits.png");
        DigitsPngFormat.write(png, new byte[3 * 7 * 400], 3, 7);
        DatasetException e = assertThrows(DatasetException.class, () -> DigitsPngFormat.read(png));
        assertTrue(e.getMessage().contains("grid"), e.getMessage());
    }

    @Test
    void unreadableImageIsNamed() throws Exception {
        Path png = dir.resolve("digits.png");
        Files.write(png, new byte[] {1, 2, 3, 4, 5});
        DatasetException e = assertThrows(DatasetException.class, () -> DigitsPngFormat.read(png));
        assertTrue(e.getMessage().contains(png.toString()), e.getMessage());
    }
}
