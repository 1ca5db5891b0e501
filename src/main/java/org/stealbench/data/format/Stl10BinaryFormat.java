package org.stealbench.data.format;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.stealbench.data.DatasetException;
import org.stealbench.data.ImageDataset;
import org.stealbench.data.Split;

/**
 * STL-10's binary files: {@code train_X.bin}/{@code test_X.bin} hold 96x96 RGB images, each as
 * three planes stored column-major (MATLAB order); {@code train_y.bin}/{@code test_y.bin} hold one
 * label byte per image, 1 to 10; class names in {@code class_names.txt}.
 */
public final class Stl10BinaryFormat {

    public static final int SIDE = 96;
    public static final int IMAGE_BYTES = 3 * SIDE * SIDE;
    public static final List<String> DEFAULT_CLASSES = List.of("airplane", "bird", "car", "cat", "deer", "dog", "horse",
            "monkey", "ship", "truck");

    private Stl10BinaryFormat() {
    }

    public static ImageDataset read(String id, Split split, Path dir) {
        String prefix = split == Split.TRAIN ? "train" : "test";
        Path xFile = dir.resolve(prefix + "_X.bin");
        Path yFile = dir.resolve(prefix + "_y.bin");
        byte[] x = DataFiles.readMaybeGzip(xFile);
        byte[] y = DataFiles.readMaybeGzip(yFile);
        if (x.length == 0 || x.length % IMAGE_BYTES != 0) {
            throw new DatasetException(xFile + ": " + x.length + " bytes is not a whole number of 96x96x3 images (truncated?)");
        }
        int n = x.length / IMAGE_BYTES;
        if (y.length != n) {
            throw new DatasetException(yFile + " holds " + y.length + " labels but " + xFile + " holds " + n + " images");
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int l = y[i] & 0xFF;
            if (l < 1 || l > 10) {
                throw new DatasetException(yFile + ": label " + l + " of image " + i + " is outside 1..10");
            }
            labels[i] = l - 1;
        }
        // Column-major planes -> row-major planes.
        byte[] pixels = new byte[x.length];
        int plane = SIDE * SIDE;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                int base = i * IMAGE_BYTES + c * plane;
                for (int col = 0; col < SIDE; col++) {
                    for (int row = 0; row < SIDE; row++) {
                        pixels[base + row * SIDE + col] = x[base + col * SIDE + row];
                    }
                }
            }
        }
        return new ImageDataset(id, split, 3, SIDE, SIDE, pixels, labels, classNames(dir), dir.toString());
    }

    static List<String> classNames(Path dir) {
        Path f = dir.resolve("class_names.txt");
        if (Files.isRegularFile(f)) {
            try {
                List<String> names = new ArrayList<>();
                for (String line : Files.readAllLines(f)) {
                    if (!line.isBlank()) {
                        names.add(line.trim());
                    }
                }
                if (names.size() == 10) {
                    return names;
                }
            } catch (IOException e) {
                throw new DatasetException(f + ": cannot read class names (" + e.getMessage() + ")", e);
            }
        }
        return DEFAULT_CLASSES;
    }

    /** Writes row-major CHW images and 0-based labels in STL-10's layout (for tests and tools). */
    public static void write(Path dir, Split split, byte[] chwRowMajor, int[] labels) throws IOException {
        String prefix = split == Split.TRAIN ? "train" : "test";
        int plane = SIDE * SIDE;
        byte[] x = new byte[chwRowMajor.length];
        for (int i = 0; i < labels.length; i++) {
            for (int c = 0; c < 3; c++) {
                int base = i * IMAGE_BYTES + c * plane;
                for (int row = 0; row < SIDE; row++) {
                    for (int col = 0; col < SIDE; col++) {
                        x[base + col * SIDE + row] = chwRowMajor[base + row * SIDE + col];
                    }
                }
            }
        }
        byte[] y = new byte[labels.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = (byte) (labels[i] + 1);
        }
        DataFiles.writeAtomically(dir.resolve(prefix + "_X.bin"), out -> out.write(x));
        DataFiles.writeAtomically(dir.resolve(prefix + "_y.bin"), out -> out.write(y));
    }
}
