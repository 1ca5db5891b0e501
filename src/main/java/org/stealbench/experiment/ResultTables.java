package org.stealbench.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.stealbench.eval.EncoderEvaluation;
import org.stealbench.eval.Metrics;

/**
 * Tables of results in three renderings (Markdown, CSV, LaTeX): the paper-shaped loss table
 * (victim baseline, then one row per loss) and the budget table (one row per loss and budget).
 */
public final class ResultTables {

    private ResultTables() {
    }

    /** The three renderings of one table. */
    public record Tables(String markdown, String csv, String latex) {
    }

    /** A table as header and rows of cells. */
    public record Table(List<String> header, List<List<String>> rows) {
        public Tables render() {
            return new Tables(markdown(header, rows), csv(header, rows), latex(header, rows));
        }
    }

    /** Rows: the victim (if given), then one per run; columns: tasks (linear, kNN), fidelity, watermark, queries, time. */
    public static Table lossTable(List<String> tasks, List<EncoderEvaluation.TaskResult> victim, List<ExperimentResult> runs,
                                  boolean budgetColumn) {
        return lossTable(tasks, victim, runs, budgetColumn, false);
    }

    /**
     * As {@link #lossTable(List, List, List, boolean)}; {@code runColumns} adds what sets runs apart
     * in a free comparison: the stealing dataset and the defences (with the keys, and "over HTTP").
     */
    public static Table lossTable(List<String> tasks, List<EncoderEvaluation.TaskResult> victim, List<ExperimentResult> runs,
                                  boolean budgetColumn, boolean runColumns) {
        List<String> header = new ArrayList<>(List.of("encoder"));
        if (budgetColumn) {
            header.add("queries");
        }
        if (runColumns) {
            header.add("stealing data");
            header.add("defences");
        }
        for (String t : tasks) {
            header.add(t + " linear");
            header.add(t + " kNN");
        }
        header.addAll(List.of("cosine (random floor)", "CKA", "plug-in acc / agreement", "watermark acc", "p-value", "queries used",
                "stealing s"));
        List<List<String>> rows = new ArrayList<>();
        if (victim != null) {
            List<String> vr = new ArrayList<>(List.of("victim"));
            if (budgetColumn) {
                vr.add("-");
            }
            if (runColumns) {
                vr.add("-");
                vr.add("-");
            }
            for (EncoderEvaluation.TaskResult t : victim) {
                vr.add(pct(t.linear()));
                vr.add(pct(t.knn()));
            }
            vr.addAll(List.of("1.000", "1.000", "-", "-", "-", "-", "-"));
            rows.add(vr);
        }
        for (ExperimentResult r : runs) {
            List<String> row = new ArrayList<>(List.of(r.config().loss()));
            if (budgetColumn) {
                row.add(Integer.toString(r.config().queries()));
            }
            if (runColumns) {
                ExperimentConfig c = r.config();
                row.add(c.stealingDataset());
                row.add((c.defenses().isEmpty() ? "none" : String.join(" + ", c.defenses())) + (c.sybils() > 1 ? " (" + c.sybils() + " keys)" : "")
                        + (c.api() != null ? " (over HTTP)" : ""));
            }
            if (!r.completed()) {
                row.add(r.status().toLowerCase(Locale.ROOT));
                while (row.size() < header.size()) {
                    row.add("");
                }
                rows.add(row);
                continue;
            }
            for (String t : tasks) {
                EncoderEvaluation.TaskResult tr = r.task(t);
                row.add(tr == null ? "-" : pct(tr.linear()));
                row.add(tr == null ? "-" : pct(tr.knn()));
            }
            row.add(String.format(Locale.ROOT, "%.3f (%.3f)", r.cosine(), r.cosineFloor()));
            row.add(String.format(Locale.ROOT, "%.3f", r.cka()));
            row.add(Double.isNaN(r.plugInAccuracy()) ? "-" : pct(r.plugInAccuracy()) + " / " + pct(r.plugInAgreement()));
            row.add(pct(r.watermarkAccuracy()));
            row.add(Double.isNaN(r.watermarkP()) ? "-" : Metrics.formatP(r.watermarkP()));
            row.add(Long.toString(r.queriesUsed()));
            row.add(String.format(Locale.ROOT, "%.0f", r.trainSeconds()));
            rows.add(row);
        }
        return new Table(header, rows);
    }

    /**
     * The paper's table over seeds: a victim row and a random-encoder row (either may be null), then
     * one row per experiment, runs that differ only in their seed together, each figure as mean ±
     * standard deviation over the seeds (the sample deviation; a single seed shows its value alone).
     */
    public static Table paperTable(List<String> tasks, List<EncoderEvaluation.TaskResult> victim, List<EncoderEvaluation.TaskResult> random,
                                   List<ExperimentResult> runs) {
        List<String> header = new ArrayList<>(List.of("encoder", "stealing data", "queries", "defences", "seeds"));
        for (String t : tasks) {
            header.add(t + " linear");
            header.add(t + " kNN");
        }
        header.addAll(List.of("cosine", "CKA", "watermark acc"));
        List<List<String>> rows = new ArrayList<>();
        for (Object[] ref : new Object[][] {{"victim", victim}, {"random encoder", random}}) {
            @SuppressWarnings("unchecked")
            List<EncoderEvaluation.TaskResult> r = (List<EncoderEvaluation.TaskResult>) ref[1];
            if (r == null) {
                continue;
            }
            List<String> row = new ArrayList<>(List.of((String) ref[0], "-", "-", "-", "-"));
            for (String t : tasks) {
                EncoderEvaluation.TaskResult tr = r.stream().filter(x -> x.task().equals(t)).findFirst().orElse(null);
                row.add(tr == null ? "-" : pct(tr.linear()));
                row.add(tr == null ? "-" : pct(tr.knn()));
            }
            row.addAll(ref[0].equals("victim") ? List.of("1.000", "1.000", "-") : List.of("-", "-", "-"));
            rows.add(row);
        }
        java.util.Map<ExperimentConfig, List<ExperimentResult>> groups = new java.util.LinkedHashMap<>();
        for (ExperimentResult r : runs) {
            if (r.completed()) {
                groups.computeIfAbsent(r.config().withSeed(0), k -> new ArrayList<>()).add(r);
            }
        }
        groups.forEach((c, rs) -> {
            List<String> row = new ArrayList<>(List.of(c.loss(), c.stealingDataset(), Integer.toString(c.queries()),
                    c.defenses().isEmpty() ? "none" : String.join(" + ", c.defenses()), Integer.toString(rs.size())));
            for (String t : tasks) {
                row.add(meanSd(rs, r -> r.task(t) == null ? Double.NaN : 100 * r.task(t).linear(), "%.1f"));
                row.add(meanSd(rs, r -> r.task(t) == null ? Double.NaN : 100 * r.task(t).knn(), "%.1f"));
            }
            row.add(meanSd(rs, ExperimentResult::cosine, "%.3f"));
            row.add(meanSd(rs, ExperimentResult::cka, "%.3f"));
            row.add(meanSd(rs, r -> 100 * r.watermarkAccuracy(), "%.1f"));
            rows.add(row);
        });
        return new Table(header, rows);
    }

    /** "82.4 ± 0.6" over the runs (NaN values left out; "-" when none). */
    static String meanSd(List<ExperimentResult> runs, java.util.function.ToDoubleFunction<ExperimentResult> f, String format) {
        double[] v = runs.stream().mapToDouble(f).filter(x -> !Double.isNaN(x)).toArray();
        if (v.length == 0) {
            return "-";
        }
        org.hipparchus.stat.descriptive.DescriptiveStatistics st = new org.hipparchus.stat.descriptive.DescriptiveStatistics(v);
        String mean = String.format(Locale.ROOT, format, st.getMean());
        return v.length == 1 ? mean : mean + " \u00b1 " + String.format(Locale.ROOT, format, st.getStandardDeviation());
    }

    /** One line for a log: the first task's accuracies, fidelity and watermark. */
    public static String oneLine(ExperimentResult r) {
        StringBuilder sb = new StringBuilder();
        for (EncoderEvaluation.TaskResult t : r.tasks()) {
            sb.append(String.format(Locale.ROOT, "%s %.1f/%.1f  ", t.task(), 100 * t.linear(), 100 * t.knn()));
        }
        return sb.append(String.format(Locale.ROOT, "cosine %.3f (floor %.3f)  CKA %.3f  watermark %s (p %s)  %d queries  %.0f s",
                r.cosine(), r.cosineFloor(), r.cka(), pct(r.watermarkAccuracy()), Metrics.formatP(r.watermarkP()), r.queriesUsed(),
                r.trainSeconds())).append(r.defense() == null ? "" : String.format(Locale.ROOT,
                "  honest user %.1f (undefended %.1f)  caught %.1f%% / %.1f%%", 100 * r.defense().honestAccuracy(),
                100 * r.defense().honestUndefended(), 100 * r.defense().detectionRate(), 100 * r.defense().falsePositiveRate())).toString();
    }

    static String pct(double v) {
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
        StringBuilder sb = new StringBuilder(String.join(",", header.stream().map(ResultTables::csvCell).toList())).append('\n');
        rows.forEach(r -> sb.append(String.join(",", r.stream().map(ResultTables::csvCell).toList())).append('\n'));
        return sb.toString();
    }

    private static String csvCell(String s) {
        return s.contains(",") || s.contains("\"") || s.contains(" ") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    static String latex(List<String> header, List<List<String>> rows) {
        StringBuilder sb = new StringBuilder("\\begin{tabular}{l").append("r".repeat(header.size() - 1)).append("}\n\\hline\n");
        sb.append(String.join(" & ", header.stream().map(ResultTables::tex).toList())).append(" \\\\\n\\hline\n");
        rows.forEach(r -> sb.append(String.join(" & ", r.stream().map(ResultTables::tex).toList())).append(" \\\\\n"));
        return sb.append("\\hline\n\\end{tabular}\n").toString();
    }

    private static String tex(String s) {
        return s.replace("\\", "\\textbackslash{}").replace("&", "\\&").replace("%", "\\%").replace("_", "\\_").replace("<", "$<$")
                .replace("\u00b1", "$\\pm$");
    }
}
