package org.stealbench.experiment;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.stealbench.data.format.DataFiles;
import org.stealbench.eval.EncoderEvaluation;

/**
 * The files of a theft's results folder derived from its {@link TheftRecord}: results.json, and
 * two CSV files for spreadsheets and scripts, summary.csv (one metric per line) and metrics.csv
 * (one epoch per line); and reading a folder back for the results browser. CSV through Apache
 * Commons CSV. Folders written before results.json existed are read from their summary.csv.
 */
public final class ResultSummary {

    static final CSVFormat CSV = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').build();
    static final CSVFormat CSV_IN = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setIgnoreEmptyLines(true).build();

    private ResultSummary() {
    }

    /** A past run read from its folder: the result and its per-epoch curve. */
    /**
     * A results folder read back: the result, its per-epoch metrics, the victim's dataset and the
     * reference figures measured before training (victim, independent and random encoders; null
     * for runs without live metrics and folders written before they were kept).
     */
    public record StoredRun(ExperimentResult result, List<ExperimentEvent.EpochMetrics> epochs, String victimDataset,
                            ExperimentEvent.Baselines baselines) {
    }

    /** The derived files of a results folder, name -> content, in writing order. */
    static Map<String, DataFiles.Writer> files(TheftRecord record) throws IOException {
        byte[] json = record.toJson();
        String summary = toCsv(record.result());
        String metrics = metricsCsv(record.epochs());
        Map<String, DataFiles.Writer> out = new LinkedHashMap<>();
        out.put(TheftRecord.FILE, o -> o.write(json));
        out.put("summary.csv", o -> o.write(summary.getBytes(StandardCharsets.UTF_8)));
        out.put("metrics.csv", o -> o.write(metrics.getBytes(StandardCharsets.UTF_8)));
        return out;
    }

    static String toCsv(ExperimentResult r) throws IOException {
        StringWriter w = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(w, CSV)) {
            p.printRecord("metric", "value");
            for (EncoderEvaluation.TaskResult t : r.tasks()) {
                p.printRecord(t.task() + "_linear", fmt(t.linear()));
                p.printRecord(t.task() + "_knn", fmt(t.knn()));
            }
            p.printRecord("fidelity_cosine", fmt(r.cosine()));
            p.printRecord("fidelity_cosine_random_floor", fmt(r.cosineFloor()));
            p.printRecord("fidelity_linear_cka", fmt(r.cka()));
            p.printRecord("plugin_accuracy", fmt(r.plugInAccuracy()));
            p.printRecord("plugin_agreement", fmt(r.plugInAgreement()));
            p.printRecord("watermark_accuracy", fmt(r.watermarkAccuracy()));
            p.printRecord("watermark_p_value", String.format(Locale.ROOT, "%.3g", r.watermarkP()));
            p.printRecord("queries_used", r.queriesUsed());
            p.printRecord("stealing_seconds", fmt(r.trainSeconds()));
            p.printRecord("seconds", fmt(r.seconds()));
            DefenseReport d = r.defense();
            if (d != null) {
                p.printRecord("defenses", String.join("+", d.chain()));
                p.printRecord("attacker_keys", r.config().sybils());
                p.printRecord("honest_accuracy", fmt(d.honestAccuracy()));
                p.printRecord("honest_accuracy_undefended", fmt(d.honestUndefended()));
                p.printRecord("detection_rate", fmt(d.detectionRate()));
                p.printRecord("false_positive_rate", fmt(d.falsePositiveRate()));
                p.printRecord("attacker_pow_hashes_per_query", fmt(d.hashesPerQuery("attacker")));
                p.printRecord("honest_pow_hashes_per_query", fmt(d.hashesPerQuery("honest")));
            }
        }
        return w.toString();
    }

    /** One line per epoch (numbered from 1, as trained): loss, and the live metrics where measured (blank where not). */
    static String metricsCsv(List<ExperimentEvent.EpochMetrics> epochs) throws IOException {
        StringWriter w = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(w, CSV)) {
            p.printRecord("epoch", "loss", "knn", "cosine", "watermark", "watermark_p");
            for (ExperimentEvent.EpochMetrics m : epochs) {
                p.printRecord(m.epoch() + 1, String.format(Locale.ROOT, "%.6f", m.loss()), blankNaN(m.knn()), blankNaN(m.cosine()),
                        blankNaN(m.watermark()), Double.isNaN(m.watermarkP()) ? "" : String.format(Locale.ROOT, "%.3g", m.watermarkP()));
            }
        }
        return w.toString();
    }

    /** Reads a results folder; throws with a readable message if it is not one. */
    public static StoredRun read(Path folder) throws IOException {
        Path json = folder.resolve(TheftRecord.FILE);
        if (Files.isRegularFile(json)) {
            TheftRecord r = TheftRecord.read(json);
            Object vd = r.protocol().get("victimDataset");
            String name = vd == null ? "?" : String.valueOf(vd).replaceAll("@.*", "");
            return new StoredRun(r.result(), r.epochs(), name, r.baselines());
        }
        return readLegacy(folder);
    }

    /** A folder from before results.json: config.json, summary.csv and metrics.csv. */
    private static StoredRun readLegacy(Path folder) throws IOException {
        ExperimentConfig cfg = ExperimentConfig.read(folder.resolve("config.json"));
        Map<String, String> m = new LinkedHashMap<>();
        try (Reader in = Files.newBufferedReader(folder.resolve("summary.csv"), StandardCharsets.UTF_8);
             CSVParser p = CSV_IN.parse(in)) {
            for (CSVRecord rec : p) {
                if (rec.size() >= 2) {
                    m.put(rec.get(0), rec.get(1));
                }
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
                num(m, "seconds"), null, folder);
        List<ExperimentEvent.EpochMetrics> epochs = new ArrayList<>();
        Path metrics = folder.resolve("metrics.csv");
        if (Files.isRegularFile(metrics)) {
            try (Reader in = Files.newBufferedReader(metrics, StandardCharsets.UTF_8); CSVParser p = CSV_IN.parse(in)) {
                List<CSVRecord> rows = p.getRecords();
                for (CSVRecord rec : rows) {
                    epochs.add(new ExperimentEvent.EpochMetrics(Integer.parseInt(rec.get("epoch")) - 1, rows.size(), parse(rec.get("loss")),
                            column(rec, "knn"), column(rec, "cosine"), column(rec, "watermark"), column(rec, "watermark_p")));
                }
            }
        }
        // folders from before the protocol: only the bundled victim's dataset is known
        return new StoredRun(r, epochs, cfg.victim().equals(ExperimentConfig.BUNDLED) ? "fashion-mnist" : "?", null);
    }

    /** Every results folder under {@code root}, oldest first; folders that cannot be read are skipped. */
    public static List<StoredRun> list(Path root) {
        List<StoredRun> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (var s = Files.list(root)) {
            for (Path p : s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList()) {
                boolean current = Files.isRegularFile(p.resolve(TheftRecord.FILE));
                boolean legacy = Files.isRegularFile(p.resolve("summary.csv")) && Files.isRegularFile(p.resolve("config.json"));
                if (current || legacy) {
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

    private static double column(CSVRecord rec, String name) {
        return rec.isMapped(name) && rec.isSet(name) ? parse(rec.get(name)) : Double.NaN;
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

    private static String blankNaN(double v) {
        return Double.isNaN(v) ? "" : fmt(v);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
