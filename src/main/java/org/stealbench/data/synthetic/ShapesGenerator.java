package org.stealbench.data.synthetic;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.stealbench.data.ImageDataset;
import org.stealbench.data.Split;

/**
 * The {@code shapes} dataset: 32x32 RGB images of ten kinds of coloured shape on textured
 * backgrounds, generated procedurally from a seed. It needs no download, and unlike the
 * grayscale digit sets it exercises colour augmentations and CIFAR-sized pipelines.
 *
 * <p>Each image draws its own random stream from (seed, index), so a dataset is the same
 * whatever order or thread generates it. The shape's position, size, rotation and colour and
 * the background's texture (stripes, checks, blobs or noise) and colours vary; the class is the
 * shape alone. Edges are anti-aliased by 3x3 supersampling.
 */
public final class ShapesGenerator {

    public static final int SIDE = 32;
    public static final List<String> CLASSES = List.of("circle", "square", "triangle", "diamond", "cross", "ring",
            "star", "hexagon", "crescent", "heart");
    private static final int SUPER = 3;

    private ShapesGenerator() {
    }

    /** {@code n} images, balanced over classes (image i has class i mod 10). */
    public static ImageDataset generate(Split split, int n, long seed) {
        int plane = SIDE * SIDE;
        byte[] pixels = new byte[n * 3 * plane];
        int[] labels = new int[n];
        IntStream.range(0, n).parallel().forEach(i -> {
            labels[i] = i % CLASSES.size();
            render(labels[i], new SplittableRandom(mix(seed, i)), pixels, i * 3 * plane);
        });
        return new ImageDataset("shapes", split, 3, SIDE, SIDE, pixels, labels, CLASSES,
                "generated (seed " + seed + ", " + n + " images)");
    }

    static long mix(long seed, long i) {
        long z = seed * 0x9E3779B97F4A7C15L + i * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static void render(int cls, SplittableRandom r, byte[] out, int offset) {
        float[] bgA = randomColour(r);
        float[] bgB = mixColour(bgA, randomColour(r), 0.35f + 0.3f * (float) r.nextDouble());
        float[] fg = randomColour(r);
        // Keep the shape visible: push its colour away from the background's.
        if (distance(fg, bgA) < 0.6f) {
            for (int k = 0; k < 3; k++) {
                fg[k] = bgA[k] > 0.5f ? Math.max(0f, bgA[k] - 0.6f) : Math.min(1f, bgA[k] + 0.6f);
            }
        }
        int texture = r.nextInt(4);
        double period = 3 + r.nextDouble() * 6;
        double angle = r.nextDouble() * Math.PI;
        double[] blobs = new double[12];
        for (int k = 0; k < blobs.length; k++) {
            blobs[k] = r.nextDouble();
        }
        long noiseSeed = r.nextLong();
        double scale = 0.22 + r.nextDouble() * 0.16;
        double cx = 0.5 + (r.nextDouble() - 0.5) * (1 - 2.2 * scale);
        double cy = 0.5 + (r.nextDouble() - 0.5) * (1 - 2.2 * scale);
        double rot = r.nextDouble() * 2 * Math.PI;
        double cos = Math.cos(rot);
        double sin = Math.sin(rot);
        int plane = SIDE * SIDE;
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                float t = background(texture, x, y, period, angle, blobs, noiseSeed);
                float cover = 0;
                for (int sy = 0; sy < SUPER; sy++) {
                    for (int sx = 0; sx < SUPER; sx++) {
                        double px = (x + (sx + 0.5) / SUPER) / SIDE - cx;
                        double py = (y + (sy + 0.5) / SUPER) / SIDE - cy;
                        double u = (cos * px + sin * py) / scale;
                        double v = (-sin * px + cos * py) / scale;
                        if (inside(cls, u, v)) {
                            cover++;
                        }
                    }
                }
                cover /= SUPER * SUPER;
                for (int k = 0; k < 3; k++) {
                    float bg = bgA[k] * (1 - t) + bgB[k] * t;
                    float val = bg * (1 - cover) + fg[k] * cover;
                    out[offset + k * plane + y * SIDE + x] = (byte) Math.round(Math.max(0, Math.min(1, val)) * 255);
                }
            }
        }
    }

    /** Texture weight in [0,1] between the two background colours. */
    private static float background(int texture, int x, int y, double period, double angle, double[] blobs, long noiseSeed) {
        switch (texture) {
            case 0: { // stripes
                double d = x * Math.cos(angle) + y * Math.sin(angle);
                return (float) (0.5 + 0.5 * Math.sin(2 * Math.PI * d / period));
            }
            case 1: { // checks
                int cell = (int) Math.max(2, period / 1.5);
                return ((x / cell + y / cell) & 1) == 0 ? 0f : 1f;
            }
            case 2: { // soft blobs
                double s = 0;
                for (int k = 0; k < blobs.length; k += 3) {
                    double dx = x / (double) SIDE - blobs[k];
                    double dy = y / (double) SIDE - blobs[k + 1];
                    s += Math.exp(-(dx * dx + dy * dy) / (0.01 + 0.04 * blobs[k + 2]));
                }
                return (float) Math.min(1, s);
            }
            default: { // value noise on a 4-pixel lattice
                return (float) smoothNoise(x / 4.0, y / 4.0, noiseSeed);
            }
        }
    }

    private static double smoothNoise(double x, double y, long seed) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        double fx = x - x0;
        double fy = y - y0;
        double a = lattice(x0, y0, seed);
        double b = lattice(x0 + 1, y0, seed);
        double c = lattice(x0, y0 + 1, seed);
        double d = lattice(x0 + 1, y0 + 1, seed);
        double top = a + (b - a) * fx;
        double bottom = c + (d - c) * fx;
        return top + (bottom - top) * fy;
    }

    private static double lattice(int x, int y, long seed) {
        return (mix(seed, x * 73856093L ^ y * 19349663L) >>> 11) / (double) (1L << 53);
    }

    /** Is (u,v), in shape units (the shape spans about [-1,1]), inside a shape of class {@code cls}? */
    static boolean inside(int cls, double u, double v) {
        switch (cls) {
            case 0: return u * u + v * v <= 1;
            case 1: return Math.abs(u) <= 0.8 && Math.abs(v) <= 0.8;
            case 2: return v <= 0.7 && v >= -1 + 1.7 * Math.abs(u) / 0.98;
            case 3: return Math.abs(u) / 0.75 + Math.abs(v) <= 1;
            case 4: return (Math.abs(u) <= 0.3 && Math.abs(v) <= 1) || (Math.abs(v) <= 0.3 && Math.abs(u) <= 1);
            case 5: {
                double rr = u * u + v * v;
                return rr <= 1 && rr >= 0.45;
            }
            case 6: return insideStar(u, v);
            case 7: {
                double au = Math.abs(u);
                double av = Math.abs(v);
                return av <= 0.866 && au * 0.866 + av * 0.5 <= 0.866;
            }
            case 8: {
                double dx = u - 0.45;
                return u * u + v * v <= 1 && dx * dx + v * v > 0.6;
            }
            default: {
                double x = u * 1.1;
                double y = -v * 1.1 + 0.25;
                double a = x * x + y * y - 1;
                return a * a * a - x * x * y * y * y <= 0;
            }
        }
    }

    private static boolean insideStar(double u, double v) {
        double r = Math.hypot(u, v);
        double theta = Math.atan2(v, u) + Math.PI / 2;
        double sector = 2 * Math.PI / 5;
        double t = ((theta % sector) + sector) % sector / sector; // 0..1 within a point's sector
        double outer = 1.0;
        double inner = 0.42;
        double edge = t < 0.5 ? outer + (inner - outer) * (t / 0.5) : inner + (outer - inner) * ((t - 0.5) / 0.5);
        return r <= edge;
    }

    private static float[] randomColour(SplittableRandom r) {
        return new float[] {(float) r.nextDouble(), (float) r.nextDouble(), (float) r.nextDouble()};
    }

    private static float[] mixColour(float[] a, float[] b, float t) {
        return new float[] {a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t};
    }

    private static float distance(float[] a, float[] b) {
        double s = 0;
        for (int k = 0; k < 3; k++) {
            s += (a[k] - b[k]) * (a[k] - b[k]);
        }
        return (float) Math.sqrt(s);
    }
}
