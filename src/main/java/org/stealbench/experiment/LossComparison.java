package org.stealbench.experiment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.stealbench.data.DatasetRegistry;
import org.stealbench.eval.EncoderEvaluation;
import org.stealbench.eval.Features;
import org.stealbench.model.EncoderIO;
import org.stealbench.model.train.Cancellation;

/**
 * The paper-shaped table: the victim's own downstream accuracy, then one row per stealing loss
 * (same victim, stealing data and budget), with fidelity and watermark columns, as Markdown, CSV
 * and LaTeX.
 */
public final class LossComparison {

    private LossComparison() {
    }

    /** The table and the runs behind it. */
    public record Result(ResultTables.Tables tables, List<ExperimentResult> runs) {
    }

    /** The victim's downstream accuracy on {@code base}'s tasks (the table's first row). */
    public static List<EncoderEvaluation.TaskResult> victimRow(ExperimentConfig base, DatasetRegistry registry) {
        java.nio.file.Path file = ExperimentRunner.victimFile(base, registry);
        try (var victim = EncoderIO.open(file).encoder(); Features cache = ExperimentRunner.victimFeatures(victim, file)) {
            return EncoderEvaluation.evaluate(victim, Protocol.of(base, registry).tasks(base.tasks()), cache, base.seed());
        }
    }

    /**
     * A randomly initialised encoder's downstream accuracy on {@code base}'s tasks (the table's floor
     * row): the stolen architecture, the victim's input and output shapes, seeded by {@code base}.
     */
    public static List<EncoderEvaluation.TaskResult> randomRow(ExperimentConfig base, DatasetRegistry registry) {
        org.stealbench.model.EncoderSpec spec;
        try (var v = EncoderIO.open(ExperimentRunner.victimFile(base, registry)).encoder()) {
            // an imported DL4J victim's normalisation is its own business: the random encoder takes [0,1] pixels
            spec = new org.stealbench.model.EncoderSpec(base.stolenArchitecture(), v.channels(), v.height(), v.width(), v.repDim(), 0, 0,
                    false, v instanceof org.stealbench.model.Encoder e ? e.spec().normalization() : null);
        }
        try (var random = new org.stealbench.model.Encoder(spec, base.seed() + 777); Features cache = new Features()) {
            return EncoderEvaluation.evaluate(random, Protocol.of(base, registry).tasks(base.tasks()), cache, base.seed());
        }
    }

    public static Result run(ExperimentConfig base, List<String> losses, DatasetRegistry registry, Path resultsRoot,
                             Cancellation cancel, Consumer<String> log) throws IOException {
        log.accept("evaluating the victim ...");
        List<EncoderEvaluation.TaskResult> victim = victimRow(base, registry);
        List<ExperimentResult> runs = Sweep.run(Sweep.configs(base, losses, List.of(), List.of(), 0), registry, resultsRoot, cancel, log);
        return new Result(ResultTables.lossTable(base.tasks(), victim, runs, false).render(), runs);
    }
}
