package org.stealbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stealbench.experiment.ExperimentConfig;

/** What `steal` refuses before anything runs, and how it says so. */
class StealCommandTest {

    @TempDir
    Path tmp;

    @Test
    void aTaskWhoseDataIsNotHereIsRefusedBeforeAnythingRuns() {
        Path results = tmp.resolve("results");
        DatasetsCommandTest.Result r = DatasetsCommandTest.run("steal", "--loss", "mse", "--tasks", "fashion-mnist,cifar10",
                "--results", results.toString(), "--data-dir", tmp.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("cannot run: task cifar10: "), r.err());
        assertTrue(r.err().contains("cifar10"), r.err());
        assertFalse(Files.exists(results.resolve(".checkpoints")), "nothing ran");
    }

    @Test
    void aBudgetTheStealingDataCannotMeetIsRefusedWithThePoolSize() {
        DatasetsCommandTest.Result r = DatasetsCommandTest.run("steal", "--loss", "mse", "--dataset", "mnist", "--queries", "5000",
                "--results", tmp.resolve("results").toString(), "--data-dir", tmp.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("mnist offers 3600 query images"), r.err());
    }

    @Test
    void unknownDefencesAndParametersOutOfRangeAreRefusedWithTheValidRange() {
        DatasetsCommandTest.Result r = DatasetsCommandTest.run("steal", "--defense", "pow:base=40", "--results", tmp.resolve("results").toString(),
                "--data-dir", tmp.toString());
        assertTrue(r.code() != 0, r.err());
        assertTrue(r.err().contains("pow: base must be between 0 and 24, not 40"), r.err());
        DatasetsCommandTest.Result u = DatasetsCommandTest.run("steal", "--defense", "prada,honeypot", "--data-dir", tmp.toString());
        assertTrue(u.err().contains("unknown defence 'honeypot'; known: poisoning, similarity, prada, pow, coverage"), u.err());
        DatasetsCommandTest.Result list = DatasetsCommandTest.run("defenses");
        assertEquals(0, list.code());
        assertTrue(list.out().contains("prada (PRADA)") && list.out().contains("base = 8 (0 to 24)"), list.out());
        assertFalse(Files.exists(tmp.resolve("results")), "nothing ran");
    }

    @Test
    void configFileErrorsNameThePathAndThePlace() throws Exception {
        DatasetsCommandTest.Result missing = DatasetsCommandTest.run("steal", "--config", tmp.resolve("nope.json").toString(),
                "--data-dir", tmp.toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains(tmp.resolve("nope.json").toString()), missing.err());
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, ExperimentConfig.demo("mse").toJson().replace("\"loss\" : \"mse\"", "\"loss\" : mse"));
        DatasetsCommandTest.Result broken = DatasetsCommandTest.run("steal", "--config", bad.toString(), "--data-dir", tmp.toString());
        assertEquals(1, broken.code());
        assertTrue(broken.err().contains("bad.json") && broken.err().contains("line 6, column"), broken.err());
    }
}
