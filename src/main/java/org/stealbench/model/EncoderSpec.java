package org.stealbench.model;

import org.stealbench.data.Normalization;

/**
 * What an encoder is: architecture, input shape (NCHW, one example), representation size, the
 * projection head (headOut 0 = none), whether it carries a rotation-watermark head (docs/protocol.md:
 * an MLP rep-256-128-2 on the representation), and the normalisation its inputs get.
 */
public record EncoderSpec(String architecture, int channels, int height, int width, int repDim, int headHidden, int headOut,
                          boolean watermark, Normalization normalization) {

    public EncoderSpec {
        Architecture.of(architecture);
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("encoders take 1 or 3 channels, not " + channels);
        }
        if (height < 8 || width < 8) {
            throw new IllegalArgumentException("input images must be at least 8x8, got " + height + "x" + width);
        }
        if (repDim < 1 || headHidden < 0 || headOut < 0) {
            throw new IllegalArgumentException("sizes must be positive");
        }
        if (normalization != null && normalization.channels() != channels) {
            throw new IllegalArgumentException("normalisation for " + normalization.channels() + " channels, encoder takes " + channels);
        }
    }

    /** An architecture's default encoder for the given input, with a projection head. */
    public static EncoderSpec of(Architecture a, int channels, int height, int width, Normalization norm) {
        int rep = a.defaultRepDim();
        return new EncoderSpec(a.id(), channels, height, width, rep, rep, 128, false, norm);
    }

    public Architecture arch() {
        return Architecture.of(architecture);
    }

    public EncoderSpec withWatermark(boolean on) {
        return new EncoderSpec(architecture, channels, height, width, repDim, headHidden, headOut, on, normalization);
    }

    public EncoderSpec withNormalization(Normalization norm) {
        return new EncoderSpec(architecture, channels, height, width, repDim, headHidden, headOut, watermark, norm);
    }

    public boolean hasHead() {
        return headOut > 0;
    }
}
