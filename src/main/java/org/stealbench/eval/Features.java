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
 * to the encoder's input shape first.
 */
public final class Features implements AutoCloseable {

    private static final int BATCH = 250;
    private final Map<ImageEncoder, Map<ImageDataset, INDArray>> cache = new WeakHashMap<>();

    public synchronized INDArray of(ImageEncoder encoder, ImageDataset ds) {
        return cache.computeIfAbsent(encoder, k -> new WeakHashMap<>())
                .computeIfAbsent(ds, k -> encoder.represent(fit(encoder, ds), BATCH));
    }

    /** Frees every cached feature array at once; the cache is empty afterwards. */
    @Override
    public synchronized void close() {
        cache.values().forEach(m -> m.values().forEach(a -> {
            if (!a.wasClosed()) {
                a.close();
            }
        }));
        cache.clear();
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
