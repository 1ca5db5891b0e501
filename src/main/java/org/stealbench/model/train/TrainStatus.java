package org.stealbench.model.train;

/** How a run ended. Terminal: a run that reported one never reports another. */
public enum TrainStatus {
    COMPLETED, CANCELLED, FAILED
}
