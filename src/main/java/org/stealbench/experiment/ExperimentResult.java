package org.stealbench.experiment;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.nio.file.Path;
import java.util.List;
import org.stealbench.eval.EncoderEvaluation;

/**
 * What a stealing run measured: downstream accuracy of the stolen encoder; fidelity to the victim
 * on held-out images (mean cosine with the floor of a random encoder beside it, linear CKA, and
 * plug-in accuracy/agreement: the victim's own linear head applied to the copy's representations);
 * the victim's watermark in the copy; queries used, training and total time; with defences, what
 * they did to the attacker and to an honest user ({@link DefenseReport}); where the results folder is. Accuracies in [0,1]; NaN where not measured.
 */
public record ExperimentResult(ExperimentConfig config, String status, String message, List<EncoderEvaluation.TaskResult> tasks,
                               double cosine, double cosineFloor, double cka, double plugInAccuracy, double plugInAgreement,
                               double watermarkAccuracy, double watermarkP, long queriesUsed, double trainSeconds, double seconds,
                               @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                               DefenseReport defense,
                               @JsonIgnore Path folder) {

    public ExperimentResult {
        tasks = List.copyOf(tasks);
    }

    /** A run that did not complete (status CANCELLED or FAILED, or an error message as status). */
    public static ExperimentResult failed(ExperimentConfig cfg, String status, long queriesUsed, double seconds) {
        return new ExperimentResult(cfg, status, status.toLowerCase(java.util.Locale.ROOT), List.of(), Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN, queriesUsed, Double.NaN, seconds, null, null);
    }

    public boolean completed() {
        return status.equals("COMPLETED");
    }

    public ExperimentResult withMessage(String m) {
        return new ExperimentResult(config, status, m, tasks, cosine, cosineFloor, cka, plugInAccuracy, plugInAgreement, watermarkAccuracy,
                watermarkP, queriesUsed, trainSeconds, seconds, defense, folder);
    }

    public ExperimentResult withFolder(Path f) {
        return new ExperimentResult(config, status, message, tasks, cosine, cosineFloor, cka, plugInAccuracy, plugInAgreement,
                watermarkAccuracy, watermarkP, queriesUsed, trainSeconds, seconds, defense, f);
    }

    /** The result for downstream task {@code name}, or null. */
    public EncoderEvaluation.TaskResult task(String name) {
        return tasks.stream().filter(t -> t.task().equals(name)).findFirst().orElse(null);
    }
}
