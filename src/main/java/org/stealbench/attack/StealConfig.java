package org.stealbench.attack;

/**
 * One theft: the stealing data (queries come from {@link QuerySet}), the query budget, the loss
 * (with its reference batch size, learning rate and optimiser unless overridden: 0 = default),
 * the stolen architecture, epochs over the bank of answers, and the seed.
 */
public record StealConfig(String stealingDataset, int queries, String loss, String architecture, int epochs, int batchSize,
                          double learningRate, long seed) {

    public StealConfig {
        StealingLoss.of(loss);
        org.stealbench.model.Architecture.of(architecture);
        if (queries < 2) {
            throw new IllegalArgumentException("at least 2 queries");
        }
        if (epochs < 1 || batchSize < 0 || learningRate < 0) {
            throw new IllegalArgumentException("epochs must be positive; batch size and learning rate non-negative (0 = the loss's default)");
        }
    }

    public StealingLoss lossKind() {
        return StealingLoss.of(loss);
    }

    public int effectiveBatchSize() {
        return Math.min(queries, batchSize > 0 ? batchSize : lossKind().defaultBatchSize());
    }

    public double effectiveLearningRate() {
        return learningRate > 0 ? learningRate : lossKind().defaultLearningRate();
    }
}
