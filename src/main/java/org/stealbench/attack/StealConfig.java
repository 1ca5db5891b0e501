package org.stealbench.attack;

/**
 * One theft: the stealing data (queries come from {@link QuerySet}), the number of query images,
 * the loss (with its reference batch size, learning rate and optimiser unless overridden: 0 =
 * default), the stolen architecture, epochs over the answers, whether to re-query, and the seed.
 *
 * <p>By default every query image is sent once and the answers kept as a bank. With
 * {@code requery}, every training batch is augmented (SimCLR views) and sent again, so the API
 * answers one query per view: about {@code queries x epochs} in all, each one counted.
 */
public record StealConfig(String stealingDataset, int queries, String loss, String architecture, int epochs, int batchSize,
                          double learningRate, boolean requery, long seed) {

    /** Colour strength of the views sent when re-querying (the victim's default augmentation). */
    public static final double REQUERY_STRENGTH = 1.0;

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

    /** Queries the API answers for this theft: one per image, or one per view when re-querying. */
    public long queriesNeeded() {
        if (!requery) {
            return queries;
        }
        int b = effectiveBatchSize();
        return (long) epochs * Math.max(1, queries / b) * b;
    }
}
