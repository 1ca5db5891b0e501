package org.stealbench.experiment;

import org.stealbench.eval.Metrics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.stealbench.data.DatasetRegistry;
import org.stealbench.eval.EncoderEvaluation;
import org.stealbench.eval.Features;
import org.stealbench.model.EncoderIO;
import org.stealbench.model.train.Cancellation;
import org.stealbench.model.train.TrainListener;

/**
 * The paper-shaped table: the victim's own downstream accuracy, then one row per stealing loss
 * (same victim, stealing data and budget), with fidelity and watermark columns, as Markdown, CSV
 * and LaTeX.
 */
public final class LossComparison {

    private LossComparison() {
    }

    /** The three renderings of one table. */
    public record Tables(String markdown, String csv, String latex, List<ExperimentResult> runs) {
    }

    public static Tables run(ExperimentConfig base, List<String> losses, DatasetRegistry registry, Path resultsRoot,
                             Cancellation cancel, Consumer<String> log) throws IOException {
        List<String> header = new ArrayList<>(List.of("encoder"));
        for (String t : base.tasks()) {
            header.add(t + " linear");
            header.add(t + " kNN");
        }
        header.addAll(List.of("cosine (random floor)", "watermark acc", "p-value", "queries", "seconds"));
        List<List<String>> rows = new ArrayList<>();
        log.accept("evaluating the victim ...");
        var victim = EncoderIO.load(ExperimentRunner.victimFile(base, registry)).encoder();
        List<String> vr = new ArrayList<>(List.of("victim"));
        for (EncoderEvaluation.TaskResult t : EncoderEvaluation.evaluate(victim, base.tasks(), registry, new Features(), base.seed())) {
            vr.add(pct(t.linear()));
            vr.add(pct(t.knn()));
        }
        vr.addAll(List.of("1.000", "-", "-", "-", "-"));
        rows.add(vr);
        List<ExperimentResult> runs = new ArrayList<>();
        for (String loss : losses) {
            if (cancel.isCancelled()) {
                break;
            }
            log.accept("stealing with " + loss + " ...");
            ExperimentResult r = ExperimentRunner.run(base.withLoss(loss), registry, TrainListener.NONE, cancel, resultsRoot);
            runs.add(r);
            List<String> row = new ArrayList<>(List.of(loss));
            if (!r.status().equals("COMPLETED")) {
                row.add(r.status().toLowerCase(Locale.ROOT));
                rows.add(row);
                continue;
            }
            for (EncoderEvaluation.TaskResult t : r.tasks()) {
                row.add(pct(t.linear()));
                row.add(pct(t.knn()));
            }
            row.add(String.format(Locale.ROOT, "%.3f (%.3f)", r.cosine(), r.cosineFloor()));
            row.add(pct(r.watermarkAccuracy()));
            row.add(Metrics.formatP(r.watermarkP()));
            row.add(Long.toString(r.queriesUsed()));
            row.add(String.format(Locale.ROOT, "%.0f", r.seconds()));
            rows.add(row);
            log.accept("  " + String.join(" | ", row));
        }
        return new Tables(markdown(header, rows), csv(header, rows), latex(header, rows), runs);
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", 100 * v);
    }

    static String markdown(List<String> header, List<List<String>> rows) {
        StringBuilder sb = new StringBuilder("| ").append(String.join(" | ", header)).append(" |\n|");
        header.forEach(h -> sb.append("---|"));
        sb.append('\n');
        rows.forEach(r -> sb.append("| ").append(String.join(" | ", r)).append(" |\n"));
        return sb.toString();
    }

    static String csv(List<String> header, List<List<String>> rows) {
        StringBuilder sb = new StringBuilder(String.join(",", header.stream().map(LossComparison::csvCell).toList())).append('\n');
        rows.forEach(r -> sb.append(String.join(",", r.stream().map(LossComparison::csvCell).toList())).append('\n'));
        return sb.toString();
    }

    private static String csvCell(String s) {
        return s.contains(",") || s.contains("\"") || s.contains(" ") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    static String latex(List<String> header, List<List<String>> rows) {
        StringBuilder sb = new StringBuilder("\\begin{tabular}{l").append("r".repeat(header.size() - 1)).append("}\n\\hline\n");
        sb.append(String.join(" & ", header.stream().map(LossComparison::tex).toList())).append(" \\\\\n\\hline\n");
        rows.forEach(r -> sb.append(String.join(" & ", r.stream().map(LossComparison::tex).toList())).append(" \\\\\n"));
        return sb.append("\\hline\n\\end{tabular}\n").toString();
    }

    private static String tex(String s) {
        return s.replace("\\", "\\textbackslash{}").replace("&", "\\&").replace("%", "\\%").replace("_", "\\_").replace("<", "$<$");
    }
}
