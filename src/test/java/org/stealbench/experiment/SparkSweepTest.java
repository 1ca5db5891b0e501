package org.stealbench.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stealbench.data.DatasetRegistry;

/**
 * A 2 losses x 2 budgets sweep through Spark in local mode: every configuration a task writing its
 * results folder; a task that fails is retried by Spark; a rerun skips what is done.
 */
class SparkSweepTest {

    @TempDir
    Path results;

    /** Attempts of the first configuration's task (static: Spark's local executors share this JVM). */
    static final AtomicInteger ATTEMPTS = new AtomicInteger();

    @Test
    void everyConfigurationIsATaskFailuresAreRetriedAndARerunSkipsWhatIsDone() {
        DatasetRegistry registry = DatasetRegistry.standard(DatasetRegistry.Roots.defaults(null));
        ExperimentConfig base = ExperimentConfig.demo("mse").withEpochs(1).withTasks(List.of("digits"));
        List<ExperimentConfig> configs = Sweep.configs(base, List.of("mse", "infonce"), List.of(64, 96), List.of(), 0);
        String first = configs.get(0).toJson();
        // the first configuration's first attempt dies, as a lost executor would
        SparkSweep.TaskRunner flaky = (json, root, data) -> {
            if (json.equals(first) && ATTEMPTS.incrementAndGet() == 1) {
                throw new IllegalStateException("task killed on its first attempt");
            }
            return SparkSweep.JOB.run(json, root, data);
        };
        List<SparkSweep.Outcome> run = SparkSweep.run(configs, "local[2,3]", results, registry, null, flaky, System.out::println);
        assertEquals(4, run.size());
        assertTrue(run.stream().noneMatch(SparkSweep.Outcome::skipped));
        assertEquals(2, ATTEMPTS.get(), "the failed task ran again");
        for (SparkSweep.Outcome o : run) {
            assertTrue(Files.isRegularFile(o.folder().resolve("results.json")), o.folder().toString());
        }
        assertEquals(4, ResultSummary.list(results).size());

        // a rerun runs nothing: every configuration has its results
        List<SparkSweep.Outcome> again = SparkSweep.run(configs, "local[2,3]", results, registry, null, (json, root, data) -> {
            throw new AssertionError("ran again: " + json);
        }, System.out::println);
        assertTrue(again.stream().allMatch(SparkSweep.Outcome::skipped));
        assertEquals(4, ResultSummary.list(results).size());
    }
}
