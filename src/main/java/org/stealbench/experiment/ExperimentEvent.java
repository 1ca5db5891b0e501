package org.stealbench.experiment;

import org.stealbench.model.train.TrainEvent;

/**
 * What a running job reports, in order: phases, the query count, the baselines the live charts
 * draw against, training events with live metrics after monitored epochs (a theft's) or the
 * victim's epochs (a victim training's), and the end.
 * Sent on the thread that runs the experiment; a UI must hand them to its own thread.
 */
public sealed interface ExperimentEvent {

    /**
     * A new phase began: {@code name} is one of loading, baselines, querying, training, evaluating
     * and writing; {@code description} says it in words ("querying the API").
     */
    record Phase(String name, String description) implements ExperimentEvent {
    }

    /**
     * What training the victim cost, from its file's provenance: wall seconds, images through its
     * encoder (views and rotations counted), its training images and epochs (NaN or 0 where the
     * file does not say).
     */
    record VictimCost(double seconds, long imagesThroughEncoder, long trainImages, int epochs) implements ExperimentEvent {

        static VictimCost of(java.util.Map<String, Object> provenance) {
            return new VictimCost(number(provenance, "wallSeconds", Double.NaN), (long) number(provenance, "imagesThroughEncoder", 0),
                    (long) number(provenance, "trainImages", 0), (int) number(provenance, "epochsCompleted", 0));
        }

        private static double number(java.util.Map<String, Object> p, String key, double otherwise) {
            return p.get(key) instanceof Number n ? n.doubleValue() : otherwise;
        }
    }

    /**
     * What the attacker just sent and got back, for the "what the attacker sees" strip: the first
     * {@code images.length / (C*H*W)} images of an answered request ({@code chw}: their shape, values
     * in [0,1]) and their representations ({@code dim} each, row after row), with the key that sent
     * them and the queries answered so far.
     */
    record Answered(String client, int[] chw, float[] images, int dim, float[] representations, long answeredSoFar)
            implements ExperimentEvent {
        /** How many images (and representations) it carries. */
        public int count() {
            return images.length / (chw[0] * chw[1] * chw[2]);
        }
    }

    /**
     * The embedding view after an epoch (0-based): the victim's and the copy's representations of the
     * same held-out images projected to 2-D on the victim's two principal components (x, y per image,
     * image after image), the images' labels and the dataset's class names.
     */
    record Embedding(int epoch, double[] victim, double[] copy, int[] labels, java.util.List<String> classNames) implements ExperimentEvent {
    }

    /** The API has answered {@code used} of the {@code budget} queries. */
    record Queried(long used, long budget) implements ExperimentEvent {
    }

    /**
     * The reference lines of the live charts, measured on the monitor's images of the victim's
     * dataset (named as users name it, e.g. "shapes"): the victim's kNN
     * accuracy, its watermark accuracy through its own MLP, and an independent encoder's (named).
     */
    record Baselines(String victimDataset, double victimKnn, double victimWatermark, String independent, double independentWatermark,
                     double cosineFloor) implements ExperimentEvent {
    }

    /** A training event of the stolen encoder. */
    record Training(TrainEvent event) implements ExperimentEvent {
    }

    /** Live metrics of the stolen encoder after an epoch (epoch counted from 0). */
    record EpochMetrics(int epoch, int epochs, double loss, double knn, double cosine, double watermark, double watermarkP)
            implements ExperimentEvent {
    }

    /** An evaluation step began: {@code what} (a task's probe and kNN, fidelity, the watermark), step {@code step} of {@code steps} (from 1). */
    record Evaluating(String what, int step, int steps) implements ExperimentEvent {
    }

    /**
     * A client's request passed the defences (answered or refused): what it has {@code sent}, the API's
     * account of it (answered, refused, flagged), and each defence's view of it (W, difficulty, coverage...).
     */
    record DefenseState(String client, long sent, org.stealbench.api.QueryAccount account, java.util.Map<String, java.util.Map<String, Double>> state)
            implements ExperimentEvent {
    }

    /** A victim-training epoch: its mean loss and the watermark MLP's accuracy on its training batches (NaN without one). */
    record VictimEpoch(int epoch, int epochs, double loss, double watermarkAccuracy) implements ExperimentEvent {
    }

    /**
     * The job is over (completed, cancelled, or failed in training); terminal, sent once when the job
     * returns (not if it throws). {@code result} is a theft's result (null for other jobs).
     */
    record Done(ExperimentResult result, Job.Outcome outcome) implements ExperimentEvent {
    }
}
