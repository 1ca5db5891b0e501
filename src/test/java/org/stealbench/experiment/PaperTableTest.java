package org.stealbench.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.stealbench.eval.EncoderEvaluation;

/** The paper's table over seeds: victim and random rows first, seeds of one experiment as mean ± sample sd. */
class PaperTableTest {

    static ExperimentResult run(ExperimentConfig c, double linear, double cosine) {
        return new ExperimentResult(c, "COMPLETED", "", List.of(new EncoderEvaluation.TaskResult("fashion-mnist", linear, linear - 0.01, 100, 100)),
                cosine, 0.3, 0.8, Double.NaN, Double.NaN, 0.6, 0.01, c.queries(), 10, 12, null, null);
    }

    @Test
    void seedsBecomeMeanAndDeviation() {
        ExperimentConfig mse = ExperimentConfig.demo("mse").withTasks(List.of("fashion-mnist"));
        List<ExperimentResult> runs = List.of(run(mse.withSeed(1), 0.80, 0.90), run(mse.withSeed(2), 0.82, 0.94),
                run(ExperimentConfig.demo("infonce").withTasks(List.of("fashion-mnist")), 0.83, 0.95));
        ResultTables.Table t = ResultTables.paperTable(List.of("fashion-mnist"),
                List.of(new EncoderEvaluation.TaskResult("fashion-mnist", 0.836, 0.82, 4500, 2000)),
                List.of(new EncoderEvaluation.TaskResult("fashion-mnist", 0.772, 0.764, 4500, 2000)), runs);
        assertEquals(List.of("encoder", "stealing data", "queries", "defences", "seeds", "fashion-mnist linear", "fashion-mnist kNN", "cosine",
                "CKA", "watermark acc"), t.header());
        assertEquals(4, t.rows().size());
        assertEquals(List.of("victim", "-", "-", "-", "-", "83.6", "82.0", "1.000", "1.000", "-"), t.rows().get(0));
        assertEquals("random encoder", t.rows().get(1).get(0));
        assertEquals("77.2", t.rows().get(1).get(5));
        List<String> mseRow = t.rows().get(2);
        assertEquals(List.of("mse", "fashion-mnist", "2000", "none", "2"), mseRow.subList(0, 5));
        // mean 81.0, sample sd of {80, 82} = 1.414
        assertEquals("81.0 \u00b1 1.4", mseRow.get(5));
        assertEquals("0.920 \u00b1 0.028", mseRow.get(7));
        assertEquals("83.0", t.rows().get(3).get(5), "one seed: its value alone");
    }
}
