package org.stealbench.eval;

import java.util.Map;
import java.util.WeakHashMap;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stealbench.data.ImageDataset;
import org.stealbench.data.transform.ImageAdapters;
import org.stealbench.model.ImageEncoder;

/**
 * Frozen-encoder features of a dataset, cached per (encoder, dataset) while both are alive, so a
 * probe, a kNN and a fidelity measure on the same images extract them once. Images are adapted
 * to the encoder's input shape first. Encoders that stay the same between runs (a victim read from
 * its file) may also keep their features on disk ({@link #keepOnDisk}, {@link FeatureStore}).
 */
public final class Features implements AutoCloseable {

    private static final int BATCH = 250;
    private final Map<ImageEncoder, Map<ImageDataset, INDArray>> cache = new WeakHashMap<>();
    private final FeatureStore store;
    private final Map<ImageEncoder, String> onDisk = new WeakHashMap<>();
    private final Map<ImageEncoder, Map<ImageDataset, LinearProbe.Head>> heads = new WeakHashMap<>();

    /** Features kept in memory only. */
    public Features() {
        this(null);
    }

    /** @param store where {@link #keepOnDisk} encoders' features are kept between runs; null for none */
    public Features(FeatureStore store) {
        this.store = store;
    }

    /**
     * Keeps {@code encoder}'s features in the store under {@code identity}, which must name the
     * encoder's weights exactly (its file's SHA-256, say); nothing happens without a store.
     */
    public synchronized void keepOnDisk(ImageEncoder encoder, String identity) {
        if (store != null) {
            onDisk.put(encoder, identity);
        }
    }

    public synchronized INDArray of(ImageEncoder encoder, ImageDataset ds) {
        return cache.computeIfAbsent(encoder, k -> new WeakHashMap<>()).computeIfAbsent(ds, k -> {
            String identity = onDisk.get(encoder);
            ImageDataset fitted = fit(encoder, ds);
            return identity == null ? encoder.represent(fitted, BATCH) : store.represent(encoder, identity, fitted, BATCH);
        });
    }

    /**
     * The linear probe (L-BFGS, {@link LinearProbe#fit}) on {@code encoder}'s features of {@code ds},
     * kept as the features are: in memory while both live, and on disk for an encoder kept there
     * ({@link FeatureStore#probe}). The cache owns the head: callers do not close it.
     */
    public synchronized LinearProbe.Head probe(ImageEncoder encoder, ImageDataset ds, int classes) {
        Map<ImageDataset, LinearProbe.Head> m = heads.computeIfAbsent(encoder, k -> new WeakHashMap<>());
        LinearProbe.Head head = m.get(ds);
        if (head == null || head.bias().length() != classes) {
            if (head != null) {
                // out of the cache before it is freed: a failed fit below must not leave a closed head there
                m.remove(ds);
                head.close();
            }
            INDArray x = of(encoder, ds);
            String identity = onDisk.get(encoder);
            head = identity == null ? LinearProbe.fit(x, ds.labels(), classes, 0) : store.probe(identity, fit(encoder, ds), BATCH, x, classes);
            m.put(ds, head);
        }
        return head;
    }

    /** Frees {@code encoder}'s cached features and probes (before the encoder itself is closed, say). */
    public synchronized void release(ImageEncoder encoder) {
        Map<ImageDataset, INDArray> m = cache.remove(encoder);
        if (m != null) {
            m.values().forEach(Features::closeArray);
        }
        Map<ImageDataset, LinearProbe.Head> h = heads.remove(encoder);
        if (h != null) {
            h.values().forEach(LinearProbe.Head::close);
        }
        onDisk.remove(encoder);
    }

    /** Frees every cached feature array and probe at once; the cache is empty afterwards. */
    @Override
    public synchronized void close() {
        cache.values().forEach(m -> m.values().forEach(Features::closeArray));
        cache.clear();
        heads.values().forEach(m -> m.values().forEach(LinearProbe.Head::close));
        heads.clear();
        onDisk.clear();
    }

    private static void closeArray(INDArray a) {
        if (!a.wasClosed()) {
            a.close();
        }
    }

    /** {@code ds} in the encoder's input shape (padding, resizing or channel conversion as needed). */
    public static ImageDataset fit(ImageEncoder encoder, ImageDataset ds) {
        return ImageAdapters.fit(ds, encoder.channels(), encoder.height(), encoder.width());
    }

    /** Raw pixels as features ([N, C*H*W] in [0,1]): the floor every encoder should beat. */
    public static INDArray pixels(ImageDataset ds) {
        return Nd4j.create(ds.batch(0, ds.size()), new long[] {ds.size(), ds.imageSize()}, 'c');
    }
}
