package org.stealbench.experiment;

import java.io.IOException;
import java.nio.file.Path;
import org.stealbench.data.DatasetRegistry;
import org.stealbench.model.train.Cancellation;
import org.stealbench.model.train.TrainStatus;
import org.stealbench.ssl.SimClrConfig;

/**
 * The one kind of long work StealBench does: a theft or a victim training (and, next, defence
 * runs). The workbench's queue, the command line and the benchmarks start, watch, cancel and
 * resume every job the same way: {@link #run} with a listener of typed {@link ExperimentEvent}s
 * (compose several with {@link ExperimentListener#all}), a {@link Cancellation} checked every
 * batch, and a results root. Every job writes its folder through {@link ResultsFolder}, keeps its
 * checkpoint under {@code .checkpoints/} so that running the same job again resumes it, and logs
 * to its run.log; it ends with a {@link Outcome} and, last of its events, {@link ExperimentEvent.Done}.
 */
public sealed interface Job permits Job.Theft, Job.VictimTraining {

    /** A short human-readable name for lists and logs. */
    String label();

    /** Runs the job to the end, a cancel or a failure (failures during set-up throw with a readable message). */
    Outcome run(DatasetRegistry registry, Path resultsRoot, ExperimentListener listener, Cancellation cancel) throws IOException;

    /** How a job ended: its status, a message for the user, its results folder (completed jobs), and a theft's result. */
    record Outcome(TrainStatus status, String message, Path folder, ExperimentResult theft) {

        public boolean completed() {
            return status == TrainStatus.COMPLETED;
        }

        /** A theft's outcome from its result. */
        public static Outcome of(ExperimentResult r) {
            TrainStatus s = r.completed() ? TrainStatus.COMPLETED : r.status().equals("CANCELLED") ? TrainStatus.CANCELLED : TrainStatus.FAILED;
            return new Outcome(s, r.completed() ? "results in " + r.folder() : r.message(), r.folder(), r);
        }
    }

    /** A theft of {@link ExperimentRunner}: live metrics per epoch when asked. */
    record Theft(ExperimentConfig config, ExperimentRunner.Options options) implements Job {

        @Override
        public String label() {
            return "steal: " + config.label();
        }

        @Override
        public Outcome run(DatasetRegistry registry, Path resultsRoot, ExperimentListener listener, Cancellation cancel) throws IOException {
            return Outcome.of(ExperimentRunner.run(config, registry, listener, cancel, resultsRoot, options));
        }
    }

    /**
     * A victim training of {@link VictimRun} into {@code out} (null: a new folder under the results
     * root's {@code victims/}), recording {@code command} in its provenance.
     */
    record VictimTraining(SimClrConfig config, Path out, String command) implements Job {

        @Override
        public String label() {
            return "train victim: " + config.dataset() + " · " + config.epochs() + (config.epochs() == 1 ? " epoch" : " epochs")
                    + (config.watermark() ? " · watermark" : "");
        }

        /** Where the victim goes. */
        public Path folder(Path resultsRoot) {
            return out != null ? out : resultsRoot.resolve("victims").resolve(config.dataset().replaceAll("[^A-Za-z0-9-]", "_") + "-"
                    + java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }

        @Override
        public Outcome run(DatasetRegistry registry, Path resultsRoot, ExperimentListener listener, Cancellation cancel) throws IOException {
            Path target = folder(resultsRoot);
            listener.on(new ExperimentEvent.Phase("loading", "loading " + config.dataset()));
            VictimRun.Outcome o = VictimRun.run(config, registry, target, command, e -> listener.on(new ExperimentEvent.Training(e)), cancel,
                    (rec, enc) -> listener.on(new ExperimentEvent.VictimEpoch(rec.epoch(), config.epochs(), rec.loss(), rec.watermarkAccuracy())));
            TrainStatus s = o.result().finished().status();
            String msg = switch (s) {
                case COMPLETED -> "wrote " + o.encoderFile();
                case CANCELLED -> "cancelled; its checkpoint is in " + VictimRun.checkpointDir(config, target)
                        + " (training the same victim again resumes from it)";
                default -> o.result().finished().message();
            };
            Outcome out = new Outcome(s, msg, o.encoderFile() == null ? null : o.encoderFile().getParent(), null);
            listener.on(new ExperimentEvent.Done(null, out));
            return out;
        }
    }
}
