package org.stealbench.data.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stealbench.data.DatasetException;
import org.stealbench.data.ImageDataset;
import org.stealbench.data.Split;
import org.stealbench.data.TestData;

class Stl10BinaryFormatTest {

    @TempDir
    Path dir;

    @Test
    void columnMajorPlanesBecomeRowMajor() throws Exception {
        int n = 2;
        byte[] chw = TestData.randomBytes(n * Stl10BinaryFormat.IMAGE_BYTES, 4);
        Stl10BinaryFormat.write(dir, Split.TRAIN, chw, new int[] {0, 9});
        // The file itself is column-major: byte (c=0, col=1, row=0) sits at offset 96.
        byte[] x = Files.readAllBytes(dir.resolve("train_X.bin"));
        assertEquals(chw[1], x[96]);
        assertEquals(10, Files.readAllBytes(dir.resolve("train_y.bin"))[1]);
        ImageDataset ds = Stl10BinaryFormat.read("stl10", Split.TRAIN, dir);
        assertArrayEquals(chw, ds.rawPixels());
        assertArrayEquals(new int[] {0, 9}, ds.labels());
        assertEquals(96, ds.height());
        assertEquals("airplane", ds.classNames().get(0));
    }

    @Test
    void labelsMustBeOneToTen() throws Exception {
        Stl10BinaryFormat.write(dir, Split.TEST, new byte[Stl10BinaryFormat.IMAGE_BYTES], new int[] {0});
        Files.write(dir.resolve("test_y.bin"), new byte[] {0});
        DatasetException e = assertThrows(DatasetException.class, () -> Stl10BinaryFormat.read("s", Split.TEST, dir));
        assertTrue(e.getMessage().contains("outside 1..10"), e.getMessage());
    }

    @Test
    void truncatedImagesAndCountMismatchAreErrors() throws Exception {
        Stl10BinaryFormat.write(dir, Split.TEST, new byte[2 * Stl10BinaryFormat.IMAGE_BYTES], new int[] {0, 1});
        Files.write(dir.resolve("test_y.bin"), new byte[] {1});
        assertTrue(assertThrows(DatasetException.class, () -> Stl10BinaryFormat.read("s", Split.TEST, dir))
                .getMessage().contains("holds 1 labels"));
        byte[] x = Files.readAllBytes(dir.resolve("test_X.bin"));
        Files.write(dir.resolve("test_X.bin"), Arrays.copyOf(x, x.length - 7));
        assertTrue(assertThrows(DatasetException.class, () -> Stl10BinaryFormat.read("s", Split.TEST, dir))
                .getMessage().contains("truncated"));
    }
}
