package org.stealbench.data.transform;

/** Colour operations on one CHW float image in [0,1], in place, with torchvision's semantics. */
final class Colour {

    private Colour() {
    }

    static float clamp(float v) {
        return v < 0 ? 0 : (v > 1 ? 1 : v);
    }

    static void brightness(float[] a, int off, int len, float f) {
        for (int i = off; i < off + len; i++) {
            a[i] = clamp(a[i] * f);
        }
    }

    /** Blends with the mean gray level of the image. */
    static void contrast(float[] a, int off, int c, int plane, float f) {
        double mean = 0;
        if (c == 3) {
            for (int p = 0; p < plane; p++) {
                mean += luma(a[off + p], a[off + plane + p], a[off + 2 * plane + p]);
            }
        } else {
            for (int p = 0; p < plane; p++) {
                mean += a[off + p];
            }
        }
        float m = (float) (mean / plane);
        for (int i = off; i < off + c * plane; i++) {
            a[i] = clamp(m + (a[i] - m) * f);
        }
    }

    /** Blends each pixel with its own gray level. */
    static void saturation(float[] a, int off, int plane, float f) {
        for (int p = 0; p < plane; p++) {
            int r = off + p;
            int g = r + plane;
            int b = g + plane;
            float y = luma(a[r], a[g], a[b]);
            a[r] = clamp(y + (a[r] - y) * f);
            a[g] = clamp(y + (a[g] - y) * f);
            a[b] = clamp(y + (a[b] - y) * f);
        }
    }

    /** Rotates hue by {@code shift} turns (in [-0.5, 0.5]) through HSV. */
    static void hue(float[] a, int off, int plane, float shift) {
        for (int p = 0; p < plane; p++) {
            int ri = off + p;
            int gi = ri + plane;
            int bi = gi + plane;
            float r = a[ri];
            float g = a[gi];
            float b = a[bi];
            float max = Math.max(r, Math.max(g, b));
            float min = Math.min(r, Math.min(g, b));
            float v = max;
            float d = max - min;
            if (d <= 0) {
                continue; // gray: hue undefined, unchanged
            }
            float s = d / max;
            float h;
            if (max == r) {
                h = (g - b) / d;
            } else if (max == g) {
                h = 2 + (b - r) / d;
            } else {
                h = 4 + (r - g) / d;
            }
            h = h / 6f + shift;
            h -= (float) Math.floor(h);
            float h6 = h * 6f;
            int sector = Math.min((int) h6, 5);
            float f = h6 - sector;
            float pp = v * (1 - s);
            float q = v * (1 - s * f);
            float t = v * (1 - s * (1 - f));
            switch (sector) {
                case 0 -> { r = v; g = t; b = pp; }
                case 1 -> { r = q; g = v; b = pp; }
                case 2 -> { r = pp; g = v; b = t; }
                case 3 -> { r = pp; g = q; b = v; }
                case 4 -> { r = t; g = pp; b = v; }
                default -> { r = v; g = pp; b = q; }
            }
            a[ri] = clamp(r);
            a[gi] = clamp(g);
            a[bi] = clamp(b);
        }
    }

    static void grayscale(float[] a, int off, int plane) {
        for (int p = 0; p < plane; p++) {
            float y = luma(a[off + p], a[off + plane + p], a[off + 2 * plane + p]);
            a[off + p] = y;
            a[off + plane + p] = y;
            a[off + 2 * plane + p] = y;
        }
    }

    static float luma(float r, float g, float b) {
        return 0.299f * r + 0.587f * g + 0.114f * b;
    }

    /** Separable Gaussian blur with reflect padding, as torchvision's gaussian_blur. */
    static void gaussianBlur(float[] a, int off, int c, int h, int w, int radius, float sigma, float[] scratch) {
        float[] k = new float[2 * radius + 1];
        float sum = 0;
        for (int i = -radius; i <= radius; i++) {
            k[i + radius] = (float) Math.exp(-(i * i) / (2.0 * sigma * sigma));
            sum += k[i + radius];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        int plane = h * w;
        for (int ch = 0; ch < c; ch++) {
            int base = off + ch * plane;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float s = 0;
                    for (int i = -radius; i <= radius; i++) {
                        s += k[i + radius] * a[base + y * w + reflect(x + i, w)];
                    }
                    scratch[y * w + x] = s;
                }
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float s = 0;
                    for (int i = -radius; i <= radius; i++) {
                        s += k[i + radius] * scratch[reflect(y + i, h) * w + x];
                    }
                    a[base + y * w + x] = clamp(s); // float rounding can leave 1 + ulp
                }
            }
        }
    }

    static int reflect(int i, int n) {
        if (n == 1) {
            return 0;
        }
        while (i < 0 || i >= n) {
            i = i < 0 ? -i : 2 * (n - 1) - i;
        }
        return i;
    }
}
