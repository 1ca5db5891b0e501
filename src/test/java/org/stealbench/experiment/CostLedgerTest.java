package org.stealbench.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cost ledger reads the victim's provenance and sets the theft against it, proof of work included. */
class CostLedgerTest {

    @Test
    void setsTheTheftAgainstTheVictimsTraining() {
        ExperimentEvent.VictimCost v = ExperimentEvent.VictimCost.of(Map.of("wallSeconds", 800.0, "imagesThroughEncoder", 1_000_000,
                "trainImages", 10_000, "epochsCompleted", 40));
        DefenseReport d = new DefenseReport(List.of("pow"), "fashion-mnist", 0.8, 0.8, 0, 0, 0, List.of(
                new DefenseReport.Client("a", "attacker", 2000, 2000, 0, 0, 3_000_000, 1, 10, Map.of()),
                new DefenseReport.Client("h", "honest", 100, 100, 0, 0, 50_000, 0.1, 8, Map.of())));
        ExperimentResult r = new ExperimentResult(ExperimentConfig.demo("mse"), "COMPLETED", "", List.of(), 0.9, 0.3, 0.8, 0.8, 0.9, 0.7, 0.01,
                2000, 20, 30, d, null);
        assertEquals("Cost: training the victim took 13.3 min and 1,000,000 images through its encoder (10,000 images, 40 epochs). "
                + "This theft: 2,000 queries (20% of the victim's training images), 20.0 s training the copy (2.5% of the victim's time), "
                + "30.0 s in all, 3.00e+06 proof-of-work hashes (1,500 a query).", CostLedger.describe(v, r));
        assertEquals("Cost: the victim's file does not record what training it cost. This theft: 2,000 queries, 20.0 s training the copy, "
                + "30.0 s in all, 3.00e+06 proof-of-work hashes (1,500 a query).", CostLedger.describe(ExperimentEvent.VictimCost.of(Map.of()), r));
    }
}
