package org.stealbench.attack;

/**
 * One theft: the stealing data (queries come from {@link QuerySet}), the number of query images,
 * the loss (with its reference batch size, learning rate and optimiser unless overridden: 0 or
 * null = the loss's default), the stolen architecture, epochs over the answers, whether to
 * re-query, the seed, and the client keys (sybils) the attacker splits its queries over.
 *
 * <p>By default every query image is sent once and the answers kept as a bank. With
 * {@code requery}, every training batch is augmented (SimCLR views) and sent again, so the API
 * answers one query per view: about {@code queries x epochs} in all, each one counted.
 */
public record StealConfig(String stealingDataset, int queries, String loss, String architecture, int epochs, int batchSize,
                          double learningRate, String optimizer, boolean requery, long seed, int sybils) {

    /** Colour strength of the views sent when re-querying (the victim's default augmentation). */
    public static final double REQUERY_STRENGTH = 1.0;

    public StealConfig {
        StealingLoss.of(loss);
        org.stealbench.model.Architecture.of(architecture);
        if (queries < 2) {
            throw new IllegalArgumentException("at least 2 queries");
        }
        if (sybils < 1) {
            throw new IllegalArgumentException("the attacker needs at least one client key (sybils >= 1)");
        }
        if (epochs < 1 || batchSize < 0 || learningRate < 0) {
            throw new IllegalArgumentException("epochs must be positive; batch size and learning rate non-negative (0 = the loss's default)");
        }
        if (optimizer != null && !optimizer.equals("adam") && !optimizer.equals("sgd")) {
            throw new IllegalArgumentException("optimizer must be adam or sgd (or unset for the loss's default), not '" + optimizer + "'");
        }
    }

    public StealingLoss lossKind() {
        return StealingLoss.of(loss);
    }

    public int effectiveBatchSize() {
        return Math.min(queries, batchSize > 0 ? batchSize : lossKind().defaultBatchSize());
    }

    /**
     * The override, else the loss's default; with another optimiser than the loss's and no
     * learning rate, that optimiser's usual rate in the reference (Adam 1e-3, SGD 0.05).
     */
    public double effectiveLearningRate() {
        if (learningRate > 0) {
            return learningRate;
        }
        if (optimizer != null && !optimizer.equals(lossKind().defaultOptimizer())) {
            return optimizer.equals("adam") ? 1e-3 : 0.05;
        }
        return lossKind().defaultLearningRate();
    }

    /** adam (weight decay 1e-4) or sgd (momentum 0.9, weight decay 1e-4): the override, else the loss's default. */
    public String effectiveOptimizer() {
        return optimizer != null ? optimizer : lossKind().defaultOptimizer();
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
