package org.stealbench.ssl;

/**
 * A victim's SimCLR training run (docs/protocol.md): which data, which encoder, how long, NT-Xent
 * temperature, augmentation (colour strength, smallest crop, blur probability), and the optional rotation watermark (its loss weight and
 * the fraction of steps that train it). Defaults are the demo scale: the first 10,000
 * Fashion-MNIST training images padded to 32x32, small CNN, batch 256, Adam 1e-3, temperature 0.2.
 */
public record SimClrConfig(String dataset, int trainImages, String architecture, int imageSize, int epochs, int batchSize,
                           double learningRate, double weightDecay, double temperature, double augmentationStrength,
                           double cropScaleMin, double blurProbability, boolean watermark, double watermarkWeight, double watermarkFraction, int warmupEpochs, long seed) {

    public SimClrConfig {
        if (dataset == null || dataset.isBlank()) {
            throw new IllegalArgumentException("a dataset is required");
        }
        if (trainImages < 16) {
            throw new IllegalArgumentException("train on at least 16 images");
        }
        if (imageSize < 8 || imageSize % 8 != 0) {
            throw new IllegalArgumentException("image size must be a multiple of 8 (at least 8), not " + imageSize);
        }
        if (epochs < 1 || batchSize < 2) {
            throw new IllegalArgumentException("epochs must be at least 1 and the batch at least 2");
        }
        if (!(temperature > 0) || !(learningRate > 0) || weightDecay < 0 || augmentationStrength < 0) {
            throw new IllegalArgumentException("temperature and learning rate must be positive, weight decay and strength non-negative");
        }
        if (!(cropScaleMin > 0 && cropScaleMin <= 1) || blurProbability < 0 || blurProbability > 1) {
            throw new IllegalArgumentException("the smallest crop must lie in (0,1] and the blur probability in [0,1]");
        }
        if (watermarkWeight < 0 || watermarkFraction < 0 || watermarkFraction > 1) {
            throw new IllegalArgumentException("watermark weight must be non-negative and its fraction in [0,1]");
        }
    }

    /** Epochs of the bundled victim: twice the PyTorch run's 23, which left kNN accuracy on the table. */
    public static final int DEMO_EPOCHS = 46;

    public static SimClrConfig demo() {
        return new SimClrConfig("fashion-mnist", 10_000, "small-cnn", 32, DEMO_EPOCHS, 256, 1e-3, 1e-4, 0.2, 1.0, 0.2, 1.0, true, 1.0, 1.0, 1, 1);
    }

    /** This configuration on other data, with another number of images and epochs, with or without the watermark. */
    public SimClrConfig with(String otherDataset, int images, int otherEpochs, boolean withWatermark) {
        return new SimClrConfig(otherDataset, images, architecture, imageSize, otherEpochs, batchSize, learningRate, weightDecay, temperature,
                augmentationStrength, cropScaleMin, blurProbability, withWatermark, watermarkWeight, watermarkFraction, warmupEpochs, seed);
    }
}
