package org.stealbench.data.transform;

import org.stealbench.data.DatasetException;
import org.stealbench.data.ImageDataset;

/**
 * Adapters that let any dataset feed any encoder: channel conversion (grayscale to RGB by
 * replication, RGB to grayscale by ITU-R 601 luma), zero padding and bilinear resizing.
 * They produce new datasets; the source is never changed. Normalisation is recomputed on the
 * adapted data (a padded image has a different mean), and is recorded with it.
 */
public final class ImageAdapters {

    private ImageAdapters() {
    }

    /**
     * The dataset as {@code channels} x {@code height} x {@code width} images: channels converted
     * first; then, if the target is at least as large in both directions, the image is centred and
     * zero-padded (as docs/protocol.md pads 28x28 Fashion-MNIST to 32x32), otherwise resized bilinearly.
     */
    public static ImageDataset fit(ImageDataset ds, int channels, int height, int width) {
        ImageDataset out = toChannels(ds, channels);
        if (out.height() == height && out.width() == width) {
            return out;
        }
        if (height >= out.height() && width >= out.width()) {
            return pad(out, height, width);
        }
        return resize(out, height, width);
    }

    public static ImageDataset toChannels(ImageDataset ds, int channels) {
        if (channels == ds.channels()) {
            return ds;
        }
        if (channels != 1 && channels != 3) {
            throw new DatasetException("cannot convert " + ds.id() + " to " + channels + " channels (only 1 or 3)");
        }
        int plane = ds.height() * ds.width();
        byte[] src = ds.rawPixels();
        byte[] dst = new byte[ds.size() * channels * plane];
        for (int i = 0; i < ds.size(); i++) {
            if (channels == 3) {
                for (int k = 0; k < 3; k++) {
                    System.arraycopy(src, i * plane, dst, (i * 3 + k) * plane, plane);
                }
            } else {
                int s = i * 3 * plane;
                for (int p = 0; p < plane; p++) {
                    float y = 0.299f * (src[s + p] & 0xFF) + 0.587f * (src[s + plane + p] & 0xFF) + 0.114f * (src[s + 2 * plane + p] & 0xFF);
                    dst[i * plane + p] = (byte) Math.round(y);
                }
            }
        }
        return new ImageDataset(ds.id(), ds.split(), channels, ds.height(), ds.width(), dst, ds.labels(), ds.classNames(),
                ds.origin() + (channels == 3 ? ", gray->rgb" : ", rgb->gray"));
    }

    /** Centres each image on a zero canvas of {@code height} x {@code width}. */
    public static ImageDataset pad(ImageDataset ds, int height, int width) {
        int h = ds.height();
        int w = ds.width();
        if (height < h || width < w) {
            throw new DatasetException("cannot pad " + h + "x" + w + " images to the smaller " + height + "x" + width);
        }
        int top = (height - h) / 2;
        int left = (width - w) / 2;
        int c = ds.channels();
        byte[] src = ds.rawPixels();
        byte[] dst = new byte[ds.size() * c * height * width];
        for (int i = 0; i < ds.size(); i++) {
            for (int k = 0; k < c; k++) {
                int sBase = (i * c + k) * h * w;
                int dBase = (i * c + k) * height * width;
                for (int y = 0; y < h; y++) {
                    System.arraycopy(src, sBase + y * w, dst, dBase + (y + top) * width + left, w);
                }
            }
        }
        return new ImageDataset(ds.id(), ds.split(), c, height, width, dst, ds.labels(), ds.classNames(),
                ds.origin() + ", padded to " + height + "x" + width);
    }

    /** Bilinear resize with half-pixel centres (as PIL and torchvision without antialias). */
    public static ImageDataset resize(ImageDataset ds, int height, int width) {
        int h = ds.height();
        int w = ds.width();
        int c = ds.channels();
        byte[] src = ds.rawPixels();
        byte[] dst = new byte[ds.size() * c * height * width];
        float[] plane = new float[h * w];
        float[] out = new float[height * width];
        for (int i = 0; i < ds.size(); i++) {
            for (int k = 0; k < c; k++) {
                int sBase = (i * c + k) * h * w;
                for (int p = 0; p < plane.length; p++) {
                    plane[p] = src[sBase + p] & 0xFF;
                }
                Resampling.bilinear(plane, 0, h, w, 0, 0, h, w, out, 0, height, width);
                int dBase = (i * c + k) * height * width;
                for (int p = 0; p < out.length; p++) {
                    dst[dBase + p] = (byte) Math.round(Math.max(0, Math.min(255, out[p])));
                }
            }
        }
        return new ImageDataset(ds.id(), ds.split(), c, height, width, dst, ds.labels(), ds.classNames(),
                ds.origin() + ", resized to " + height + "x" + width);
    }
}
