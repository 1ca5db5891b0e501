package org.stealbench.ui.model;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.stealbench.data.DatasetRegistry;
import org.stealbench.experiment.ExperimentResult;
import org.stealbench.experiment.ExperimentRunner;
import org.stealbench.model.train.TrainStatus;
import org.stealbench.experiment.VictimRun;

/**
 * The workbench's job queue: jobs wait in order and up to {@link #parallelProperty()} run at
 * once, each as a {@code javafx.concurrent.Task} on a background thread. All state changes happen on the FX thread (through {@code fx});
 * engine threads only post events to their {@link RunViewModel}, which {@link #drainAll()} applies.
 */
public final class RunQueueViewModel {

    private final DatasetRegistry registry;
    private final Path resultsRoot;
    private final Executor fx;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "stealbench-run");
        t.setDaemon(true);
        return t;
    });
    private final ObservableList<RunViewModel> items = FXCollections.observableArrayList();
    private final IntegerProperty parallel = new SimpleIntegerProperty(1);
    private final ReadOnlyIntegerWrapper running = new ReadOnlyIntegerWrapper(0);
    private final ReadOnlyIntegerWrapper completed = new ReadOnlyIntegerWrapper(0);
    private final ObjectProperty<Path> lastVictim = new SimpleObjectProperty<>();

    /**
     * @param fx runs a task on the FX thread (Platform::runLater in the app; direct in tests)
     */
    public RunQueueViewModel(DatasetRegistry registry, Path resultsRoot, Executor fx) {
        this.registry = registry;
        this.resultsRoot = resultsRoot;
        this.fx = fx;
        parallel.addListener((o, a, b) -> schedule());
    }

    public ObservableList<RunViewModel> items() {
        return items;
    }

    public IntegerProperty parallelProperty() {
        return parallel;
    }

    public ReadOnlyIntegerProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** Counts jobs that completed (results written): the results browser refreshes on it. */
    public ReadOnlyIntegerProperty completedProperty() {
        return completed.getReadOnlyProperty();
    }

    /** The encoder file of the last victim trained here, once it is written. */
    public ObjectProperty<Path> lastVictimProperty() {
        return lastVictim;
    }

    public Path resultsRoot() {
        return resultsRoot;
    }

    /** Jobs waiting or running. */
    public long inFlight() {
        return items.stream().filter(i -> !i.state().finished()).count();
    }

    /** Adds a job at the end of the queue (FX thread). */
    public void submit(RunViewModel item) {
        items.add(item);
        schedule();
    }

    /** Cancels a waiting job at once, or asks a running one to stop within a batch (FX thread). */
    public void cancel(RunViewModel item) {
        if (item.state() == RunViewModel.State.QUEUED) {
            item.post(new RunViewModel.Ended(RunViewModel.State.CANCELLED, "cancelled before it started", null));
            item.drain();
        } else if (item.state() == RunViewModel.State.RUNNING) {
            item.cancellation().cancel();
            item.phaseProperty().set("cancelling...");
        }
    }

    public void cancelAll() {
        for (RunViewModel i : items.toArray(RunViewModel[]::new)) {
            cancel(i);
        }
    }

    /** Removes finished jobs from the list (FX thread). */
    public void clearFinished() {
        items.removeIf(i -> i.state().finished());
    }

    /** Applies posted engine events of every job (FX thread); returns whether anything changed. */
    public boolean drainAll() {
        boolean changed = false;
        for (RunViewModel i : items) {
            changed |= i.drain();
        }
        return changed;
    }

    private void schedule() {
        for (RunViewModel i : items) {
            if (running.get() >= parallel.get()) {
                return;
            }
            if (i.state() == RunViewModel.State.QUEUED) {
                start(i);
            }
        }
    }

    private void start(RunViewModel item) {
        running.set(running.get() + 1);
        item.started();
        javafx.concurrent.Task<Void> task = new javafx.concurrent.Task<>() {
            @Override
            protected Void call() throws Exception {
                try {
                    if (item.isTheft()) {
                        ExperimentResult r = ExperimentRunner.run(item.experiment(), registry, item::post, item.cancellation(), resultsRoot,
                                ExperimentRunner.Options.LIVE);
                        if (r.completed()) {
                            fx.execute(() -> completed.set(completed.get() + 1));
                        }
                    } else {
                        trainVictim(item);
                    }
                } catch (Throwable t) {
                    item.post(new RunViewModel.Ended(RunViewModel.State.FAILED, String.valueOf(t.getMessage()), t));
                } finally {
                    fx.execute(() -> {
                        item.drain();
                        if (!item.state().finished()) {
                            item.post(new RunViewModel.Ended(RunViewModel.State.FAILED, "the job stopped without a result", null));
                            item.drain();
                        }
                        running.set(running.get() - 1);
                        schedule();
                    });
                }
                return null;
            }
        };
        workers.execute(task);
    }

    private void trainVictim(RunViewModel item) throws java.io.IOException {
        var cfg = item.victimTraining();
        Path out = resultsRoot.resolve("victims").resolve(cfg.dataset().replaceAll("[^A-Za-z0-9-]", "_") + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        item.post(new org.stealbench.experiment.ExperimentEvent.Phase("loading " + cfg.dataset()));
        VictimRun.Outcome o = VictimRun.run(cfg, registry, out, "workbench", item::post, item.cancellation(),
                (rec, enc) -> item.post(new RunViewModel.VictimEpoch(rec.epoch(), rec.watermarkAccuracy())));
        TrainStatus s = o.result().finished().status();
        if (s == TrainStatus.COMPLETED) {
            item.post(new RunViewModel.Ended(RunViewModel.State.COMPLETED, "wrote " + o.encoderFile(), null));
            fx.execute(() -> lastVictim.set(o.encoderFile()));
        } else if (s == TrainStatus.CANCELLED) {
            item.post(new RunViewModel.Ended(RunViewModel.State.CANCELLED, "cancelled; its checkpoint is in " + VictimRun.checkpointDir(cfg, out)
                    + " (training the same victim again resumes from it)", null));
        } else {
            item.post(new RunViewModel.Ended(RunViewModel.State.FAILED, o.result().finished().message(), null));
        }
    }

    /** Cancels everything and waits up to {@code seconds} for running jobs to stop; true if they did. */
    public boolean shutdown(double seconds) {
        cancelAll();
        workers.shutdown();
        try {
            return workers.awaitTermination((long) (seconds * 1000), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
