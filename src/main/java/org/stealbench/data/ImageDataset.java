package org.stealbench.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One split of an image dataset, immutable.
 *
 * <p>Images are stored as unsigned bytes in NCHW order (every real format here is 8-bit, and a
 * byte per value keeps the full Fashion-MNIST or CIFAR in a fraction of the memory floats would
 * need); they are read as floats in [0,1] through {@link #copyImage} and {@link #batch}.
 * Labels are integers in [0, classNames.size()). The dataset records where it came from and the
 * per-channel normalisation an encoder should apply to it.
 */
public final class ImageDataset {

    private final String id;
    private final Split split;
    private final int channels;
    private final int height;
    private final int width;
    private final byte[] pixels;
    private final int[] labels;
    private final List<String> classNames;
    private final String origin;
    private Normalization normalization;

    /**
     * @param pixels NCHW bytes; taken over without a copy (callers hand in fresh arrays)
     * @param origin where the data came from (a path, a package, a generator and its seed)
     */
    public ImageDataset(String id, Split split, int channels, int height, int width, byte[] pixels,
                        int[] labels, List<String> classNames, String origin) {
        this.id = Objects.requireNonNull(id, "id");
        this.split = Objects.requireNonNull(split, "split");
        if (channels != 1 && channels != 3) {
            throw new DatasetException(id + ": images must have 1 or 3 channels, not " + channels);
        }
        if (height <= 0 || width <= 0) {
            throw new DatasetException(id + ": image size must be positive, got " + height + "x" + width);
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.labels = Objects.requireNonNull(labels, "labels");
        long expected = (long) labels.length * channels * height * width;
        if (pixels.length != expected) {
            throw new DatasetException(id + " " + split.label() + ": " + labels.length + " labels need " + expected
                    + " pixel bytes for " + channels + "x" + height + "x" + width + " images, found " + pixels.length);
        }
        this.pixels = pixels;
        this.classNames = List.copyOf(classNames);
        if (this.classNames.isEmpty()) {
            throw new DatasetException(id + ": a dataset needs at least one class");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= this.classNames.size()) {
                throw new DatasetException(id + " " + split.label() + ": label " + labels[i] + " of image " + i
                        + " is outside 0.." + (this.classNames.size() - 1));
            }
        }
        this.origin = Objects.requireNonNull(origin, "origin");
    }

    public String id() {
        return id;
    }

    public Split split() {
        return split;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** Number of float values per image: channels x height x width. */
    public int imageSize() {
        return channels * height * width;
    }

    public int size() {
        return labels.length;
    }

    public int numClasses() {
        return classNames.size();
    }

    public List<String> classNames() {
        return classNames;
    }

    public String origin() {
        return origin;
    }

    public int label(int i) {
        return labels[i];
    }

    /** A copy of all labels. */
    public int[] labels() {
        return labels.clone();
    }

    /** The backing bytes, NCHW. Not copied, for speed: writers and adapters read it, nobody writes it. */
    public byte[] rawPixels() {
        return pixels;
    }

    /** A copy of image {@code i}'s bytes, CHW. */
    public byte[] imageBytes(int i) {
        int n = imageSize();
        return Arrays.copyOfRange(pixels, i * n, (i + 1) * n);
    }

    /** Writes image {@code i} as floats in [0,1], CHW, into {@code dst} at {@code offset}. */
    public void copyImage(int i, float[] dst, int offset) {
        int n = imageSize();
        int base = i * n;
        for (int k = 0; k < n; k++) {
            dst[offset + k] = (pixels[base + k] & 0xFF) * (1f / 255f);
        }
    }

    /** The images at {@code indices} as one NCHW float batch in [0,1]. */
    public float[] batch(int[] indices) {
        int n = imageSize();
        float[] out = new float[indices.length * n];
        for (int j = 0; j < indices.length; j++) {
            copyImage(indices[j], out, j * n);
        }
        return out;
    }

    /** Images {@code from} (inclusive) to {@code to} (exclusive) as one NCHW float batch. */
    public float[] batch(int from, int to) {
        checkRange(from, to);
        int n = imageSize();
        float[] out = new float[(to - from) * n];
        for (int j = from; j < to; j++) {
            copyImage(j, out, (j - from) * n);
        }
        return out;
    }

    public int[] labels(int[] indices) {
        int[] out = new int[indices.length];
        for (int j = 0; j < indices.length; j++) {
            out[j] = labels[indices[j]];
        }
        return out;
    }

    /** Images {@code from} (inclusive) to {@code to} (exclusive), sharing nothing with this one. */
    public ImageDataset slice(int from, int to) {
        checkRange(from, to);
        int n = imageSize();
        ImageDataset out = new ImageDataset(id, split, channels, height, width,
                Arrays.copyOfRange(pixels, from * n, to * n), Arrays.copyOfRange(labels, from, to), classNames,
                origin + " [" + from + ", " + to + ")");
        out.normalization = normalization;
        return out;
    }

    /** The images at {@code indices}, in that order. */
    public ImageDataset select(int[] indices) {
        int n = imageSize();
        byte[] px = new byte[indices.length * n];
        for (int j = 0; j < indices.length; j++) {
            System.arraycopy(pixels, indices[j] * n, px, j * n, n);
        }
        ImageDataset out = new ImageDataset(id, split, channels, height, width, px, labels(indices), classNames,
                origin + " (" + indices.length + " selected)");
        out.normalization = normalization;
        return out;
    }

    /**
     * The images of {@code a} followed by those of {@code b} (same shape and classes), with a's split
     * and normalisation: e.g. a query pool drawn from both splits of one dataset.
     */
    public static ImageDataset concat(ImageDataset a, ImageDataset b) {
        if (a.channels != b.channels || a.height != b.height || a.width != b.width || !a.classNames.equals(b.classNames)) {
            throw new DatasetException("cannot join " + a + " and " + b + ": shapes or classes differ");
        }
        byte[] px = Arrays.copyOf(a.pixels, a.pixels.length + b.pixels.length);
        System.arraycopy(b.pixels, 0, px, a.pixels.length, b.pixels.length);
        int[] l = Arrays.copyOf(a.labels, a.labels.length + b.labels.length);
        System.arraycopy(b.labels, 0, l, a.labels.length, b.labels.length);
        ImageDataset out = new ImageDataset(a.id, a.split, a.channels, a.height, a.width, px, l, a.classNames,
                a.origin + " + " + b.origin);
        out.normalization = a.normalization;
        return out;
    }

    /** The per-channel normalisation recorded with this data, computed from it on first use. */
    public synchronized Normalization normalization() {
        if (normalization == null) {
            normalization = Normalization.of(this);
        }
        return normalization;
    }

    /** This dataset with {@code norm} recorded instead (e.g. the training split's, for a test split). */
    public ImageDataset withNormalization(Normalization norm) {
        if (norm.channels() != channels) {
            throw new IllegalArgumentException("normalisation for " + norm.channels() + " channels on " + channels + "-channel images");
        }
        ImageDataset out = new ImageDataset(id, split, channels, height, width, pixels, labels, classNames, origin);
        out.normalization = norm;
        return out;
    }

    /** Number of images per class, indexed by label. */
    public int[] classCounts() {
        int[] counts = new int[numClasses()];
        for (int l : labels) {
            counts[l]++;
        }
        return counts;
    }

    private void checkRange(int from, int to) {
        if (from < 0 || to > size() || from > to) {
            throw new IndexOutOfBoundsException("range [" + from + ", " + to + ") outside 0.." + size());
        }
    }

    @Override
    public String toString() {
        return id + "/" + split.label() + " " + size() + "x" + channels + "x" + height + "x" + width + " (" + origin + ")";
    }
}
