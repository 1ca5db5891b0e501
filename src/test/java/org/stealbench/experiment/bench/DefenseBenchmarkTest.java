package org.stealbench.experiment.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stealbench.eval.EncoderEvaluation;
import org.stealbench.experiment.DefenseMatrix;
import org.stealbench.experiment.DefenseReport;
import org.stealbench.experiment.ExperimentConfig;
import org.stealbench.experiment.ExperimentResult;

/** The defences suite's targets are read off the runs as they are, met or not. */
class DefenseBenchmarkTest {

    private static ExperimentResult run(String defense, String loss, int keys, String data, double cosine, double floor, double honest,
                                        double undefended, long attackerHashes, long honestHashes, double detection, double fp) {
        ExperimentConfig c = ExperimentConfig.defaults().withLoss(loss).withSybils(keys).withStealingDataset(data)
                .withDefenses(DefenseMatrix.chain(defense));
        DefenseReport d = c.defenses().isEmpty() ? null : new DefenseReport(c.defenses(), "fashion-mnist", honest, undefended, 2000, detection,
                fp, List.of(new DefenseReport.Client("attacker", "attacker", 2000, 2000, 0, 0, attackerHashes, 1, 8, Map.of()),
                        new DefenseReport.Client("honest", "honest", 3000, 3000, 0, 0, honestHashes, 1, 8, Map.of())));
        return new ExperimentResult(c, "COMPLETED", "", List.of(new EncoderEvaluation.TaskResult("fashion-mnist", 0.82, 0.82, 4500, 2000)),
                cosine, floor, 0.9, Double.NaN, Double.NaN, 0.6, 1e-9, 2000, 30, 40, d, null);
    }

    @Test
    void targetsAreMetOnlyWhereTheNumbersSaySo() {
        List<ExperimentResult> main = List.of(
                run("pow", "infonce", 1, "fashion-mnist", 0.93, 0.28, 0.80, 0.80, 2000 * 256, 3000 * 256, 0, 0),
                run("coverage:sigma=0,transform=permutation", "infonce", 1, "fashion-mnist", 0.31, 0.28, 0.797, 0.80, 0, 0, 0, 0),
                run("coverage", "infonce", 1, "fashion-mnist", 0.31, 0.28, 0.78, 0.80, 0, 0, 0, 0), // honest user loses 2 points
                run("prada", "infonce", 1, "fashion-mnist", 0.93, 0.28, 0.80, 0.80, 0, 0, 0.25, 0.0),
                run("similarity", "infonce", 1, "fashion-mnist", 0.5, 0.28, 0.10, 0.80, 0, 0, 0.99, 0.99));
        List<ExperimentResult> mnist = List.of(run("pow:gain=8", "infonce", 1, "mnist", 0.9, 0.28, 0.80, 0.80, 2000 * 4096, 3000 * 256, 0, 0));
        String t = DefenseBenchmark.targets(main, List.of(), mnist);
        assertTrue(t.contains("pow, infonce: 1.0x (not met)"), t);
        assertTrue(t.contains("pow:gain=8, infonce, mnist queries: 16.0x (met)"), t);
        assertTrue(t.contains("met by coverage:sigma=0,transform=permutation, infonce (fidelity minus floor +0.030"), t);
        assertTrue(!t.contains("met by coverage, infonce"), "the honest user's 2 points rule the plain coverage run out: " + t);
        assertTrue(t.contains("prada, infonce: detection 25.0%, false positives 0.0%"), t);
        assertTrue(t.contains("similarity, infonce: detection 99.0%, false positives 99.0%"), t);
        String none = DefenseBenchmark.targets(List.of(main.get(0)), List.of(), List.of());
        assertTrue(none.contains("not met, for every seed, in any configuration"), none);
        // one seed below 10x fails the target however high the others are
        List<ExperimentResult> mixed = List.of(mnist.get(0), run("pow:gain=8", "infonce", 1, "mnist", 0.9, 0.28, 0.80, 0.80, 2000 * 512, 3000 * 256,
                0, 0));
        String m = DefenseBenchmark.targets(List.of(), List.of(), mixed);
        assertTrue(m.contains("pow:gain=8, infonce, mnist queries: 16.0x, 2.0x (not met)"), m);
    }
}
