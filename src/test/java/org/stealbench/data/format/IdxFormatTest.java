package org.stealbench.data.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stealbench.data.DatasetException;
import org.stealbench.data.ImageDataset;
import org.stealbench.data.Split;
import org.stealbench.data.TestData;

class IdxFormatTest {

    @TempDir
    Path dir;

    @Test
    void roundTripsGzippedAndRaw() throws Exception {
        byte[] data = TestData.randomBytes(5 * 28 * 28, 1);
        for (String name : new String[] {"a-idx3-ubyte.gz", "a-idx3-ubyte"}) {
            Path f = dir.resolve(name);
            IdxFormat.write(f, new int[] {5, 28, 28}, data);
            IdxFormat.IdxArray a = IdxFormat.read(f);
            assertArrayEquals(new int[] {5, 28, 28}, a.dims());
            assertArrayEquals(data, a.data());
        }
        byte[] head = Files.readAllBytes(dir.resolve("a-idx3-ubyte.gz"));
        assertEquals(0x1f, head[0] & 0xFF, "the .gz file is gzipped");
        assertEquals(0x0803, ((Files.readAllBytes(dir.resolve("a-idx3-ubyte"))[2] & 0xFF) << 8)
                | Files.readAllBytes(dir.resolve("a-idx3-ubyte"))[3], "raw header: ubyte, 3 dims");
    }

    @Test
    void splitRoundTripKeepsImagesAndLabels() throws Exception {
        ImageDataset ds = TestData.random(7, 1, 6, 5, 3, 2);
        IdxFormat.writeSplit(ds, dir.resolve("i.gz"), dir.resolve("l.gz"));
        ImageDataset back = IdxFormat.readSplit("x", Split.TEST, dir.resolve("i.gz"), dir.resolve("l.gz"), ds.classNames(), "t");
        assertEquals(6, back.height());
        assertEquals(5, back.width());
        assertArrayEquals(ds.rawPixels(), back.rawPixels());
        assertArrayEquals(ds.labels(), back.labels());
    }

    @Test
    void badMagicNamesTheFile() throws Exception {
        Path f = dir.resolve("bad.idx");
        Files.write(f, new byte[] {1, 2, 3, 4, 0, 0, 0, 0});
        DatasetException e = assertThrows(DatasetException.class, () -> IdxFormat.read(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("magic"), e.getMessage());
    }

    @Test
    void truncatedDataSaysHowMuchIsMissing() throws Exception {
        Path f = dir.resolve("t-idx3-ubyte");
        IdxFormat.write(f, new int[] {4, 3, 3}, new byte[36]);
        byte[] all = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(all, all.length - 5));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxFormat.read(f));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("31"), e.getMessage());
    }

    @Test
    void truncatedGzipIsAnErrorNotAHang() throws Exception {
        Path f = dir.resolve("t.gz");
        IdxFormat.write(f, new int[] {100, 28, 28}, TestData.randomBytes(78400, 3));
        byte[] all = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(all, all.length / 2));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxFormat.read(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("gzip"), e.getMessage());
    }

    @Test
    void corruptGzipIsAnError() throws Exception {
        Path f = dir.resolve("c.gz");
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(new byte[1000]);
        }
        byte[] b = bos.toByteArray();
        for (int i = 12; i < b.length - 8; i++) {
            b[i] ^= 0x5A;
        }
        Files.write(f, b);
        assertThrows(DatasetException.class, () -> IdxFormat.read(f));
    }

    @Test
    void trailingBytesAndWrongTypeAreErrors() throws Exception {
        Path f = dir.resolve("x");
        IdxFormat.write(f, new int[] {2, 2}, new byte[4]);
        byte[] all = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(all, all.length + 3));
        assertTrue(assertThrows(DatasetException.class, () -> IdxFormat.read(f)).getMessage().contains("trailing"));
        all[2] = 0x0D; // float data
        Files.write(f, all);
        assertTrue(assertThrows(DatasetException.class, () -> IdxFormat.read(f)).getMessage().contains("not supported"));
    }

    @Test
    void imageAndLabelCountsMustAgree() throws Exception {
        IdxFormat.write(dir.resolve("i"), new int[] {3, 2, 2}, new byte[12]);
        IdxFormat.write(dir.resolve("l"), new int[] {2}, new byte[2]);
        DatasetException e = assertThrows(DatasetException.class,
                () -> IdxFormat.readSplit("x", Split.TRAIN, dir.resolve("i"), dir.resolve("l"), TestData.classNames(10), "t"));
        assertTrue(e.getMessage().contains("3 images") && e.getMessage().contains("2 labels"), e.getMessage());
    }

    @Test
    void labelsOutOfRangeAreRejected() throws Exception {
        IdxFormat.write(dir.resolve("i"), new int[] {2, 2, 2}, new byte[8]);
        IdxFormat.write(dir.resolve("l"), new int[] {2}, new byte[] {1, 12});
        DatasetException e = assertThrows(DatasetException.class,
                () -> IdxFormat.readSplit("x", Split.TRAIN, dir.resolve("i"), dir.resolve("l"), TestData.classNames(10), "t"));
        assertTrue(e.getMessage().contains("label 12"), e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        Path f = dir.resolve("nope.gz");
        DatasetException e = assertThrows(DatasetException.class, () -> IdxFormat.read(f));
        assertTrue(e.getMessage().contains("nope.gz") && e.getMessage().contains("not found"), e.getMessage());
    }
}
