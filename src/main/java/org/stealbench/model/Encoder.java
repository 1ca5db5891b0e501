package org.stealbench.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stealbench.data.Normalization;
import org.stealbench.model.nn.Network;
import org.stealbench.model.nn.Precision;

/**
 * An image encoder: the trunk (images to the non-negative representation h) and an optional
 * projection head g(h) used for training. Networks keep per-layer buffers, so an encoder is used
 * by one thread at a time.
 */
public final class Encoder implements ImageEncoder {

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
    @Override
    public Network head() {
        return head;
    }

    /** The rotation-watermark MLP on the representation, or null. */
    @Override
    public Network watermark() {
        return watermark;
    }

    @Override
    public int channels() {
        return spec.channels();
    }

    @Override
    public int height() {
        return spec.height();
    }

    @Override
    public int width() {
        return spec.width();
    }

    @Override
    public int repDim() {
        return spec.repDim();
    }

    @Override
    public String describe() {
        return spec.architecture() + ", " + spec.repDim() + "-d";
    }

    /** The trunk's eval-mode output for {@code n} images, copied out of the network's buffers. */
    @Override
    public INDArray represent(float[] images, int n) {
        INDArray x = input(images, n);
        try {
            return trunk.forward(x, false).dup();
        } finally {
            x.close();
        }
    }

    /**
     * An NCHW input batch from [0,1] images: normalised as the spec says, as an array of the
     * current precision.
     */
    public INDArray input(float[] images, int n) {
        float[] x = images;
        Normalization norm = spec.normalization();
        if (norm != null) {
            x = images.clone();
            norm.apply(x, n, spec.height(), spec.width());
        }
        INDArray a = org.stealbench.model.nn.Ops.floats(x, n, spec.channels(), spec.height(), spec.width());
        if (a.dataType() == Precision.type()) {
            return a;
        }
        INDArray cast = a.castTo(Precision.type());
        a.close();
        return cast;
    }

    /** Frees the networks' buffers, parameters and state off-heap at once; the encoder cannot be used afterwards. */
    @Override
    public void close() {
        trunk.close();
        if (head != null) {
            head.close();
        }
        if (watermark != null) {
            watermark.close();
        }
    }
}
