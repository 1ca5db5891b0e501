package org.stealbench.experiment;

import java.nio.file.Path;
import java.util.List;
import org.stealbench.eval.EncoderEvaluation;

/**
 * What a stealing run measured: downstream accuracy of the stolen encoder, fidelity to the victim
 * (mean cosine on held-out images, with the floor of a random encoder beside it), the victim's
 * watermark in the copy, queries used and time; and where the results folder is.
 */
public record ExperimentResult(ExperimentConfig config, String status, List<EncoderEvaluation.TaskResult> tasks,
                               double cosine, double cosineFloor, double watermarkAccuracy, double watermarkP,
                               long queriesUsed, double seconds, Path folder) {
}
