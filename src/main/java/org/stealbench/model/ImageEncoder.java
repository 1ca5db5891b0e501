package org.stealbench.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.stealbench.data.ImageDataset;
import org.stealbench.model.nn.Network;
import org.stealbench.model.nn.Precision;

/**
 * What a victim is to everything that queries or measures it: images in, representations out.
 * StealBench's own {@link Encoder} is one; a DL4J or Keras model wrapped by {@link Dl4jEncoder}
 * is another. The attacker never sees more than this (docs/protocol.md: it never sees the
 * victim's weights); training, export and the projection head need an {@link Encoder}.
 */
public interface ImageEncoder extends AutoCloseable {

    /** Input channels, height and width (NCHW, one image). */
    int channels();

    int height();

    int width();

    /** The representation's size. */
    int repDim();

    /** What it is, for logs and errors ("small-cnn, 128-d", "DL4J MultiLayerNetwork, 64-d"). */
    String describe();

    /**
     * Eval-mode representations of {@code n} images in [0,1] (NCHW, flattened): a new [n, repDim]
     * array of {@link Precision#type()} that the caller closes.
     */
    INDArray represent(float[] images, int n);

    /** The rotation-watermark MLP on the representation, or null. */
    default Network watermark() {
        return null;
    }

    /** The projection head g(h), or null. */
    default Network head() {
        return null;
    }

    /**
     * Representations of every image of {@code ds}, [N, repDim], in batches of {@code batchSize};
     * the last batch is padded to the batch size, so the model sees one batch size whatever the
     * dataset's size.
     */
    default INDArray represent(ImageDataset ds, int batchSize) {
        if (ds.channels() != channels() || ds.height() != height() || ds.width() != width()) {
            throw new IllegalArgumentException("the encoder takes " + channels() + "x" + height() + "x" + width()
                    + " images; " + ds.id() + " has " + ds.channels() + "x" + ds.height() + "x" + ds.width()
                    + " (adapt it with ImageAdapters.fit)");
        }
        INDArray out = Nd4j.create(Precision.type(), ds.size(), repDim());
        int batch = Math.max(1, Math.min(batchSize, ds.size()));
        for (int from = 0; from < ds.size(); from += batch) {
            int to = Math.min(ds.size(), from + batch);
            float[] images = ds.batch(from, to);
            if (to - from < batch) {
                images = java.util.Arrays.copyOf(images, batch * ds.imageSize());
            }
            try (INDArray h = represent(images, batch)) {
                out.get(NDArrayIndex.interval(from, to), NDArrayIndex.all())
                        .assign(to - from < batch ? h.get(NDArrayIndex.interval(0, to - from), NDArrayIndex.all()) : h);
            }
        }
        return out;
    }

    /** Frees what the model holds off-heap; it cannot be used afterwards. */
    @Override
    void close();
}
