package org.stealbench.api.http;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * The API's wire formats. A tensor ({@value #TENSOR}): a little-endian int32 rank, one int32 per
 * dimension, then the float32 values in row-major order, little-endian: requests send [n, C, H, W]
 * images in [0, 1], responses carry [n, D] representations. Images may also come as PNG files of
 * the API's height and width (grayscale for one channel, RGB for three). Every check says what is
 * wrong in a {@link BadInput} the server turns into a 400, before anything is allocated by size.
 */
public final class TensorCodec {

    /** Media type of the binary tensor format. */
    public static final String TENSOR = "application/x-float32";

    private TensorCodec() {
    }

    /** Input the API cannot take, with the reason for the client. */
    public static final class BadInput extends RuntimeException {
        public BadInput(String message) {
            super(message);
        }
    }

    /** A tensor's shape and values. */
    public record Tensor(int[] shape, float[] values) {
    }

    /** Encodes a tensor. */
    public static byte[] encode(int[] shape, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * shape.length + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(shape.length);
        for (int d : shape) {
            b.putInt(d);
        }
        b.asFloatBuffer().put(values);
        return b.array();
    }

    /** Decodes a tensor of at most {@code maxRank} dimensions, checking the body's length against its header. */
    public static Tensor decode(byte[] body, int maxRank) {
        if (body.length < 4) {
            throw new BadInput("a tensor starts with its rank as a little-endian int32; the body has " + body.length + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
        int rank = b.getInt();
        if (rank < 1 || rank > maxRank) {
            throw new BadInput("a tensor's rank must be 1 to " + maxRank + ", not " + rank);
        }
        if (body.length < 4 + 4L * rank) {
            throw new BadInput("the tensor's header is cut short: " + rank + " dimensions need " + (4 + 4 * rank) + " bytes");
        }
        int[] shape = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++) {
            shape[i] = b.getInt();
            if (shape[i] < 1) {
                throw new BadInput("dimension " + i + " of the tensor is " + shape[i] + "; every dimension must be at least 1");
            }
            count *= shape[i];
            if (count > Integer.MAX_VALUE / 4) {
                throw new BadInput("the tensor's shape " + Arrays.toString(shape) + " is too large");
            }
        }
        long expected = 4 + 4L * rank + 4 * count;
        if (body.length != expected) {
            throw new BadInput("a float32 tensor of shape " + Arrays.toString(shape) + " takes " + expected + " bytes; the body has "
                    + body.length + " (dtype must be little-endian float32)");
        }
        float[] v = new float[(int) count];
        b.asFloatBuffer().get(v);
        return new Tensor(shape, v);
    }

    /** Checks that a request's tensor holds images of {@code chw} with values in [0, 1]; returns the number of images. */
    public static int images(Tensor t, int[] chw) {
        int[] s = t.shape();
        if (s.length != 4 || s[1] != chw[0] || s[2] != chw[1] || s[3] != chw[2]) {
            throw new BadInput("images must be a tensor of shape [n, " + chw[0] + ", " + chw[1] + ", " + chw[2] + "], not " + Arrays.toString(s));
        }
        float[] v = t.values();
        for (int i = 0; i < v.length; i++) {
            if (!(v[i] >= 0f && v[i] <= 1f)) {
                throw new BadInput("pixel values must be in [0, 1]; value " + i + " is " + v[i]);
            }
        }
        return s[0];
    }

    /**
     * One PNG image as {@code chw} floats in [0, 1]: its size is read from the header first, so a
     * file claiming a huge image is refused before it is decoded.
     */
    public static float[] png(byte[] file, int[] chw) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(file))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new BadInput("not an image PNG can read");
            }
            ImageReader r = readers.next();
            try {
                if (!r.getFormatName().equalsIgnoreCase("png")) {
                    throw new BadInput("images must be PNG files, not " + r.getFormatName());
                }
                r.setInput(in, true, true);
                int w = r.getWidth(0);
                int h = r.getHeight(0);
                if (h != chw[1] || w != chw[2]) {
                    throw new BadInput("images must be " + chw[2] + "x" + chw[1] + " pixels, not " + w + "x" + h);
                }
                return pixels(r.read(0), chw);
            } finally {
                r.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof BadInput b) {
                throw b;
            }
            throw new BadInput("a malformed PNG: " + e.getMessage());
        }
    }

    private static float[] pixels(BufferedImage img, int[] chw) {
        Raster raster = img.getRaster();
        int bands = raster.getNumBands();
        boolean gray = img.getColorModel().getNumColorComponents() == 1;
        if (chw[0] == 1 && !gray) {
            throw new BadInput("this API takes grayscale images; the PNG has colour");
        }
        if (chw[0] == 3 && gray) {
            throw new BadInput("this API takes RGB images; the PNG is grayscale");
        }
        if (chw[0] != 1 && chw[0] != 3) {
            throw new BadInput("PNG input needs an API of 1 or 3 channels; this one takes " + chw[0]);
        }
        int h = chw[1];
        int w = chw[2];
        float[] out = new float[chw[0] * h * w];
        float max = (1 << raster.getSampleModel().getSampleSize(0)) - 1;
        for (int c = 0; c < chw[0]; c++) {
            int band = Math.min(c, bands - 1);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out[(c * h + y) * w + x] = raster.getSample(x, y, band) / max;
                }
            }
        }
        return out;
    }

    /** Several PNG files as one request's images. */
    public static float[] pngs(List<byte[]> files, int[] chw) {
        int size = chw[0] * chw[1] * chw[2];
        float[] all = new float[files.size() * size];
        for (int i = 0; i < files.size(); i++) {
            try {
                System.arraycopy(png(files.get(i), chw), 0, all, i * size, size);
            } catch (BadInput e) {
                throw new BadInput("image " + i + ": " + e.getMessage());
            }
        }
        return all;
    }
}
