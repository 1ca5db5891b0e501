package org.stealbench.data.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.types.MatFile;
import us.hebi.matlab.mat.types.MatlabType;
import us.hebi.matlab.mat.types.Matrix;

class SvhnMatFormatTest {

    @TempDir
    Path dir;

    @Test
    void readsImagesAndMapsLabelTenToZero() throws Exception {
        byte[] chw = TestData.randomBytes(3 * 3 * 32 * 32, 8);
        SvhnMatFormat.write(dir.resolve("train_32x32.mat"), chw, new int[] {0, 5, 9});
        ImageDataset ds = SvhnMatFormat.read("svhn", Split.TRAIN, dir);
        assertArrayEquals(new int[] {0, 5, 9}, ds.labels());
        assertArrayEquals(chw, ds.rawPixels());
    }

    @Test
    void wrongDimensionsAreAnError() throws Exception {
        try (MatFile mat = Mat5.newMatFile()) {
            mat.addArray("X", Mat5.newMatrix(new int[] {28, 28, 1, 2}, MatlabType.UInt8));
            mat.addArray("y", Mat5.newMatrix(2, 1));
            Mat5.writeToFile(mat, dir.resolve("test_32x32.mat").toFile());
        }
        DatasetException e = assertThrows(DatasetException.class, () -> SvhnMatFormat.read("svhn", Split.TEST, dir));
        assertTrue(e.getMessage().contains("expected [32, 32, 3, N]"), e.getMessage());
    }

    @Test
    void badLabelsAndMissingVariablesAreErrors() throws Exception {
        SvhnMatFormat.write(dir.resolve("test_32x32.mat"), new byte[3 * 1024], new int[] {1});
        try (MatFile mat = Mat5.newMatFile()) {
            Matrix x = Mat5.newMatrix(new int[] {32, 32, 3, 1}, MatlabType.UInt8);
            Matrix y = Mat5.newMatrix(1, 1);
            y.setDouble(0, 11);
            mat.addArray("X", x).addArray("y", y);
            Mat5.writeToFile(mat, dir.resolve("test_32x32.mat").toFile());
        }
        assertTrue(assertThrows(DatasetException.class, () -> SvhnMatFormat.read("svhn", Split.TEST, dir))
                .getMessage().contains("outside 1..10"));
        try (MatFile mat = Mat5.newMatFile()) {
            mat.addArray("Z", Mat5.newMatrix(1, 1));
            Mat5.writeToFile(mat, dir.resolve("test_32x32.mat").toFile());
        }
        assertThrows(DatasetException.class, () -> SvhnMatFormat.read("svhn", Split.TEST, dir));
    }

    @Test
    void truncatedFileIsAnError() throws Exception {
        SvhnMatFormat.write(dir.resolve("test_32x32.mat"), TestData.randomBytes(4 * 3 * 1024, 2), new int[] {1, 2, 3, 4});
        byte[] b = Files.readAllBytes(dir.resolve("test_32x32.mat"));
        Files.write(dir.resolve("test_32x32.mat"), Arrays.copyOf(b, b.length / 2));
        DatasetException e = assertThrows(DatasetException.class, () -> SvhnMatFormat.read("svhn", Split.TEST, dir));
        assertTrue(e.getMessage().contains("test_32x32.mat"), e.getMessage());
    }
}
