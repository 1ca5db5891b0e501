package org.stealbench.data.format;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.stealbench.data.DatasetException;

/**
 * OpenCV's {@code samples/data/digits.png}: 5,000 handwritten digits as 20x20 tiles in a
 * 2000x1000 grayscale image, 100 tiles a row; rows 0-4 are zeros, 5-9 ones and so on
 * (label = tile row / 5).
 */
public final class DigitsPngFormat {

    public static final int TILE = 20;
    public static final int CLASSES = 10;

    private DigitsPngFormat() {
    }

    /** @return for each class, its 20x20 tiles one after another in reading order */
    public static java.util.List<byte[]> read(Path png) {
        BufferedImage img = ImageFiles.read(png);
        int w = img.getWidth();
        int h = img.getHeight();
        int cols = w / TILE;
        int rows = h / TILE;
        if (w % TILE != 0 || h % TILE != 0 || rows % CLASSES != 0 || rows == 0) {
            throw new DatasetException(png + ": " + w + "x" + h + " is not a grid of 20x20 digit tiles with a multiple of "
                    + CLASSES + " rows (OpenCV's digits.png is 2000x1000)");
        }
        int rowsPerClass = rows / CLASSES;
        int perClass = rowsPerClass * cols;
        int plane = TILE * TILE;
        int[] gray = ImageFiles.gray(img);
        java.util.List<byte[]> out = new java.util.ArrayList<>();
        for (int c = 0; c < CLASSES; c++) {
            byte[] pixels = new byte[perClass * plane];
            for (int j = 0; j < perClass; j++) {
                int tileRow = c * rowsPerClass + j / cols;
                int tileCol = j % cols;
                for (int y = 0; y < TILE; y++) {
                    int src = (tileRow * TILE + y) * w + tileCol * TILE;
                    for (int x = 0; x < TILE; x++) {
                        pixels[j * plane + y * TILE + x] = (byte) gray[src + x];
                    }
                }
            }
            out.add(pixels);
        }
        return out;
    }

    /** Writes a grid in the digits.png layout (used by tests and tools). */
    public static void write(Path png, byte[] tiles, int cols, int rows) throws IOException {
        BufferedImage img = new BufferedImage(cols * TILE, rows * TILE, BufferedImage.TYPE_BYTE_GRAY);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int t = r * cols + c;
                for (int y = 0; y < TILE; y++) {
                    for (int x = 0; x < TILE; x++) {
                        img.getRaster().setSample(c * TILE + x, r * TILE + y, 0, tiles[t * TILE * TILE + y * TILE + x] & 0xFF);
                    }
                }
            }
        }
        DataFiles.writeAtomically(png, out -> ImageIO.write(img, "png", out));
    }
}
