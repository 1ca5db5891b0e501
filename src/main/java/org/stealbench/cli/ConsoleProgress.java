package org.stealbench.cli;

import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.stealbench.experiment.ExperimentEvent;
import org.stealbench.experiment.ExperimentListener;
import org.stealbench.model.train.TrainEvent;

/**
 * A job's progress on the terminal, for any job: each phase on a line of its own, and a progress
 * bar over the training steps (labelled with the epoch and the loss). One of the listeners the
 * commands compose with {@link ExperimentListener#all}.
 */
final class ConsoleProgress implements ExperimentListener {

    private final PrintStream err;
    private final String task;
    private ProgressBar bar;

    ConsoleProgress(PrintStream err, String task) {
        this.err = err;
        this.task = task;
    }

    @Override
    public void on(ExperimentEvent e) {
        if (e instanceof ExperimentEvent.Phase p) {
            close();
            err.println(p.description() + " ...");
        } else if (e instanceof ExperimentEvent.Evaluating ev) {
            err.println("  (" + ev.step() + "/" + ev.steps() + ") " + ev.what() + " ...");
        } else if (e instanceof ExperimentEvent.Training t) {
            if (t.event() instanceof TrainEvent.Started s) {
                close();
                bar = new ProgressBarBuilder().setTaskName(task).setInitialMax((long) s.epochs() * s.stepsPerEpoch())
                        .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(err)).build();
                bar.stepTo((long) s.firstEpoch() * s.stepsPerEpoch());
                if (s.firstEpoch() > 0) {
                    bar.setExtraMessage(" resumed after epoch " + s.firstEpoch());
                }
            } else if (t.event() instanceof TrainEvent.Progress p && bar != null) {
                bar.step();
                bar.setExtraMessage(String.format(Locale.ROOT, " epoch %d loss %.3f", p.epoch() + 1, p.loss()));
            } else if (t.event() instanceof TrainEvent.Finished) {
                close();
            }
        } else if (e instanceof ExperimentEvent.Done) {
            close();
        }
    }

    private void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
