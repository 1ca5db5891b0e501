package org.stealbench.data.format;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.stealbench.data.DatasetException;

/** Reading PNG/JPEG files through ImageIO with errors that name the file. */
public final class ImageFiles {

    private ImageFiles() {
    }

    public static BufferedImage read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            BufferedImage img = ImageIO.read(in);
            if (img == null) {
                throw new DatasetException(file + ": not a readable PNG or JPEG image");
            }
            return img;
        } catch (NoSuchFileException e) {
            throw new DatasetException(file + ": file not found");
        } catch (IOException | RuntimeException e) {
            if (e instanceof DatasetException de) {
                throw de;
            }
            throw new DatasetException(file + ": unreadable or truncated image (" + e.getMessage() + ")", e);
        }
    }

    /** Luma (0-255) of every pixel, row-major. */
    public static int[] gray(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] out = new int[w * h];
        if (img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            img.getRaster().getSamples(0, 0, w, h, 0, out);
            return out;
        }
        int[] rgb = img.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < rgb.length; i++) {
            int p = rgb[i];
            out[i] = Math.round(0.299f * ((p >> 16) & 0xFF) + 0.587f * ((p >> 8) & 0xFF) + 0.114f * (p & 0xFF));
        }
        return out;
    }

    /** True when every pixel has equal red, green and blue. */
    public static boolean isGray(BufferedImage img) {
        if (img.getType() == BufferedImage.TYPE_BYTE_GRAY || img.getColorModel().getNumColorComponents() == 1) {
            return true;
        }
        int w = img.getWidth();
        int[] row = new int[w];
        for (int y = 0; y < img.getHeight(); y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int p : row) {
                int r = (p >> 16) & 0xFF;
                if (r != ((p >> 8) & 0xFF) || r != (p & 0xFF)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Writes CHW bytes of one image into {@code dst} at {@code offset}, 1 or 3 channels. */
    public static void toChw(BufferedImage img, int channels, byte[] dst, int offset) {
        int w = img.getWidth();
        int h = img.getHeight();
        int plane = w * h;
        if (channels == 1) {
            int[] g = gray(img);
            for (int i = 0; i < plane; i++) {
                dst[offset + i] = (byte) g[i];
            }
            return;
        }
        int[] rgb = img.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < plane; i++) {
            int p = rgb[i];
            dst[offset + i] = (byte) (p >> 16);
            dst[offset + plane + i] = (byte) (p >> 8);
            dst[offset + 2 * plane + i] = (byte) p;
        }
    }

    /** An image from CHW bytes (1 or 3 channels). */
    public static BufferedImage fromChw(byte[] chw, int offset, int channels, int height, int width) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int plane = width * height;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                int r = chw[offset + i] & 0xFF;
                int g = channels == 3 ? chw[offset + plane + i] & 0xFF : r;
                int b = channels == 3 ? chw[offset + 2 * plane + i] & 0xFF : r;
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return img;
    }
}
