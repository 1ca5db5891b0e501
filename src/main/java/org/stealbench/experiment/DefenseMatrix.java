package org.stealbench.experiment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.hipparchus.stat.descriptive.DescriptiveStatistics;
import org.stealbench.data.DatasetRegistry;
import org.stealbench.model.train.Cancellation;

/**
 * The defence x loss matrix (the {@code defend} command): the same theft with no defence and with
 * each defence setting, for each loss, number of attacker keys and seed; per cell the copy's
 * accuracy on the victim's task, fidelity and watermark, the honest user's accuracy through the
 * defences beside its undefended accuracy, detection and false-positive rates, and the
 * proof-of-work both paid. Means over seeds (sd beside them where there are several).
 */
public final class DefenseMatrix {

    /** A defence setting with no defence: the matrix's reference row. */
    public static final String NONE = "none";

    private DefenseMatrix() {
    }

    /** The tables and the runs behind them. */
    public record Result(String markdown, String csv, List<ExperimentResult> runs) {
    }

    /** Configurations, in the order they run: settings (each a chain joined by '+', or none) x losses x keys x seeds. */
    public static List<ExperimentConfig> configs(ExperimentConfig base, List<String> settings, List<String> losses, List<Integer> sybils,
                                                 List<Long> seeds) {
        List<ExperimentConfig> out = new ArrayList<>();
        for (String s : settings) {
            for (String l : losses) {
                for (int k : sybils) {
                    for (long seed : seeds) {
                        out.add(base.withDefenses(chain(s)).withLoss(l).withSybils(k).withSeed(seed));
                    }
                }
            }
        }
        return out;
    }

    /** A setting as a chain: "none" is empty, "prada+pow:base=8" two defences. */
    public static List<String> chain(String setting) {
        return setting.equals(NONE) ? List.of() : List.of(setting.split("\\+"));
    }

    public static Result run(ExperimentConfig base, List<String> settings, List<String> losses, List<Integer> sybils, List<Long> seeds,
                             DatasetRegistry registry, Path resultsRoot, Cancellation cancel, Consumer<String> log) throws IOException {
        List<ExperimentResult> runs = Sweep.run(configs(base, settings, losses, sybils, seeds), registry, resultsRoot, cancel, log);
        return render(runs);
    }

    private static String key(ExperimentConfig c) {
        return (c.defenses().isEmpty() ? NONE : String.join("+", c.defenses())) + "|" + c.loss() + "|" + c.sybils();
    }

    /** Groups the runs by (setting, loss, keys) and writes a row each. */
    public static Result render(List<ExperimentResult> runs) throws IOException {
        Map<String, List<ExperimentResult>> cells = new LinkedHashMap<>();
        for (ExperimentResult r : runs) {
            if (r.completed()) {
                cells.computeIfAbsent(key(r.config()), k -> new ArrayList<>()).add(r);
            }
        }
        String[] head = {"defence", "loss", "keys", "seeds", "copy linear", "fidelity (floor)", "watermark p (median)", "honest user",
            "honest undefended", "detection", "false positives", "attacker hashes/query", "honest hashes/query", "PoW ratio"};
        StringBuilder md = new StringBuilder("| " + String.join(" | ", head) + " |\n|" + "---|".repeat(head.length) + "\n");
        java.io.StringWriter csv = new java.io.StringWriter();
        try (CSVPrinter p = new CSVPrinter(csv, CSVFormat.DEFAULT.builder().setHeader(head).build())) {
            for (List<ExperimentResult> cell : cells.values()) {
                ExperimentConfig c = cell.get(0).config();
                DescriptiveStatistics lin = stats(cell, r -> r.tasks().isEmpty() ? Double.NaN : r.tasks().get(0).linear());
                DescriptiveStatistics cos = stats(cell, ExperimentResult::cosine);
                DescriptiveStatistics floor = stats(cell, ExperimentResult::cosineFloor);
                DescriptiveStatistics wmp = stats(cell, ExperimentResult::watermarkP);
                DescriptiveStatistics honest = stats(cell, r -> r.defense() == null ? Double.NaN : r.defense().honestAccuracy());
                DescriptiveStatistics undef = stats(cell, r -> r.defense() == null ? Double.NaN : r.defense().honestUndefended());
                DescriptiveStatistics det = stats(cell, r -> r.defense() == null ? Double.NaN : r.defense().detectionRate());
                DescriptiveStatistics fp = stats(cell, r -> r.defense() == null ? Double.NaN : r.defense().falsePositiveRate());
                DescriptiveStatistics ah = stats(cell, r -> r.defense() == null ? Double.NaN : r.defense().hashesPerQuery("attacker"));
                DescriptiveStatistics hh = stats(cell, r -> r.defense() == null ? Double.NaN : r.defense().hashesPerQuery("honest"));
                DescriptiveStatistics ratio = stats(cell, r -> r.defense() == null ? Double.NaN : r.defense().powRatio());
                String[] row = {c.defenses().isEmpty() ? NONE : String.join("+", c.defenses()), c.loss(), Integer.toString(c.sybils()),
                    Long.toString(lin.getN()), pct(lin), num(cos, 3) + " (" + num(floor, 3) + ")",
                    wmp.getN() == 0 ? "-" : org.stealbench.eval.Metrics.formatP(wmp.getPercentile(50)), pct(honest), pct(undef), pct(det), pct(fp),
                    num(ah, 0), num(hh, 0), num(ratio, 1)};
                md.append("| ").append(String.join(" | ", row)).append(" |\n");
                p.printRecord((Object[]) row);
            }
        }
        return new Result(md.toString(), csv.toString(), runs);
    }

    private static DescriptiveStatistics stats(List<ExperimentResult> rs, java.util.function.ToDoubleFunction<ExperimentResult> f) {
        DescriptiveStatistics s = new DescriptiveStatistics();
        for (ExperimentResult r : rs) {
            double v = f.applyAsDouble(r);
            if (!Double.isNaN(v)) {
                s.addValue(v);
            }
        }
        return s;
    }

    private static String pct(DescriptiveStatistics s) {
        if (s.getN() == 0) {
            return "-";
        }
        return s.getN() > 1 ? String.format(Locale.ROOT, "%.1f ± %.1f", 100 * s.getMean(), 100 * s.getStandardDeviation())
                : String.format(Locale.ROOT, "%.1f", 100 * s.getMean());
    }

    private static String num(DescriptiveStatistics s, int digits) {
        if (s.getN() == 0) {
            return "-";
        }
        String f = "%." + digits + "f";
        return s.getN() > 1 ? String.format(Locale.ROOT, f + " ± " + f, s.getMean(), s.getStandardDeviation())
                : String.format(Locale.ROOT, f, s.getMean());
    }
}
