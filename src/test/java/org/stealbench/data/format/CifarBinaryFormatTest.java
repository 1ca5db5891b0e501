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
import org.stealbench.data.format.CifarBinaryFormat.Variant;

class CifarBinaryFormatTest {

    @TempDir
    Path dir;

    @Test
    void cifar10ReadsAllTrainingBatchesInOrder() throws Exception {
        byte[][] px = new byte[5][];
        for (int b = 0; b < 5; b++) {
            px[b] = TestData.randomBytes(2 * 3072, b);
            CifarBinaryFormat.write(dir.resolve("data_batch_" + (b + 1) + ".bin"), Variant.CIFAR10, px[b], new int[] {b, 9 - b});
        }
        CifarBinaryFormat.write(dir.resolve("test_batch.bin"), Variant.CIFAR10, TestData.randomBytes(3072, 9), new int[] {4});
        Files.writeString(dir.resolve("batches.meta.txt"), "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n");
        ImageDataset train = CifarBinaryFormat.read("cifar10", Variant.CIFAR10, Split.TRAIN, dir);
        assertEquals(10, train.size());
        assertEquals(3, train.channels());
        assertArrayEquals(new int[] {0, 9, 1, 8, 2, 7, 3, 6, 4, 5}, train.labels());
        assertArrayEquals(Arrays.copyOfRange(px[2], 3072, 6144), train.imageBytes(5));
        assertEquals("cat", train.classNames().get(3));
        assertEquals(1, CifarBinaryFormat.read("cifar10", Variant.CIFAR10, Split.TEST, dir).size());
    }

    @Test
    void cifar100UsesFineLabels() throws Exception {
        byte[] px = TestData.randomBytes(3 * 3072, 1);
        CifarBinaryFormat.write(dir.resolve("train.bin"), Variant.CIFAR100, px, new int[] {99, 0, 57});
        CifarBinaryFormat.write(dir.resolve("test.bin"), Variant.CIFAR100, TestData.randomBytes(3072, 2), new int[] {3});
        ImageDataset train = CifarBinaryFormat.read("cifar100", Variant.CIFAR100, Split.TRAIN, dir);
        assertArrayEquals(new int[] {99, 0, 57}, train.labels());
        assertArrayEquals(Arrays.copyOfRange(px, 2 * 3072, 3 * 3072), train.imageBytes(2));
        assertEquals(100, train.numClasses());
        byte[] raw = Files.readAllBytes(dir.resolve("train.bin"));
        assertEquals(99 / 5, raw[0], "coarse label byte precedes the fine one");
        assertEquals(99, raw[1]);
    }

    @Test
    void truncatedFileIsNamed() throws Exception {
        CifarBinaryFormat.write(dir.resolve("test_batch.bin"), Variant.CIFAR10, TestData.randomBytes(2 * 3072, 1), new int[] {1, 2});
        byte[] b = Files.readAllBytes(dir.resolve("test_batch.bin"));
        Files.write(dir.resolve("test_batch.bin"), Arrays.copyOf(b, b.length - 100));
        DatasetException e = assertThrows(DatasetException.class, () -> CifarBinaryFormat.read("c", Variant.CIFAR10, Split.TEST, dir));
        assertTrue(e.getMessage().contains("test_batch.bin") && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void labelOutOfRangeIsNamed() throws Exception {
        CifarBinaryFormat.write(dir.resolve("test_batch.bin"), Variant.CIFAR10, TestData.randomBytes(3072, 1), new int[] {10});
        DatasetException e = assertThrows(DatasetException.class, () -> CifarBinaryFormat.read("c", Variant.CIFAR10, Split.TEST, dir));
        assertTrue(e.getMessage().contains("label 10"), e.getMessage());
    }

    @Test
    void missingBatchIsNamed() {
        DatasetException e = assertThrows(DatasetException.class, () -> CifarBinaryFormat.read("c", Variant.CIFAR10, Split.TRAIN, dir));
        assertTrue(e.getMessage().contains("data_batch_1.bin"), e.getMessage());
    }
}
