package org.stealbench.attack;

import java.util.Locale;
import org.stealbench.model.train.BatchLoss;
import org.stealbench.model.train.MseLoss;

/**
 * The stealing losses of docs/protocol.md with their reference defaults (batch size, learning rate,
 * optimiser) and a one-line explanation each for the workbench.
 */
public enum StealingLoss {
    MSE("mse", "Mean squared error between stolen and victim outputs, element by element.", 64, 1e-3, "adam"),
    INFONCE("infonce", "Contrastive: each stolen output must be closer to its own victim output than to the batch's others.",
            256, 3e-4, "adam"),
    SOFTNN("softnn", "Soft nearest neighbour: pulls each stolen output towards its victim output among all outputs.", 256, 1e-3,
            "adam"),
    SUPCON("supcon", "Supervised contrastive: outputs of queries of the same class are positives (uses the labels).", 256,
            0.05, "sgd"),
    WASSERSTEIN("wasserstein", "Wasserstein distance between outputs read as histograms over dimensions.", 64, 1e-3, "adam"),
    BARLOW_REFERENCE("barlow", "Barlow Twins as in the reference: never pairs a stolen output with its own victim output.",
            256, 1e-3, "adam"),
    BARLOW_PAIRED("barlow-paired", "Barlow Twins between stolen and victim outputs of the same queries (the natural pairing).",
            256, 1e-3, "adam");

    /** Temperature of the contrastive losses. */
    public static final double TEMPERATURE = 0.07;

    private final String id;
    private final String explanation;
    private final int batchSize;
    private final double learningRate;
    private final String optimizer;

    StealingLoss(String id, String explanation, int batchSize, double learningRate, String optimizer) {
        this.id = id;
        this.explanation = explanation;
        this.batchSize = batchSize;
        this.learningRate = learningRate;
        this.optimizer = optimizer;
    }

    public String id() {
        return id;
    }

    public String explanation() {
        return explanation;
    }

    public int defaultBatchSize() {
        return batchSize;
    }

    public double defaultLearningRate() {
        return learningRate;
    }

    /** adam (weight decay 1e-4) or sgd (momentum 0.9). */
    public String defaultOptimizer() {
        return optimizer;
    }

    public boolean usesLabels() {
        return this == SUPCON;
    }

    /** A fresh loss object (losses keep buffers: one per trainer). */
    public BatchLoss create() {
        return switch (this) {
            case MSE -> new MseLoss();
            case INFONCE -> PairedContrastiveLoss.infoNce(TEMPERATURE);
            case SOFTNN -> SameDiffStealingLosses.softNearestNeighbour();
            case SUPCON -> PairedContrastiveLoss.supervised(TEMPERATURE);
            case WASSERSTEIN -> SameDiffStealingLosses.wasserstein();
            case BARLOW_REFERENCE -> SameDiffStealingLosses.barlowReference();
            case BARLOW_PAIRED -> SameDiffStealingLosses.barlowPaired();
        };
    }

    public static StealingLoss of(String id) {
        for (StealingLoss l : values()) {
            if (l.id.equals(id.toLowerCase(Locale.ROOT))) {
                return l;
            }
        }
        StringBuilder known = new StringBuilder();
        for (StealingLoss l : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(l.id);
        }
        throw new IllegalArgumentException("unknown loss '" + id + "'; known: " + known);
    }
}
