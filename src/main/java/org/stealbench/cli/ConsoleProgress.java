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
 * A job's progress on the terminal, for any job: one bar from start to finish, labelled with what
 * runs now (loading, querying, each training epoch with its loss, each evaluation step, writing).
 * Training fills it to {@value #TRAINED_PERMILLE} per mille, evaluation to {@value #EVALUATED_PERMILLE},
 * writing the results the rest: it reads 100% only when the job is done. Lines a listener prints
 * while the bar runs go through {@link #line}, so they land above the bar, not inside it.
 */
final class ConsoleProgress implements ExperimentListener {

    static final int TRAINING_FROM_PERMILLE = 50;
    static final int TRAINED_PERMILLE = 850;
    static final int EVALUATED_PERMILLE = 980;
    private static final int LABEL = 28;

    private final PrintStream err;
    private final String task;
    private ProgressBar bar;
    private Deduplicating consumer;
    private String phase = "";
    private long totalSteps;
    private long firstStep;

    ConsoleProgress(PrintStream err, String task) {
        this.err = err;
        this.task = task;
    }

    @Override
    public void on(ExperimentEvent e) {
        if (e instanceof ExperimentEvent.Phase p) {
            phase = p.description();
            move(switch (p.name()) {
                case "loading" -> 0;
                case "baselines" -> 20;
                case "querying" -> 30;
                case "training" -> TRAINING_FROM_PERMILLE;
                case "evaluating" -> TRAINED_PERMILLE;
                case "writing" -> EVALUATED_PERMILLE;
                default -> -1;
            }, phase);
        } else if (e instanceof ExperimentEvent.Evaluating ev) {
            move(TRAINED_PERMILLE + (long) (EVALUATED_PERMILLE - TRAINED_PERMILLE) * (ev.step() - 1) / ev.steps(),
                    "evaluating (" + ev.step() + "/" + ev.steps() + "): " + ev.what());
        } else if (e instanceof ExperimentEvent.Training t) {
            if (t.event() instanceof TrainEvent.Started s) {
                totalSteps = (long) s.epochs() * s.stepsPerEpoch();
                firstStep = (long) s.firstEpoch() * s.stepsPerEpoch();
                move(training(firstStep), s.firstEpoch() > 0 ? "training, resumed after epoch " + s.firstEpoch() : "training");
            } else if (t.event() instanceof TrainEvent.Progress p) {
                long done = (long) p.epoch() * p.stepsPerEpoch() + p.step() + 1;
                move(training(done), String.format(Locale.ROOT, "epoch %d loss %.3f", p.epoch() + 1, p.loss()));
            } else if (t.event() instanceof TrainEvent.Finished) {
                move(TRAINED_PERMILLE, "trained");
            }
        } else if (e instanceof ExperimentEvent.Done) {
            if (bar != null) {
                bar.stepTo(1000);
                bar.setExtraMessage(" done");
            }
            close();
        }
    }

    /** Prints a whole line above the bar (the bar redraws below it). */
    void line(String text) {
        err.print("\r\033[K");
        err.println(text);
        err.flush();
        if (consumer != null) {
            consumer.forget();
        }
    }

    private long training(long stepsDone) {
        return totalSteps <= 0 ? TRAINING_FROM_PERMILLE
                : TRAINING_FROM_PERMILLE + (TRAINED_PERMILLE - TRAINING_FROM_PERMILLE) * Math.min(stepsDone, totalSteps) / totalSteps;
    }

    /** Moves the bar forward to {@code permille} (never back; -1: stays) with the label {@code what}. */
    private void move(long permille, String what) {
        if (bar == null) {
            consumer = new Deduplicating(err);
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(1000).setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(consumer).hideEta().build();
        }
        if (permille > bar.getCurrent()) {
            bar.stepTo(permille);
        }
        // short, so the bar keeps its width on an 80-column terminal; the whole text is on the line above
        bar.setExtraMessage(" " + (what.length() > LABEL ? what.substring(0, LABEL - 3) + "..." : what));
    }

    private void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    /**
     * The console consumer, less a render identical to the one before it. The bar's refresh thread and its
     * close each render the final state; on a terminal the second overwrites the first, but written to a
     * file (output not a terminal) the "100% ... done" line came twice. A line printed above the bar
     * ({@link #line}) clears it, so the next render is written whatever it holds.
     */
    static final class Deduplicating extends ConsoleProgressBarConsumer {
        private String last;

        Deduplicating(PrintStream out) {
            super(out);
        }

        @Override
        public synchronized void accept(String rendered) {
            if (rendered.equals(last)) {
                return;
            }
            last = rendered;
            super.accept(rendered);
        }

        synchronized void forget() {
            last = null;
        }
    }
}
