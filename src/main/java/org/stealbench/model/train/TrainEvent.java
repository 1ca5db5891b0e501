package org.stealbench.model.train;

/** What a training run reports, in order: Started, then Progress and EpochEnd, then Finished. */
public sealed interface TrainEvent {

    /** The run starts (or resumes at {@code firstEpoch}, counted from 0). */
    record Started(int epochs, int stepsPerEpoch, int firstEpoch, int batchSize) implements TrainEvent {
    }

    /** A step finished. */
    record Progress(int epoch, int step, int stepsPerEpoch, double loss, double imagesPerSecond) implements TrainEvent {
    }

    /** An epoch finished (and was checkpointed, if checkpoints are on). */
    record EpochEnd(int epoch, double meanLoss, double seconds, double imagesPerSecond, double learningRate)
            implements TrainEvent {
    }

    /** The run ended; terminal, sent exactly once. */
    record Finished(TrainStatus status, int epochsCompleted, long examplesProcessed, double seconds, String message)
            implements TrainEvent {
    }
}
