package org.stealbench.ui.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.stealbench.experiment.ExperimentConfig;
import org.stealbench.experiment.ExperimentEvent;
import org.stealbench.experiment.ResultSummary;

/**
 * The Compare view's overlay of runs as per-epoch curves: runs that differ only in their seed are
 * one curve (the mean per epoch, with the band from the lowest to the highest seed), each curve
 * coloured by its loss or its defences, with the reference lines the runs measured (the victim, the
 * independent or random encoder, chance). Pure data: the view draws it.
 */
public final class RunCurves {

    /** What the y axis shows. */
    public enum Metric {
        KNN("kNN accuracy", true, ExperimentEvent.EpochMetrics::knn),
        FIDELITY("fidelity (mean cosine)", false, ExperimentEvent.EpochMetrics::cosine),
        WATERMARK("watermark accuracy", true, ExperimentEvent.EpochMetrics::watermark),
        LOSS("training loss", false, ExperimentEvent.EpochMetrics::loss);

        private final String label;
        private final boolean percent;
        private final ToDoubleFunction<ExperimentEvent.EpochMetrics> value;

        Metric(String label, boolean percent, ToDoubleFunction<ExperimentEvent.EpochMetrics> value) {
            this.label = label;
            this.percent = percent;
            this.value = value;
        }

        public String label() {
            return label;
        }

        public boolean percent() {
            return percent;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** What gives a curve its colour. */
    public enum ColourBy {
        LOSS("loss"), DEFENCE("defences");

        private final String label;

        ColourBy(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** One epoch of a curve: the mean over the seeds and their range. */
    public record Point(int epoch, double mean, double min, double max, int seeds) {
    }

    /** One curve: its name, its colour group, how many seeds it aggregates, and its points. */
    public record Curve(String name, String colourGroup, int seeds, List<Point> points) {
    }

    /** A horizontal reference line. */
    public record Reference(String name, Kind kind, double value) {
        public enum Kind { VICTIM, INDEPENDENT, RANDOM, CHANCE }
    }

    private RunCurves() {
    }

    /** The curves of {@code runs} (completed ones with per-epoch metrics) for {@code metric}. */
    public static List<Curve> curves(List<ResultSummary.StoredRun> runs, Metric metric, ColourBy colourBy) {
        Map<ExperimentConfig, List<ResultSummary.StoredRun>> bySeedless = new LinkedHashMap<>();
        for (ResultSummary.StoredRun r : runs) {
            if (r.result().completed() && !r.epochs().isEmpty()) {
                bySeedless.computeIfAbsent(r.result().config().withSeed(0), k -> new ArrayList<>()).add(r);
            }
        }
        boolean victims = runs.stream().map(ResultSummary.StoredRun::victimDataset).distinct().count() > 1;
        List<Curve> out = new ArrayList<>();
        for (Map.Entry<ExperimentConfig, List<ResultSummary.StoredRun>> e : bySeedless.entrySet()) {
            ExperimentConfig c = e.getKey();
            TreeMap<Integer, List<Double>> values = new TreeMap<>();
            for (ResultSummary.StoredRun r : e.getValue()) {
                for (ExperimentEvent.EpochMetrics m : r.epochs()) {
                    double v = metric.value.applyAsDouble(m);
                    if (!Double.isNaN(v)) {
                        values.computeIfAbsent(m.epoch() + 1, k -> new ArrayList<>()).add(v);
                    }
                }
            }
            if (values.isEmpty()) {
                continue;
            }
            List<Point> points = new ArrayList<>();
            values.forEach((epoch, vs) -> points.add(new Point(epoch, vs.stream().mapToDouble(Double::doubleValue).average().orElseThrow(),
                    vs.stream().mapToDouble(Double::doubleValue).min().orElseThrow(), vs.stream().mapToDouble(Double::doubleValue).max().orElseThrow(),
                    vs.size())));
            int seeds = e.getValue().size();
            String name = (victims ? e.getValue().get(0).victimDataset() + ": " : "") + c.label() + (seeds > 1 ? " (" + seeds + " seeds)" : "");
            String group = colourBy == ColourBy.LOSS ? c.loss() : c.defenses().isEmpty() ? "none" : String.join("+", c.defenses());
            out.add(new Curve(name, group, seeds, points));
        }
        return out;
    }

    /** The reference lines for {@code metric}, as the runs measured them (the mean where runs differ). */
    public static List<Reference> references(List<ResultSummary.StoredRun> runs, Metric metric) {
        List<Reference> out = new ArrayList<>();
        List<ExperimentEvent.Baselines> b = runs.stream().filter(r -> r.result().completed()).map(ResultSummary.StoredRun::baselines)
                .filter(x -> x != null).toList();
        switch (metric) {
            case KNN:
                mean(b, ExperimentEvent.Baselines::victimKnn).ifPresent(v -> out.add(new Reference("victim", Reference.Kind.VICTIM, v)));
                break;
            case FIDELITY:
                out.add(new Reference("victim itself", Reference.Kind.VICTIM, 1.0));
                List<Double> floors = runs.stream().filter(r -> r.result().completed()).map(r -> r.result().cosineFloor())
                        .filter(v -> !Double.isNaN(v)).toList();
                if (!floors.isEmpty()) {
                    out.add(new Reference("random encoder", Reference.Kind.RANDOM, floors.stream().mapToDouble(Double::doubleValue).average()
                            .orElseThrow()));
                }
                break;
            case WATERMARK:
                mean(b, ExperimentEvent.Baselines::victimWatermark).ifPresent(v -> out.add(new Reference("victim", Reference.Kind.VICTIM, v)));
                mean(b, ExperimentEvent.Baselines::independentWatermark).ifPresent(v -> out.add(new Reference(b.get(0).independent(),
                        Reference.Kind.INDEPENDENT, v)));
                out.add(new Reference("chance", Reference.Kind.CHANCE, 0.5));
                break;
            default:
                break;
        }
        return out;
    }

    private static java.util.Optional<Double> mean(List<ExperimentEvent.Baselines> b, ToDoubleFunction<ExperimentEvent.Baselines> f) {
        double[] v = b.stream().mapToDouble(f).filter(x -> !Double.isNaN(x)).toArray();
        return v.length == 0 ? java.util.Optional.empty() : java.util.Optional.of(java.util.Arrays.stream(v).average().orElseThrow());
    }
}
