package org.stealbench.model.train;

/**
 * How to train: epochs, batch size, optimiser and its hyper-parameters, learning-rate schedule
 * (linear warm-up, then cosine decay to zero, as the reference), and the seed every random
 * choice of the run derives from.
 */
public record TrainConfig(int epochs, int batchSize, double learningRate, double weightDecay, String optimizer,
                          double momentum, int warmupEpochs, boolean cosine, long seed) {

    public TrainConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1");
        }
        if (batchSize < 2) {
            throw new IllegalArgumentException("batch size must be at least 2");
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning rate must be positive");
        }
        if (weightDecay < 0) {
            throw new IllegalArgumentException("weight decay must be non-negative");
        }
        if (!optimizer.equals("adam") && !optimizer.equals("sgd")) {
            throw new IllegalArgumentException("optimizer must be adam or sgd, not '" + optimizer + "'");
        }
        if (momentum < 0 || momentum >= 1) {
            throw new IllegalArgumentException("momentum must lie in [0, 1)");
        }
        if (warmupEpochs < 0 || warmupEpochs >= epochs && epochs > 1) {
            throw new IllegalArgumentException("warm-up must be shorter than training");
        }
    }

    /** Adam with the given learning rate and weight decay, cosine schedule, no warm-up. */
    public static TrainConfig adam(int epochs, int batchSize, double lr, double weightDecay, long seed) {
        return new TrainConfig(epochs, batchSize, lr, weightDecay, "adam", 0, 0, true, seed);
    }

    /** Learning rate at {@code step} of {@code totalSteps} (steps counted from 0). */
    public double learningRateAt(long step, long totalSteps, long stepsPerEpoch) {
        long warm = (long) warmupEpochs * stepsPerEpoch;
        if (step < warm) {
            return learningRate * (step + 1) / warm;
        }
        if (!cosine || totalSteps <= warm) {
            return learningRate;
        }
        double progress = (double) (step - warm) / (totalSteps - warm);
        return learningRate * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
}
