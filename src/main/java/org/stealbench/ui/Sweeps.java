package org.stealbench.ui;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.util.Duration;
import org.stealbench.attack.StealingLoss;
import org.stealbench.data.DatasetRegistry;
import org.stealbench.experiment.ExperimentConfig;
import org.stealbench.experiment.SparkSweep;
import org.stealbench.experiment.Sweep;
import org.stealbench.ui.model.ResultsViewModel;
import org.stealbench.ui.model.RunQueueViewModel;
import org.stealbench.ui.model.RunViewModel;

/**
 * The experiment menu's several-run actions on the panel's experiment: every loss, a budget sweep
 * in the queue, and a budget sweep on Spark (local mode, in the background, the Compare view
 * re-reading the results folder while it runs).
 */
final class Sweeps {

    /** The budget sweep's budgets. */
    static final List<Integer> BUDGETS = List.of(500, 2000, 8000);

    private final RunQueueViewModel queue;
    private final ResultsViewModel results;
    private final DatasetRegistry registry;
    private final Consumer<String> status;
    private final Consumer<String> notify;

    Sweeps(RunQueueViewModel queue, ResultsViewModel results, DatasetRegistry registry, Consumer<String> status, Consumer<String> notify) {
        this.queue = queue;
        this.results = results;
        this.registry = registry;
        this.status = status;
        this.notify = notify;
    }

    /** One run per loss. */
    void allLosses(ExperimentConfig base) {
        for (StealingLoss l : StealingLoss.values()) {
            queue.submit(RunViewModel.theft(base.withLoss(l.id())));
        }
        status.accept("Queued one run per loss; the Compare view fills as they finish.");
    }

    /** The budget sweep's configurations: the same samples per run as the experiment's. */
    static List<ExperimentConfig> budgets(ExperimentConfig base) {
        return Sweep.configs(base, List.of(base.loss()), BUDGETS, List.of(), (long) base.queries() * base.epochs());
    }

    /** The budget sweep in the queue. */
    void budgetSweep(ExperimentConfig base) {
        budgets(base).forEach(c -> queue.submit(RunViewModel.theft(c)));
        status.accept("Queued a budget sweep (same sample passes per run); see Compare > budget curve.");
    }

    /** {@code configs} as a Spark sweep on {@code master}, in the background; returns the thread that runs it. */
    Thread onSpark(List<ExperimentConfig> configs, String master) {
        status.accept("Spark sweep (" + master + "): " + configs.size() + " configurations...");
        Timeline poll = new Timeline(new KeyFrame(Duration.seconds(3), e -> results.refresh()));
        poll.setCycleCount(Timeline.INDEFINITE);
        poll.play();
        Path root = queue.resultsRoot();
        Thread t = new Thread(() -> {
            String end;
            try {
                List<SparkSweep.Outcome> done = SparkSweep.run(configs, master, root, registry, null, SparkSweep.JOB, line -> { });
                long skipped = done.stream().filter(SparkSweep.Outcome::skipped).count();
                end = "Spark sweep done: " + (done.size() - skipped) + " ran, " + skipped + " found done before; see Compare.";
            } catch (RuntimeException ex) {
                end = "Spark sweep failed: " + ex.getMessage();
            }
            String message = end;
            Platform.runLater(() -> {
                poll.stop();
                results.refresh();
                status.accept(message);
                notify.accept(message);
            });
        }, "stealbench-spark-sweep");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
