package org.stealbench.data.transform;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Rotation of image batches, and the watermark's rotation task: an angle drawn uniformly from
 * [0,360) per image, labelled 0 for [0,180) and 1 for [180,360) (docs/protocol.md).
 */
public final class Rotations {

    private Rotations() {
    }

    /** A batch of rotation angles with their watermark labels. */
    public record RotationTask(float[] anglesDegrees, int[] labels) {
    }

    /** {@code n} angles uniform in [minDeg, maxDeg), labelled by half-turn. */
    public static RotationTask sample(int n, double minDeg, double maxDeg, long seed) {
        if (!(minDeg < maxDeg)) {
            throw new IllegalArgumentException("empty angle range [" + minDeg + ", " + maxDeg + ")");
        }
        SplittableRandom r = new SplittableRandom(seed);
        float[] angles = new float[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            double a = minDeg + r.nextDouble() * (maxDeg - minDeg);
            angles[i] = (float) a;
            double norm = ((a % 360) + 360) % 360;
            labels[i] = norm < 180 ? 0 : 1;
        }
        return new RotationTask(angles, labels);
    }

    /** The watermark task: angles in [0,360). */
    public static RotationTask watermarkTask(int n, long seed) {
        return sample(n, 0, 360, seed);
    }

    /**
     * Rotates each image counter-clockwise by its angle about the centre, bilinear, filling
     * uncovered pixels with 0. Multiples of 90 degrees are exact.
     */
    public static float[] rotate(float[] batch, int n, int c, int h, int w, float[] anglesDegrees) {
        int size = c * h * w;
        int plane = h * w;
        float[] out = new float[n * size];
        IntStream.range(0, n).parallel().forEach(i -> {
            double rad = Math.toRadians(anglesDegrees[i]);
            double cos = Math.cos(rad);
            double sin = Math.sin(rad);
            // Snap exact multiples of 90 degrees so those rotations are lossless.
            if (Math.abs(cos) < 1e-9) {
                cos = 0;
            }
            if (Math.abs(sin) < 1e-9) {
                sin = 0;
            }
            double cy = (h - 1) / 2.0;
            double cx = (w - 1) / 2.0;
            for (int k = 0; k < c; k++) {
                int base = i * size + k * plane;
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        // Inverse mapping: where in the source does output (x,y) come from?
                        double dx = x - cx;
                        double dy = y - cy;
                        double sx = cos * dx - sin * dy + cx;
                        double sy = sin * dx + cos * dy + cy;
                        out[base + y * w + x] = sample(batch, base, h, w, sy, sx);
                    }
                }
            }
        });
        return out;
    }

    private static float sample(float[] a, int base, int h, int w, double y, double x) {
        if (y < -0.5 || y > h - 0.5 || x < -0.5 || x > w - 0.5) {
            return 0f;
        }
        int y0 = (int) Math.floor(y);
        int x0 = (int) Math.floor(x);
        double fy = y - y0;
        double fx = x - x0;
        float v00 = pixel(a, base, h, w, y0, x0);
        float v01 = pixel(a, base, h, w, y0, x0 + 1);
        float v10 = pixel(a, base, h, w, y0 + 1, x0);
        float v11 = pixel(a, base, h, w, y0 + 1, x0 + 1);
        double top = v00 + (v01 - v00) * fx;
        double bottom = v10 + (v11 - v10) * fx;
        return (float) (top + (bottom - top) * fy);
    }

    private static float pixel(float[] a, int base, int h, int w, int y, int x) {
        return y < 0 || y >= h || x < 0 || x >= w ? 0f : a[base + y * w + x];
    }
}
