package org.stealbench.experiment.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.stealbench.eval.EncoderEvaluation;
import org.stealbench.experiment.ExperimentConfig;
import org.stealbench.experiment.ExperimentResult;

class StealingTargetsBenchmarkTest {

    @Test
    void theLongerSettingOverridesOnlyInfoNceLearningRate() {
        StealingTargetsBenchmark.Setting longer = StealingTargetsBenchmark.SETTINGS.get(1);
        ExperimentConfig infonce = longer.config("infonce", 2);
        assertEquals(64, infonce.epochs());
        assertEquals(2, infonce.seed());
        assertEquals(1e-3, infonce.stealConfig().effectiveLearningRate());
        assertEquals(List.of("fashion-mnist"), infonce.tasks());
        ExperimentConfig mse = longer.config("mse", 1);
        assertTrue(!mse.overridesTraining(), "MSE keeps its reference optimiser and rate");
        assertTrue(!StealingTargetsBenchmark.SETTINGS.get(0).config("infonce", 1).overridesTraining());
        assertEquals(32, StealingTargetsBenchmark.SETTINGS.get(0).config("softnn", 1).epochs());
    }

    @Test
    void everyTargetIsCheckedOnEveryRun() {
        StealingTargetsBenchmark.Setting s = StealingTargetsBenchmark.SETTINGS.get(0);
        List<ExperimentResult> runs = new ArrayList<>();
        runs.add(run(s.config("mse", 1), 0.848, 0.98, 0.80, 1e-100));
        runs.add(run(s.config("mse", 2), 0.846, 0.97, 0.75, 1e-90));
        runs.add(run(s.config("infonce", 1), 0.830, 0.93, 0.69, 1e-60));
        runs.add(run(s.config("infonce", 2), 0.833, 0.91, 0.603, 1e-20)); // watermark under 65%
        runs.add(run(s.config("softnn", 1), 0.820, 0.96, 0.70, 1e-50));   // accuracy more than 2 points below 84.8
        runs.add(run(s.config("softnn", 2), 0.849, 0.89, 0.70, 1e-50));   // cosine under 0.9
        String md = StealingTargetsBenchmark.table(s, runs, 0.848 - 0.02);
        assertTrue(md.contains("| infonce | 2 | 83.3 | 0.910 | 60.3 |"), md);
        assertTrue(md.contains("mse: every target, every seed"), md);
        assertTrue(md.contains("infonce: not every target for every seed"), md);
        assertTrue(md.contains("softnn: not every target for every seed"), md);
        assertEquals(3, md.split("\\*\\*no\\*\\*", -1).length - 1, "one failed target in each of three runs: " + md);
        // a watermark above 65% but not significant fails too
        String weak = StealingTargetsBenchmark.table(s, List.of(run(s.config("mse", 1), 0.848, 0.98, 0.70, 1e-3)), 0.828);
        assertTrue(weak.contains("mse: not every target for every seed"), weak);
    }

    private static ExperimentResult run(ExperimentConfig c, double linear, double cosine, double wm, double p) {
        return new ExperimentResult(c, "COMPLETED", "", List.of(new EncoderEvaluation.TaskResult("fashion-mnist", linear, linear, 10000, 2000)),
                cosine, 0.28, 0.9, Double.NaN, Double.NaN, wm, p, 2000, 50, 60, null, null);
    }
}
