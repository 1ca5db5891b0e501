package org.stealbench.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Small random datasets for tests. */
public final class TestData {

    private TestData() {
    }

    /** The registry tests use: the bundled sample data, and empty system and user places under {@code tmp}. */
    public static DatasetRegistry sampleRegistry(java.nio.file.Path tmp) {
        return DatasetRegistry.standard(new DatasetRegistry.Roots(
                java.nio.file.Path.of(System.getProperty("stealbench.home", ".")).resolve("sample-data"), tmp.resolve("sys"), tmp.resolve("user")));
    }

    public static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    public static int[] labels(int n, int classes) {
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            l[i] = i % classes;
        }
        return l;
    }

    public static List<String> classNames(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("c" + i);
        }
        return out;
    }

    /** Writes a solid-colour image file (png or jpg). */
    public static void image(java.nio.file.Path file, int w, int h, int rgb, String format) throws java.io.IOException {
        java.nio.file.Files.createDirectories(file.getParent());
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        javax.imageio.ImageIO.write(img, format, file.toFile());
    }

    public static ImageDataset random(int n, int c, int h, int w, int classes, long seed) {
        return new ImageDataset("test", Split.TRAIN, c, h, w, randomBytes(n * c * h * w, seed), labels(n, classes),
                classNames(classes), "random seed " + seed);
    }
}
