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
 * The binary versions of CIFAR-10 and CIFAR-100. CIFAR-10 records are 1 label byte + 3,072 pixel
 * bytes (1,024 red, green, blue, row-major 32x32); files data_batch_1..5.bin and test_batch.bin,
 * class names in batches.meta.txt. CIFAR-100 records have a coarse and a fine label byte before
 * the pixels; files train.bin and test.bin, names in fine_label_names.txt. We use fine labels.
 */
public final class CifarBinaryFormat {

    public static final int SIDE = 32;
    public static final int IMAGE_BYTES = 3 * SIDE * SIDE;

    private CifarBinaryFormat() {
    }

    /** Which CIFAR. */
    public enum Variant {
        CIFAR10(1, 10, List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"),
                List.of("test_batch.bin"), "batches.meta.txt"),
        CIFAR100(2, 100, List.of("train.bin"), List.of("test.bin"), "fine_label_names.txt");

        final int labelBytes;
        final int classes;
        final List<String> trainFiles;
        final List<String> testFiles;
        final String namesFile;

        Variant(int labelBytes, int classes, List<String> trainFiles, List<String> testFiles, String namesFile) {
            this.labelBytes = labelBytes;
            this.classes = classes;
            this.trainFiles = trainFiles;
            this.testFiles = testFiles;
            this.namesFile = namesFile;
        }

        public List<String> files(Split split) {
            return split == Split.TRAIN ? trainFiles : testFiles;
        }

        public int recordBytes() {
            return labelBytes + IMAGE_BYTES;
        }
    }

    public static ImageDataset read(String id, Variant v, Split split, Path dir) {
        List<String> names = classNames(v, dir);
        List<byte[]> chunks = new ArrayList<>();
        int total = 0;
        for (String f : v.files(split)) {
            byte[] bytes = DataFiles.readMaybeGzip(dir.resolve(f));
            if (bytes.length == 0 || bytes.length % v.recordBytes() != 0) {
                throw new DatasetException(dir.resolve(f) + ": " + bytes.length + " bytes is not a whole number of "
                        + v.recordBytes() + "-byte CIFAR records (truncated or not a " + v + " binary file)");
            }
            chunks.add(bytes);
            total += bytes.length / v.recordBytes();
        }
        byte[] pixels = new byte[total * IMAGE_BYTES];
        int[] labels = new int[total];
        int k = 0;
        for (int c = 0; c < chunks.size(); c++) {
            byte[] bytes = chunks.get(c);
            for (int r = 0; r < bytes.length / v.recordBytes(); r++, k++) {
                int base = r * v.recordBytes();
                int label = bytes[base + v.labelBytes - 1] & 0xFF;
                if (label >= v.classes) {
                    throw new DatasetException(dir.resolve(v.files(split).get(c)) + ": record " + r + " has label " + label
                            + ", outside 0.." + (v.classes - 1));
                }
                labels[k] = label;
                System.arraycopy(bytes, base + v.labelBytes, pixels, k * IMAGE_BYTES, IMAGE_BYTES);
            }
        }
        return new ImageDataset(id, split, 3, SIDE, SIDE, pixels, labels, names, dir.toString());
    }

    static List<String> classNames(Variant v, Path dir) {
        Path f = dir.resolve(v.namesFile);
        List<String> names = new ArrayList<>();
        if (Files.isRegularFile(f)) {
            try {
                for (String line : Files.readAllLines(f)) {
                    if (!line.isBlank()) {
                        names.add(line.trim());
                    }
                }
            } catch (IOException e) {
                throw new DatasetException(f + ": cannot read class names (" + e.getMessage() + ")", e);
            }
        }
        if (names.size() != v.classes) {
            names.clear();
            for (int i = 0; i < v.classes; i++) {
                names.add("class " + i);
            }
        }
        return names;
    }

    /** Writes records in the CIFAR binary layout (tests write small real-format files with it). */
    public static void write(Path file, Variant v, byte[] pixels, int[] labels) throws IOException {
        DataFiles.writeAtomically(file, out -> {
            for (int i = 0; i < labels.length; i++) {
                if (v == Variant.CIFAR100) {
                    out.write(labels[i] / 5);
                }
                out.write(labels[i]);
                out.write(pixels, i * IMAGE_BYTES, IMAGE_BYTES);
            }
        });
    }
}
