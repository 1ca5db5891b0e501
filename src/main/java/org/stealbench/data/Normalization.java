package org.stealbench.data;

import java.util.Arrays;

/**
 * Per-channel mean and standard deviation of a dataset in [0,1] units, recorded with the data so
 * that an encoder trained on it can be fed identically later (it is saved with the encoder).
 */
public record Normalization(float[] mean, float[] std) {

    public Normalization {
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("mean and std need one value per channel");
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("std must be positive: " + Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** Identity normalisation (mean 0, std 1) for {@code channels} channels. */
    public static Normalization identity(int channels) {
        float[] m = new float[channels];
        float[] s = new float[channels];
        Arrays.fill(s, 1f);
        return new Normalization(m, s);
    }

    /** Mean and standard deviation of every channel over all images of {@code ds}. */
    public static Normalization of(ImageDataset ds) {
        int c = ds.channels();
        int plane = ds.height() * ds.width();
        double[] sum = new double[c];
        double[] sumSq = new double[c];
        byte[] px = ds.rawPixels();
        for (int i = 0; i < ds.size(); i++) {
            for (int ch = 0; ch < c; ch++) {
                int base = (i * c + ch) * plane;
                long s = 0;
                long sq = 0;
                for (int p = 0; p < plane; p++) {
                    int v = px[base + p] & 0xFF;
                    s += v;
                    sq += (long) v * v;
                }
                sum[ch] += s;
                sumSq[ch] += sq;
            }
        }
        double n = (double) ds.size() * plane;
        float[] mean = new float[c];
        float[] std = new float[c];
        for (int ch = 0; ch < c; ch++) {
            double m = sum[ch] / n;
            double var = Math.max(sumSq[ch] / n - m * m, 0);
            mean[ch] = (float) (m / 255.0);
            std[ch] = (float) Math.max(Math.sqrt(var) / 255.0, 1e-3);
        }
        return new Normalization(mean, std);
    }

    public int channels() {
        return mean.length;
    }

    /** Normalises an NCHW batch in place. */
    public void apply(float[] batch, int n, int height, int width) {
        int plane = height * width;
        int c = channels();
        if (batch.length < (long) n * c * plane) {
            throw new IllegalArgumentException("batch holds fewer than " + n + " images of " + c + "x" + height + "x" + width);
        }
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                int base = (i * c + ch) * plane;
                float m = mean[ch];
                float inv = 1f / std[ch];
                for (int p = 0; p < plane; p++) {
                    batch[base + p] = (batch[base + p] - m) * inv;
                }
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization other && Arrays.equals(mean, other.mean) && Arrays.equals(std, other.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Normalization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
