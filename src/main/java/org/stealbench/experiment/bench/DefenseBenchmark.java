package org.stealbench.experiment.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.stealbench.data.DatasetRegistry;
import org.stealbench.defense.DefenseCatalog;
import org.stealbench.experiment.DefenseMatrix;
import org.stealbench.experiment.ExperimentConfig;
import org.stealbench.experiment.ExperimentResult;
import org.stealbench.experiment.Protocol;
import org.stealbench.model.train.Cancellation;

/**
 * The defences suite: the demo victim stolen with InfoNCE and MSE through no defence and through
 * every defence at its default and a stronger setting (plus the coverage defence's transformation
 * alone), over the seeds; InfoNCE with a 4-key attacker; InfoNCE with MNIST queries against the
 * proof of work. Then issue 14's targets, each said met or not: attacker proof-of-work per query at
 * least 10x the honest user's; a configuration where the InfoNCE copy's fidelity is within 0.05 of
 * the random floor while the honest user loses at most a point (the 4-key attacker: every setting, InfoNCE); PRADA's and similarity detection's
 * detection and false-positive rates.
 */
public final class DefenseBenchmark {

    /** Settings of the main matrix: none, every defence at default and stronger, and the coverage defence's map alone. */
    public static List<String> settings() {
        List<String> s = new ArrayList<>();
        s.add(DefenseMatrix.NONE);
        s.addAll(DefenseCatalog.defaultAndStronger());
        s.add("coverage:sigma=0");
        s.add("coverage:sigma=0,transform=permutation");
        return s;
    }

    static final List<String> POW_SETTINGS = List.of(DefenseMatrix.NONE, "pow", "pow:gain=8");

    private DefenseBenchmark() {
    }

    public static String run(DatasetRegistry registry, List<Long> seeds, Path resultsRoot, Consumer<String> log) throws IOException {
        ExperimentConfig base0 = ExperimentConfig.defaults();
        String victimData = Protocol.of(base0, registry).victimDatasetName();
        ExperimentConfig base = base0.withTasks(List.of(victimData));
        Cancellation cancel = new Cancellation();
        String seedList = seeds.stream().map(String::valueOf).collect(Collectors.joining(","));
        // runs already in the folder (an earlier, interrupted run of this suite) are read back, not run again
        Map<ExperimentConfig, ExperimentResult> done = new java.util.HashMap<>();
        for (var stored : org.stealbench.experiment.ResultSummary.list(resultsRoot)) {
            if (stored.result().completed()) {
                done.put(stored.result().config(), stored.result());
            }
        }
        log.accept("defence matrix: " + settings().size() + " settings x infonce, mse x seeds " + seedList + " (" + done.size()
                + " runs already in " + resultsRoot + ")");
        DefenseMatrix.Result main = matrix(DefenseMatrix.configs(base, settings(), List.of("infonce", "mse"), List.of(1), seeds), done, registry,
                resultsRoot, cancel, log);
        log.accept("4 attacker keys ...");
        DefenseMatrix.Result sybils = matrix(DefenseMatrix.configs(base, settings(), List.of("infonce"), List.of(4), seeds), done, registry,
                resultsRoot, cancel, log);
        log.accept("MNIST queries against the proof of work ...");
        DefenseMatrix.Result mnist = matrix(DefenseMatrix.configs(base.withStealingDataset("mnist"), POW_SETTINGS, List.of("infonce"), List.of(1),
                seeds), done, registry, resultsRoot, cancel, log);
        StringBuilder md = new StringBuilder("## Defences: what the attacker still gets, what an honest user loses\n\n");
        md.append("Command: `scripts/stealbench bench --suite defenses --seeds ").append(seedList).append("` (the same as `defend --settings ... "
                + "--losses infonce,mse --seeds ").append(seedList).append(" --tasks ").append(victimData).append("`, then `--keys 4`, then "
                + "`--dataset mnist`). Machine: ").append(BenchmarkReport.machine()).append(". Date: ").append(LocalDate.now()).append(".\n\n");
        md.append("The demo victim (bundled, SimCLR on Fashion-MNIST), ").append(base.queries()).append(" queries from the attacker's pool, ")
                .append(base.epochs()).append(" epochs; copy accuracy = linear probe on ").append(victimData).append(" (L-BFGS); fidelity = mean "
                + "cosine to the victim on its held-out images (random encoder's floor in brackets). The honest user sends the 1,000 "
                + "honest-user images and the 2,000 probe-test images through the same API and defences (one key), fits the probe on "
                + "its answers and is scored on the test answers; undefended = the same probe on the victim's own representations. "
                + "Detection = the attacker's images refused or flagged; false positives = the same over the honest user's first images, "
                + "as many as the attacker sent. Proof-of-work in SHA-256 hashes per answered query (base 8 bits = 256 expected). "
                + "Means over seeds ± sd. Defaults and ranges: `scripts/stealbench defenses`; what each does: docs/protocol.md.\n\n");
        md.append("### Attacker with one key (Fashion-MNIST queries)\n\n").append(main.markdown()).append('\n');
        md.append("### Attacker with 4 keys (sybils), InfoNCE\n\n").append(sybils.markdown()).append('\n');
        md.append("### Attacker querying MNIST images, InfoNCE, against the proof of work\n\n").append(mnist.markdown()).append('\n');
        md.append(targets(main.runs(), sybils.runs(), mnist.runs()));
        return md.toString();
    }

    /** Runs the configurations not in {@code done} and renders all of them, in order. */
    private static DefenseMatrix.Result matrix(List<ExperimentConfig> configs, Map<ExperimentConfig, ExperimentResult> done,
                                               DatasetRegistry registry, Path resultsRoot, Cancellation cancel, Consumer<String> log)
            throws IOException {
        List<ExperimentConfig> missing = configs.stream().filter(c -> !done.containsKey(c)).toList();
        List<ExperimentResult> fresh = org.stealbench.experiment.Sweep.run(missing, registry, resultsRoot, cancel, log);
        for (int i = 0; i < fresh.size(); i++) {
            done.put(missing.get(i), fresh.get(i));
        }
        return DefenseMatrix.render(configs.stream().filter(done::containsKey).map(done::get).toList());
    }

    /** Issue 14's targets, each met or not, from the runs. */
    static String targets(List<ExperimentResult> main, List<ExperimentResult> sybils, List<ExperimentResult> mnist) {
        StringBuilder t = new StringBuilder("### Targets\n\n");
        // 1. proof of work: attacker >= 10x the honest user's work per query
        t.append("- **Attacker proof-of-work >= 10x an honest user's per query** (per seed):");
        boolean anyMet = false;
        List<ExperimentResult> all = new ArrayList<>(main);
        all.addAll(sybils);
        all.addAll(mnist);
        for (Map.Entry<String, List<ExperimentResult>> e : cells(all, r -> r.config().defenses().stream().anyMatch(d -> d.startsWith("pow")))
                .entrySet()) {
            // every seed must reach it: the mean of a heavy-tailed ratio would hide a seed that does not
            double[] ratios = e.getValue().stream().mapToDouble(r -> r.defense().powRatio()).toArray();
            boolean met = ratios.length > 0 && java.util.Arrays.stream(ratios).allMatch(x -> x >= 10);
            anyMet |= met;
            t.append(String.format(Locale.ROOT, " %s: %s (%s);", e.getKey(), java.util.Arrays.stream(ratios)
                    .mapToObj(x -> String.format(Locale.ROOT, "%.1fx", x)).collect(Collectors.joining(", ")), met ? "met" : "not met"));
        }
        t.append(anyMet ? " met (every seed) only where named so.\n" : " not met, for every seed, in any configuration.\n");
        // 2. fidelity within 0.05 of the floor with the honest user losing at most a point
        t.append("- **InfoNCE copy's fidelity within 0.05 of the random floor while the honest user loses at most 1 point**:");
        List<String> meeting = new ArrayList<>();
        for (Map.Entry<String, List<ExperimentResult>> e : cells(all, r -> r.config().loss().equals("infonce") && r.defense() != null).entrySet()) {
            double gap = e.getValue().stream().mapToDouble(r -> r.cosine() - r.cosineFloor()).average().orElse(Double.NaN);
            double cost = e.getValue().stream().mapToDouble(r -> r.defense().honestCost()).average().orElse(Double.NaN);
            if (gap <= 0.05 && cost <= 0.01) {
                meeting.add(String.format(Locale.ROOT, "%s (fidelity minus floor %+.3f, honest user %+.1f points, copy accuracy %.1f)", e.getKey(),
                        gap, -100 * cost, 100 * e.getValue().stream().mapToDouble(r -> r.tasks().get(0).linear()).average().orElse(Double.NaN)));
            }
        }
        t.append(meeting.isEmpty() ? " not met in any configuration.\n" : " met by " + String.join("; ", meeting)
                + ". Read the copy's accuracy beside it: a per-key transformation moves the copy away from the victim's coordinates "
                + "without taking away what the copy is worth downstream.\n");
        // 3. detectors
        for (String d : List.of("prada", "similarity")) {
            t.append("- **").append(d).append("**: ");
            List<String> parts = new ArrayList<>();
            for (Map.Entry<String, List<ExperimentResult>> e : cells(all, r -> r.config().defenses().stream().anyMatch(x -> x.startsWith(d)))
                    .entrySet()) {
                parts.add(String.format(Locale.ROOT, "%s: detection %.1f%%, false positives %.1f%%", e.getKey(),
                        100 * e.getValue().stream().mapToDouble(r -> r.defense().detectionRate()).average().orElse(Double.NaN),
                        100 * e.getValue().stream().mapToDouble(r -> r.defense().falsePositiveRate()).average().orElse(Double.NaN)));
            }
            t.append(String.join("; ", parts)).append(".\n");
        }
        return t.toString();
    }

    private static Map<String, List<ExperimentResult>> cells(List<ExperimentResult> runs, java.util.function.Predicate<ExperimentResult> keep) {
        Map<String, List<ExperimentResult>> m = new java.util.LinkedHashMap<>();
        for (ExperimentResult r : runs) {
            if (r.completed() && keep.test(r)) {
                String k = String.join("+", r.config().defenses()) + ", " + r.config().loss() + (r.config().sybils() > 1 ? ", "
                        + r.config().sybils() + " keys" : "") + (r.config().stealingDataset().equals("fashion-mnist") ? "" : ", "
                        + r.config().stealingDataset() + " queries");
                m.computeIfAbsent(k, x -> new ArrayList<>()).add(r);
            }
        }
        return m;
    }
}
