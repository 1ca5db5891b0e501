package org.stealbench.ui.model;

import java.nio.file.Path;
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
import org.stealbench.experiment.Job;
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
                    Job.Outcome o = item.job().run(registry, resultsRoot, item::post, item.cancellation());
                    if (o.completed()) {
                        fx.execute(() -> {
                            completed.set(completed.get() + 1);
                            if (item.job() instanceof Job.VictimTraining) {
                                lastVictim.set(o.folder().resolve(VictimRun.ENCODER_FILE));
                            }
                        });
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
