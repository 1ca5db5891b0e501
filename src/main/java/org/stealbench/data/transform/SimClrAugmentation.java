package org.stealbench.data.transform;

/**
 * The SimCLR augmentation pipeline of docs/protocol.md, as parameters: random resized crop (scale and
 * aspect-ratio ranges), horizontal flip, colour jitter applied with a probability, random
 * grayscale, and Gaussian blur with a kernel about a tenth of the image size and a random sigma.
 * The stages run in that order, as in the reference (torchvision) pipeline.
 */
public record SimClrAugmentation(
        double cropScaleMin, double cropScaleMax, double cropRatioMin, double cropRatioMax,
        double flipProbability,
        double brightness, double contrast, double saturation, double hue, double jitterProbability,
        double grayscaleProbability,
        double blurProbability, double blurKernelFraction, double blurSigmaMin, double blurSigmaMax) {

    public SimClrAugmentation {
        check(cropScaleMin > 0 && cropScaleMin <= cropScaleMax && cropScaleMax <= 1, "crop scale range must lie in (0,1]");
        check(cropRatioMin > 0 && cropRatioMin <= cropRatioMax, "crop aspect-ratio range must be positive and ordered");
        probability(flipProbability, "flip");
        probability(jitterProbability, "jitter");
        probability(grayscaleProbability, "grayscale");
        probability(blurProbability, "blur");
        check(brightness >= 0 && contrast >= 0 && saturation >= 0, "jitter strengths must be non-negative");
        check(hue >= 0 && hue <= 0.5, "hue jitter must lie in [0, 0.5]");
        check(blurKernelFraction >= 0 && blurKernelFraction < 1, "blur kernel fraction must lie in [0,1)");
        check(blurSigmaMin > 0 && blurSigmaMin <= blurSigmaMax, "blur sigma range must be positive and ordered");
    }

    /** The reference pipeline: scale (0.08,1), ratio (3/4,4/3), jitter (0.8,0.8,0.8,0.2) p 0.8, gray p 0.2, blur 10%, sigma (0.1,2). */
    public static SimClrAugmentation reference() {
        return withStrength(1.0);
    }

    /** The reference pipeline with colour jitter scaled by {@code s} (SimCLR's colour strength; 0.5 for small grayscale sets). */
    public static SimClrAugmentation withStrength(double s) {
        return of(s, 0.08, 1.0);
    }

    /**
     * The reference pipeline with colour strength {@code s}, the smallest crop area
     * {@code cropScaleMin} and blur probability {@code blurProbability}.
     */
    public static SimClrAugmentation of(double s, double cropScaleMin, double blurProbability) {
        return new SimClrAugmentation(cropScaleMin, 1.0, 3.0 / 4.0, 4.0 / 3.0, 0.5,
                0.8 * s, 0.8 * s, 0.8 * s, Math.min(0.5, 0.2 * s), 0.8, 0.2, blurProbability, 0.1, 0.1, 2.0);
    }

    /** No augmentation at all (every stage off): views equal the input. */
    public static SimClrAugmentation none() {
        return new SimClrAugmentation(1.0, 1.0, 1.0, 1.0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.1, 0.1);
    }

    private static void probability(double p, String what) {
        check(p >= 0 && p <= 1, what + " probability must lie in [0,1]");
    }

    private static void check(boolean ok, String msg) {
        if (!ok) {
            throw new IllegalArgumentException(msg);
        }
    }
}
