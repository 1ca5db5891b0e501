package org.stealbench.experiment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.stealbench.eval.EncoderEvaluation;

/**
 * The text files of a results folder: summary.csv (one metric per line) and metrics.csv (one
 * epoch per line: loss, and the live metrics when they were measured), written by
 * {@link ExperimentRunner} and read back by the results browser.
 */
public final class ResultSummary {

    private ResultSummary() {
    }

    /** A past run read from its folder: the result and its per-epoch curve. */
    public record StoredRun(ExperimentResult result, List<ExperimentEvent.EpochMetrics> epochs) {
    }

    static String toCsv(ExperimentResult r) {
        StringBuilder sum = new StringBuilder("metric,value\n");
        for (EncoderEvaluation.TaskResult t : r.tasks()) {
            sum.append(t.task()).append("_linear,").append(fmt(t.linear())).append('\n');
            sum.append(t.task()).append("_knn,").append(fmt(t.knn())).append('\n');
        }
        sum.append("fidelity_cosine,").append(fmt(r.cosine())).append('\n');
        sum.append("fidelity_cosine_random_floor,").append(fmt(r.cosineFloor())).append('\n');
        sum.append("fidelity_linear_cka,").append(fmt(r.cka())).append('\n');
        sum.append("plugin_accuracy,").append(fmt(r.plugInAccuracy())).append('\n');
        sum.append("plugin_agreement,").append(fmt(r.plugInAgreement())).append('\n');
        sum.append("watermark_accuracy,").append(fmt(r.watermarkAccuracy())).append('\n');
        sum.append("watermark_p_value,").append(String.format(Locale.ROOT, "%.3g", r.watermarkP())).append('\n');
        sum.append("queries_used,").append(r.queriesUsed()).append('\n');
        sum.append("stealing_seconds,").append(fmt(r.trainSeconds())).append('\n');
        sum.append("seconds,").append(fmt(r.seconds())).append('\n');
        return sum.toString();
    }

    static String metricsCsv(List<Double> losses, List<ExperimentEvent.EpochMetrics> live) {
        Map<Integer, ExperimentEvent.EpochMetrics> byEpoch = new HashMap<>();
        live.forEach(m -> byEpoch.put(m.epoch(), m));
        StringBuilder sb = new StringBuilder("epoch,loss,knn,cosine,watermark\n");
        for (int i = 0; i < losses.size(); i++) {
            ExperimentEvent.EpochMetrics m = byEpoch.get(i);
            sb.append(i + 1).append(',').append(String.format(Locale.ROOT, "%.6f", losses.get(i)));
            sb.append(',').append(m == null ? "" : fmt(m.knn())).append(',').append(m == null ? "" : fmt(m.cosine()));
            sb.append(',').append(m == null || Double.isNaN(m.watermark()) ? "" : fmt(m.watermark())).append('\n');
        }
        return sb.toString();
    }

    /** Reads a results folder; throws with a readable message if it is not one. */
    public static StoredRun read(Path folder) throws IOException {
        ExperimentConfig cfg = ExperimentConfig.read(folder.resolve("config.json"));
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : Files.readAllLines(folder.resolve("summary.csv"), StandardCharsets.UTF_8)) {
            int c = line.indexOf(',');
            if (c > 0 && !line.startsWith("metric,")) {
                m.put(line.substring(0, c), line.substring(c + 1));
            }
        }
        List<EncoderEvaluation.TaskResult> tasks = new ArrayList<>();
        for (String t : cfg.tasks()) {
            if (m.containsKey(t + "_linear")) {
                tasks.add(new EncoderEvaluation.TaskResult(t, num(m, t + "_linear"), num(m, t + "_knn"), 0, 0));
            }
        }
        ExperimentResult r = new ExperimentResult(cfg, "COMPLETED", "completed", tasks, num(m, "fidelity_cosine"),
                num(m, "fidelity_cosine_random_floor"), num(m, "fidelity_linear_cka"), num(m, "plugin_accuracy"), num(m, "plugin_agreement"),
                num(m, "watermark_accuracy"), num(m, "watermark_p_value"), (long) num(m, "queries_used"), num(m, "stealing_seconds"),
                num(m, "seconds"), folder);
        List<ExperimentEvent.EpochMetrics> epochs = new ArrayList<>();
        Path metrics = folder.resolve("metrics.csv");
        if (Files.isRegularFile(metrics)) {
            List<String> lines = Files.readAllLines(metrics, StandardCharsets.UTF_8);
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.split(",", -1);
                if (f.length >= 2) {
                    epochs.add(new ExperimentEvent.EpochMetrics(Integer.parseInt(f[0]) - 1, lines.size() - 1, parse(f[1]),
                            f.length > 2 ? parse(f[2]) : Double.NaN, f.length > 3 ? parse(f[3]) : Double.NaN,
                            f.length > 4 ? parse(f[4]) : Double.NaN, Double.NaN));
                }
            }
        }
        return new StoredRun(r, epochs);
    }

    /** Every results folder under {@code root}, oldest first; folders that cannot be read are skipped. */
    public static List<StoredRun> list(Path root) {
        List<StoredRun> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (var s = Files.list(root)) {
            for (Path p : s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList()) {
                if (Files.isRegularFile(p.resolve("summary.csv")) && Files.isRegularFile(p.resolve("config.json"))) {
                    try {
                        out.add(read(p));
                    } catch (IOException | RuntimeException e) {
                        // not a readable results folder (another version, hand-edited): leave it out
                    }
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    private static double num(Map<String, String> m, String key) {
        return parse(m.getOrDefault(key, ""));
    }

    private static double parse(String s) {
        if (s == null || s.isBlank()) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
