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

    /**
     * The same sweep on a cluster: Spark's local-cluster mode starts a master and two workers, and the workers launch
     * executors as processes of their own (from a Spark home whose jars are this JVM's class path), which run the job
     * from the serialised task with the sample data found through the home the sweep passes on; each configuration's
     * folder is written by another process.
     */
    @Test
    void onAClusterEveryTaskRunsInAnExecutorProcess(@TempDir Path sparkHome) throws Exception {
        Path jars = Files.createDirectories(sparkHome.resolve("jars"));
        // Spark's launcher checks for a build directory when it is not told the Scala version
        Files.createDirectories(sparkHome.resolve("launcher/target/scala-2.13"));
        List<String> dirs = new java.util.ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry).toAbsolutePath();
            if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
                Path link = jars.resolve(p.getFileName());
                if (!Files.exists(link)) {
                    Files.createSymbolicLink(link, p);
                }
            } else if (Files.isDirectory(p)) {
                dirs.add(p.toString()); // target/classes, target/test-classes
            }
        }
        java.util.Map<String, String> props = new java.util.LinkedHashMap<>();
        props.put("spark.testing", "true"); // the workers take their Spark home from spark.test.home
        props.put("spark.test.home", sparkHome.toString());
        props.put("spark.executor.extraClassPath", String.join(java.io.File.pathSeparator, dirs));
        props.put("spark.executor.memory", "1g");
        props.forEach(System::setProperty);
        try {
            DatasetRegistry registry = DatasetRegistry.standard(DatasetRegistry.Roots.defaults(null));
            ExperimentConfig base = ExperimentConfig.demo("mse").withEpochs(1).withTasks(List.of("digits"));
            List<ExperimentConfig> configs = Sweep.configs(base, List.of("mse"), List.of(64, 96), List.of(), 0);
            long driver = ProcessHandle.current().pid();
            List<SparkSweep.Outcome> run = SparkSweep.run(configs, "local-cluster[2,1,1536]", results, registry, null,
                    (json, root, data) -> ProcessHandle.current().pid() + " " + SparkSweep.JOB.run(json, root, data), System.out::println);
            assertEquals(2, run.size());
            for (SparkSweep.Outcome o : run) {
                // the runner returned "pid folder": the pid is the executor's, not this JVM's
                String[] pidAndFolder = o.folder().toString().split(" ", 2);
                assertTrue(Long.parseLong(pidAndFolder[0]) != driver, "ran in the driver: " + o.folder());
                assertTrue(Files.isRegularFile(Path.of(pidAndFolder[1]).resolve("results.json")), pidAndFolder[1]);
            }
            assertEquals(2, ResultSummary.list(results).size());
        } finally {
            props.keySet().forEach(System::clearProperty);
        }
    }
}
