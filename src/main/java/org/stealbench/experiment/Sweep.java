package org.stealbench.experiment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.stealbench.data.DatasetRegistry;
import org.stealbench.model.train.Cancellation;

/**
 * The product loss x query budget x stealing dataset over one base experiment, run one after the
 * other, each with its own results folder. With {@code samplePasses > 0} the epochs of each run
 * are set so that every run trains on about that many samples (budget x epochs), so runs with
 * different budgets cost the same compute.
 */
public final class Sweep {

    private Sweep() {
    }

    /** The configurations of the sweep, in the order they run (dataset, then budget, then loss). */
    public static List<ExperimentConfig> configs(ExperimentConfig base, List<String> losses, List<Integer> budgets, List<String> datasets,
                                                 long samplePasses) {
        List<ExperimentConfig> out = new ArrayList<>();
        for (String d : datasets.isEmpty() ? List.of(base.stealingDataset()) : datasets) {
            for (int b : budgets.isEmpty() ? List.of(base.queries()) : budgets) {
                for (String l : losses.isEmpty() ? List.of(base.loss()) : losses) {
                    ExperimentConfig c = base.withStealingDataset(d).withQueries(b).withLoss(l);
                    if (samplePasses > 0) {
                        c = c.withEpochs((int) Math.max(1, Math.round((double) samplePasses / b)));
                    }
                    out.add(c);
                }
            }
        }
        return out;
    }

    /** Runs {@code configs} in order; stops early when cancelled (the cancelled run is in the list). */
    public static List<ExperimentResult> run(List<ExperimentConfig> configs, DatasetRegistry registry, Path resultsRoot, Cancellation cancel,
                                             Consumer<String> log) throws IOException {
        // every configuration checked before the first runs: a sweep must not fail hours in for data that is not here
        List<String> problems = new ArrayList<>();
        for (ExperimentConfig c : configs) {
            Protocol.problems(c, registry).forEach(p -> problems.add(c.label() + ": " + p));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("cannot run the sweep:\n  " + String.join("\n  ", problems));
        }
        List<ExperimentResult> out = new ArrayList<>();
        int i = 0;
        for (ExperimentConfig c : configs) {
            if (cancel.isCancelled()) {
                break;
            }
            log.accept(String.format(java.util.Locale.ROOT, "[%d/%d] stealing: %s, %d epochs ...", ++i, configs.size(), c.label(), c.epochs()));
            ExperimentResult r = new Job.Theft(c, ExperimentRunner.Options.BATCH).run(registry, resultsRoot, ExperimentListener.NONE, cancel)
                    .theft();
            out.add(r);
            log.accept("  " + (r.completed() ? ResultTables.oneLine(r) : r.status().toLowerCase(java.util.Locale.ROOT)));
        }
        return out;
    }
}
