package org.stealbench.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stealbench.data.ImageDataset;
import org.stealbench.data.Normalization;
import org.stealbench.model.nn.Network;
import org.stealbench.model.nn.Precision;

/**
 * An image encoder: the trunk (images to the non-negative representation h) and an optional
 * projection head g(h) used for training. Networks keep per-layer buffers, so an encoder is used
 * by one thread at a time.
 */
public final class Encoder {

    private final EncoderSpec spec;
    private final Network trunk;
    private final Network head;
    private final Network watermark;

    public Encoder(EncoderSpec spec, long seed) {
        this.spec = spec;
        this.trunk = new Network(spec.arch().trunk(spec.channels(), spec.height(), spec.width(), spec.repDim()),
                new long[] {spec.channels(), spec.height(), spec.width()}, seed);
        this.head = spec.hasHead()
                ? new Network(Architecture.head(spec.repDim(), spec.headHidden(), spec.headOut()), new long[] {spec.repDim()}, seed + 1)
                : null;
        this.watermark = spec.watermark()
                ? new Network(Architecture.watermarkHead(spec.repDim()), new long[] {spec.repDim()}, seed + 2)
                : null;
    }

    public EncoderSpec spec() {
        return spec;
    }

    public Network trunk() {
        return trunk;
    }

    /** The projection head, or null. */
    public Network head() {
        return head;
    }

    /** The rotation-watermark MLP on the representation, or null. */
    public Network watermark() {
        return watermark;
    }

    /**
     * An NCHW input batch from [0,1] images: normalised as the spec says, as an array of the
     * current precision.
     */
    public INDArray input(float[] images, int n) {
        float[] x = images.clone();
        Normalization norm = spec.normalization();
        if (norm != null) {
            norm.apply(x, n, spec.height(), spec.width());
        }
        return Nd4j.create(x, new long[] {n, spec.channels(), spec.height(), spec.width()}, 'c').castTo(Precision.type());
    }

    /** Representations of every image of {@code ds} (eval mode), [N, repDim], in batches. */
    public INDArray represent(ImageDataset ds, int batchSize) {
        checkShape(ds);
        INDArray out = Nd4j.create(Precision.type(), ds.size(), spec.repDim());
        for (int from = 0; from < ds.size(); from += batchSize) {
            int to = Math.min(ds.size(), from + batchSize);
            INDArray h = trunk.forward(input(ds.batch(from, to), to - from), false);
            out.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to), org.nd4j.linalg.indexing.NDArrayIndex.all()).assign(h);
        }
        return out;
    }

    private void checkShape(ImageDataset ds) {
        if (ds.channels() != spec.channels() || ds.height() != spec.height() || ds.width() != spec.width()) {
            throw new IllegalArgumentException("the encoder takes " + spec.channels() + "x" + spec.height() + "x" + spec.width()
                    + " images; " + ds.id() + " has " + ds.channels() + "x" + ds.height() + "x" + ds.width()
                    + " (adapt it with ImageAdapters.fit)");
        }
    }
}
