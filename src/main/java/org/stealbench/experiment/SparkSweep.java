package org.stealbench.experiment;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.stealbench.data.DatasetRegistry;

/**
 * A sweep on Apache Spark: every experiment configuration is one Spark task that runs the same job
 * runner as the CLI and the workbench on an executor, writing its results folder under a results
 * root every executor reaches (a mounted path). A task whose run fails throws, so Spark retries it
 * (up to {@code spark.task.maxFailures}; in local mode the master {@code local[N,F]} allows F
 * attempts). A configuration that already has a completed results folder under the root is not run
 * again: a rerun of a sweep only runs what is missing.
 *
 * <p>The default master, {@code local[*,2]}, runs Spark inside this process: {@code --engine spark}
 * works on one machine with no cluster.
 */
public final class SparkSweep {

    /** Runs one configuration on an executor and returns its results folder (throws if the run failed). */
    @FunctionalInterface
    public interface TaskRunner extends Serializable {
        String run(String configJson, String resultsRoot, String dataDir) throws Exception;
    }

    /** The job runner, as every engine runs a theft. */
    public static final TaskRunner JOB = SparkSweep::runJob;

    private SparkSweep() {
    }

    /** One configuration's outcome: where its results are, and whether this sweep ran it or found it done. */
    public record Outcome(ExperimentConfig config, Path folder, boolean skipped) {
    }

    /**
     * Runs {@code configs} as Spark tasks on {@code master}; configurations with a completed results
     * folder under {@code resultsRoot} are skipped.
     */
    public static List<Outcome> run(List<ExperimentConfig> configs, String master, Path resultsRoot, DatasetRegistry registry, Path dataDir,
                                    TaskRunner runner, Consumer<String> log) {
        List<String> problems = new ArrayList<>();
        for (ExperimentConfig c : configs) {
            Protocol.problems(c, registry).forEach(p -> problems.add(c.label() + ": " + p));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("cannot run the sweep:\n  " + String.join("\n  ", problems));
        }
        List<Outcome> out = new ArrayList<>();
        List<String> todo = new ArrayList<>();
        List<ExperimentConfig> todoConfigs = new ArrayList<>();
        java.util.Map<ExperimentConfig, Path> completed = completed(resultsRoot);
        for (ExperimentConfig c : configs) {
            Path done = completed.get(c);
            if (done != null) {
                out.add(new Outcome(c, done, true));
                log.accept("done before, skipped: " + c.label() + " (" + done.getFileName() + ")");
            } else {
                todo.add(c.toJson());
                todoConfigs.add(c);
            }
        }
        if (todo.isEmpty()) {
            return out;
        }
        SparkConf conf = new SparkConf().setMaster(master).setAppName("stealbench-sweep").set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false");
        if (master.startsWith("local")) {
            conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        }
        // executors of a cluster are processes of their own: a heap for a theft, and where the sample data is (the same path
        // on every node: a mounted folder); -Dspark.executor.* on the driver overrides both
        conf.setIfMissing("spark.executor.memory", "3g");
        Path home = registry.roots().sampleData().toAbsolutePath().getParent();
        List<String> executorOptions = new java.util.ArrayList<>(org.stealbench.model.NativeBackend.engineJvmOptions());
        if (home != null) {
            executorOptions.add("-D" + DatasetRegistry.HOME_PROPERTY + "=" + home);
        }
        if (!executorOptions.isEmpty()) {
            conf.setIfMissing("spark.executor.extraJavaOptions", String.join(" ", executorOptions));
        }
        log.accept("Spark (" + master + "): " + todo.size() + " configurations as tasks");
        String root = resultsRoot.toAbsolutePath().toString();
        String data = dataDir == null ? null : dataDir.toAbsolutePath().toString();
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("WARN");
            List<String> folders = sc.parallelize(todo, todo.size()).map(json -> runner.run(json, root, data)).collect();
            for (int i = 0; i < folders.size(); i++) {
                out.add(new Outcome(todoConfigs.get(i), Path.of(folders.get(i)), false));
                log.accept("ran: " + todoConfigs.get(i).label() + " -> " + Path.of(folders.get(i)).getFileName());
            }
        }
        return out;
    }

    /** The completed results folders under {@code root} by their configuration (compared whole, seed included), read once. */
    static java.util.Map<ExperimentConfig, Path> completed(Path root) {
        java.util.Map<ExperimentConfig, Path> out = new java.util.HashMap<>();
        for (ResultSummary.StoredRun r : ResultSummary.list(root)) {
            if (r.result().completed()) {
                out.putIfAbsent(r.result().config(), r.result().folder());
            }
        }
        return out;
    }

    /** The task: a theft of the configuration (JSON) through the job runner, on this executor. */
    static String runJob(String configJson, String resultsRoot, String dataDir) throws IOException {
        org.stealbench.model.NativeBackend.configure();
        ExperimentConfig c = ExperimentConfig.fromJson(configJson);
        DatasetRegistry registry = DatasetRegistry.standard(DatasetRegistry.Roots.defaults(dataDir == null ? null : Path.of(dataDir)));
        Path root = Path.of(resultsRoot);
        Path done = completed(root).get(c);
        if (done != null) {
            return done.toString(); // a retried task whose earlier attempt finished
        }
        Job.Outcome o = new Job.Theft(c, ExperimentRunner.Options.BATCH).run(registry, root, ExperimentListener.NONE, new org.stealbench.model.train.Cancellation());
        ExperimentResult r = o.theft();
        if (r == null || !r.completed() || r.folder() == null) {
            throw new IllegalStateException(c.label() + ": " + (r == null ? "no result" : r.status() + " " + r.message()));
        }
        return r.folder().toString();
    }
}
