package org.stealbench.ui.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.stealbench.experiment.ExperimentConfig;
import org.stealbench.experiment.ExperimentEvent;
import org.stealbench.experiment.ExperimentResult;
import org.stealbench.experiment.ResultSummary;

/** Seeds of one configuration become one curve (mean, min-max band); configurations stay apart; references come from the runs. */
class RunCurvesTest {

    static ResultSummary.StoredRun run(ExperimentConfig cfg, double[] knn, double victimKnn) {
        List<ExperimentEvent.EpochMetrics> epochs = new ArrayList<>();
        for (int e = 0; e < knn.length; e++) {
            epochs.add(new ExperimentEvent.EpochMetrics(e, knn.length, 5 - e, knn[e], 0.5 + 0.1 * e, 0.6, 0.01));
        }
        ExperimentResult r = new ExperimentResult(cfg, "COMPLETED", "completed", List.of(), 0.9, 0.3, 0.8, Double.NaN, Double.NaN, 0.6, 0.01,
                cfg.queries(), 10, 12, null, null);
        return new ResultSummary.StoredRun(r, epochs, "fashion-mnist",
                new ExperimentEvent.Baselines("fashion-mnist", victimKnn, 0.97, "independent SimCLR", 0.49, 0.3));
    }

    @Test
    void seedsAggregateConfigurationsStayApartReferencesFollowTheRuns() {
        ExperimentConfig mse = ExperimentConfig.demo("mse");
        ExperimentConfig infonce = ExperimentConfig.demo("infonce");
        List<ResultSummary.StoredRun> runs = List.of(run(mse.withSeed(1), new double[] {0.5, 0.6, 0.7}, 0.80),
                run(mse.withSeed(2), new double[] {0.3, 0.6, 0.9}, 0.82), run(infonce, new double[] {0.6, 0.7}, 0.81));
        List<RunCurves.Curve> curves = RunCurves.curves(runs, RunCurves.Metric.KNN, RunCurves.ColourBy.LOSS);
        assertEquals(2, curves.size());
        RunCurves.Curve m = curves.get(0);
        assertEquals(2, m.seeds());
        assertTrue(m.name().endsWith("(2 seeds)"), m.name());
        assertEquals("mse", m.colourGroup());
        assertEquals(new RunCurves.Point(1, 0.4, 0.3, 0.5, 2).epoch(), m.points().get(0).epoch());
        assertEquals(0.4, m.points().get(0).mean(), 1e-12);
        assertEquals(0.3, m.points().get(0).min(), 0);
        assertEquals(0.5, m.points().get(0).max(), 0);
        assertEquals(0.9, m.points().get(2).max(), 0);
        assertEquals(1, curves.get(1).seeds());
        assertEquals(2, curves.get(1).points().size());

        List<RunCurves.Reference> refs = RunCurves.references(runs, RunCurves.Metric.KNN);
        assertEquals(1, refs.size());
        assertEquals(0.81, refs.get(0).value(), 1e-12, "the victim's kNN, mean over the runs");
        List<RunCurves.Reference> wm = RunCurves.references(runs, RunCurves.Metric.WATERMARK);
        assertEquals(List.of(RunCurves.Reference.Kind.VICTIM, RunCurves.Reference.Kind.INDEPENDENT, RunCurves.Reference.Kind.CHANCE),
                wm.stream().map(RunCurves.Reference::kind).toList());
        assertEquals(0.3, RunCurves.references(runs, RunCurves.Metric.FIDELITY).get(1).value(), 1e-12, "the random encoder's floor");

        // coloured by defence: both losses without defences share a colour group
        assertEquals(List.of("none", "none"), RunCurves.curves(runs, RunCurves.Metric.LOSS, RunCurves.ColourBy.DEFENCE).stream()
                .map(RunCurves.Curve::colourGroup).toList());
    }
}
