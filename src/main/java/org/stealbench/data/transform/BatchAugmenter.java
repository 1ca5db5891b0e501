package org.stealbench.data.transform;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Applies a {@link SimClrAugmentation} to a batch of NCHW float images in [0,1].
 *
 * <p>Every image draws from its own random stream, derived from the batch seed and its index, so
 * the output for a seed is the same whatever thread handles which image; images are processed
 * in parallel. Colour operations on 1-channel images reduce to what is defined for gray
 * (brightness, contrast); saturation, hue and grayscale need 3 channels.
 */
public final class BatchAugmenter {

    private final SimClrAugmentation aug;

    public BatchAugmenter(SimClrAugmentation aug) {
        this.aug = aug;
    }

    public SimClrAugmentation augmentation() {
        return aug;
    }

    /** An augmented copy of {@code batch}; the input is not changed. */
    public float[] apply(float[] batch, int n, int c, int h, int w, long seed) {
        int size = c * h * w;
        if (batch.length < (long) n * size) {
            throw new IllegalArgumentException("batch holds fewer than " + n + " images of " + c + "x" + h + "x" + w);
        }
        float[] out = new float[n * size];
        IntStream.range(0, n).parallel().forEach(i -> {
            SplittableRandom r = new SplittableRandom(mix(seed, i));
            float[] scratch = new float[size];
            augmentOne(batch, i * size, out, i * size, scratch, c, h, w, r);
        });
        return out;
    }

    static long mix(long seed, long i) {
        long z = seed + 0x9E3779B97F4A7C15L * (i + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private void augmentOne(float[] src, int srcOff, float[] dst, int dstOff, float[] scratch, int c, int h, int w,
                            SplittableRandom r) {
        int plane = h * w;
        // 1. Random resized crop back to h x w (torchvision's sampling: 10 tries, then the centre crop).
        float[] crop = cropWindow(h, w, r);
        for (int k = 0; k < c; k++) {
            Resampling.bilinear(src, srcOff + k * plane, h, w, crop[0], crop[1], crop[2], crop[3], dst, dstOff + k * plane, h, w);
        }
        // 2. Horizontal flip.
        if (r.nextDouble() < aug.flipProbability()) {
            for (int k = 0; k < c; k++) {
                for (int y = 0; y < h; y++) {
                    int row = dstOff + k * plane + y * w;
                    for (int x = 0; x < w / 2; x++) {
                        float t = dst[row + x];
                        dst[row + x] = dst[row + w - 1 - x];
                        dst[row + w - 1 - x] = t;
                    }
                }
            }
        }
        // 3. Colour jitter, its four parts in random order.
        if (r.nextDouble() < aug.jitterProbability()) {
            int[] order = {0, 1, 2, 3};
            for (int i = 3; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int op : order) {
                switch (op) {
                    case 0 -> {
                        if (aug.brightness() > 0) {
                            Colour.brightness(dst, dstOff, c * plane, factor(aug.brightness(), r));
                        }
                    }
                    case 1 -> {
                        if (aug.contrast() > 0) {
                            Colour.contrast(dst, dstOff, c, plane, factor(aug.contrast(), r));
                        }
                    }
                    case 2 -> {
                        if (aug.saturation() > 0 && c == 3) {
                            Colour.saturation(dst, dstOff, plane, factor(aug.saturation(), r));
                        }
                    }
                    default -> {
                        if (aug.hue() > 0 && c == 3) {
                            Colour.hue(dst, dstOff, plane, (float) ((r.nextDouble() * 2 - 1) * aug.hue()));
                        }
                    }
                }
            }
        }
        // 4. Random grayscale.
        if (r.nextDouble() < aug.grayscaleProbability() && c == 3) {
            Colour.grayscale(dst, dstOff, plane);
        }
        // 5. Gaussian blur.
        if (r.nextDouble() < aug.blurProbability()) {
            int kernel = (int) (aug.blurKernelFraction() * Math.min(h, w));
            int radius = kernel / 2;
            if (radius > 0) {
                double sigma = aug.blurSigmaMin() + r.nextDouble() * (aug.blurSigmaMax() - aug.blurSigmaMin());
                Colour.gaussianBlur(dst, dstOff, c, h, w, radius, (float) sigma, scratch);
            }
        }
    }

    private static float factor(double strength, SplittableRandom r) {
        double lo = Math.max(0, 1 - strength);
        double hi = 1 + strength;
        return (float) (lo + r.nextDouble() * (hi - lo));
    }

    /** {top, left, height, width} of a random crop window. */
    private float[] cropWindow(int h, int w, SplittableRandom r) {
        double area = (double) h * w;
        double logLo = Math.log(aug.cropRatioMin());
        double logHi = Math.log(aug.cropRatioMax());
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * (aug.cropScaleMin() + r.nextDouble() * (aug.cropScaleMax() - aug.cropScaleMin()));
            double ratio = Math.exp(logLo + r.nextDouble() * (logHi - logLo));
            int cw = (int) Math.round(Math.sqrt(target * ratio));
            int ch = (int) Math.round(Math.sqrt(target / ratio));
            if (cw > 0 && ch > 0 && cw <= w && ch <= h) {
                int top = r.nextInt(h - ch + 1);
                int left = r.nextInt(w - cw + 1);
                return new float[] {top, left, ch, cw};
            }
        }
        // Fallback: the largest centred crop whose ratio lies in range.
        double inRatio = (double) w / h;
        int cw = w;
        int ch = h;
        if (inRatio < aug.cropRatioMin()) {
            ch = (int) Math.round(w / aug.cropRatioMin());
        } else if (inRatio > aug.cropRatioMax()) {
            cw = (int) Math.round(h * aug.cropRatioMax());
        }
        return new float[] {(h - ch) / 2f, (w - cw) / 2f, ch, cw};
    }
}
