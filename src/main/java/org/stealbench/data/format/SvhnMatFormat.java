package org.stealbench.data.format;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.stealbench.data.DatasetException;
import org.stealbench.data.ImageDataset;
import org.stealbench.data.Split;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.format.Mat5File;
import us.hebi.matlab.mat.types.Matrix;
import us.hebi.matlab.mat.types.MatlabType;

/**
 * SVHN's cropped-digits files {@code train_32x32.mat} and {@code test_32x32.mat} (MATLAB v5, read
 * with MFL): {@code X} is a 32x32x3xN uint8 array (row, column, channel, image; column-major)
 * and {@code y} an Nx1 array of labels 1..10 where 10 stands for the digit 0.
 */
public final class SvhnMatFormat {

    public static final int SIDE = 32;
    public static final List<String> CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private SvhnMatFormat() {
    }

    public static String fileName(Split split) {
        return (split == Split.TRAIN ? "train" : "test") + "_32x32.mat";
    }

    public static ImageDataset read(String id, Split split, Path dir) {
        Path file = dir.resolve(fileName(split));
        if (!Files.isRegularFile(file)) {
            throw new DatasetException(file + ": file not found");
        }
        try (Mat5File mat = Mat5.readFromFile(file.toFile())) {
            Matrix x;
            Matrix y;
            try {
                x = mat.getMatrix("X");
                y = mat.getMatrix("y");
            } catch (RuntimeException e) {
                throw new DatasetException(file + ": expected variables X and y (" + e.getMessage() + ")", e);
            }
            int[] d = x.getDimensions();
            if (d.length != 4 || d[0] != SIDE || d[1] != SIDE || d[2] != 3) {
                throw new DatasetException(file + ": X has dimensions " + java.util.Arrays.toString(d)
                        + ", expected [32, 32, 3, N]");
            }
            int n = d[3];
            if (y.getNumElements() != n) {
                throw new DatasetException(file + ": y holds " + y.getNumElements() + " labels for " + n + " images");
            }
            int plane = SIDE * SIDE;
            byte[] pixels = new byte[n * 3 * plane];
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                double lv = y.getDouble(i);
                int l = (int) lv;
                if (l != lv || l < 1 || l > 10) {
                    throw new DatasetException(file + ": label " + lv + " of image " + i + " is outside 1..10");
                }
                labels[i] = l % 10;
                for (int c = 0; c < 3; c++) {
                    for (int col = 0; col < SIDE; col++) {
                        int src = ((i * 3 + c) * SIDE + col) * SIDE;
                        for (int row = 0; row < SIDE; row++) {
                            pixels[(i * 3 + c) * plane + row * SIDE + col] = x.getByte(src + row);
                        }
                    }
                }
            }
            return new ImageDataset(id, split, 3, SIDE, SIDE, pixels, labels, CLASSES, file.toString());
        } catch (IOException | RuntimeException e) {
            if (e instanceof DatasetException de) {
                throw de;
            }
            throw new DatasetException(file + ": not a readable MATLAB v5 file (" + e.getMessage() + ")", e);
        }
    }

    /** Writes images (row-major CHW bytes) and 0-based digit labels as an SVHN .mat file. */
    public static void write(Path file, byte[] chw, int[] labels) throws IOException {
        int n = labels.length;
        int plane = SIDE * SIDE;
        Matrix x = Mat5.newMatrix(new int[] {SIDE, SIDE, 3, n}, MatlabType.UInt8);
        Matrix y = Mat5.newMatrix(n, 1);
        for (int i = 0; i < n; i++) {
            y.setDouble(i, labels[i] == 0 ? 10 : labels[i]);
            for (int c = 0; c < 3; c++) {
                for (int row = 0; row < SIDE; row++) {
                    for (int col = 0; col < SIDE; col++) {
                        x.setByte(new int[] {row, col, c, i}, chw[(i * 3 + c) * plane + row * SIDE + col]);
                    }
                }
            }
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try (Mat5File mat = Mat5.newMatFile()) {
            mat.addArray("X", x).addArray("y", y);
            Mat5.writeToFile(mat, tmp.toFile());
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
