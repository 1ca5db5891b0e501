package org.stealbench.cli;

import org.stealbench.eval.Metrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.stealbench.attack.StealingLoss;
import org.stealbench.data.format.DataFiles;
import org.stealbench.experiment.ExperimentConfig;
import org.stealbench.experiment.ExperimentResult;
import org.stealbench.experiment.ExperimentListener;
import org.stealbench.experiment.ExperimentParameters;
import org.stealbench.experiment.ExperimentRunner;
import org.stealbench.experiment.Job;
import org.stealbench.experiment.Protocol;
import org.stealbench.experiment.LossComparison;
import org.stealbench.experiment.ResultTables;
import org.stealbench.experiment.Sweep;
import org.stealbench.experiment.ExperimentEvent;
import org.stealbench.model.train.Cancellation;
import org.stealbench.model.train.TrainEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Steals the victim once (steal) or with every loss (compare-losses). */
final class StealCommand {

    private StealCommand() {
    }

    /**
     * What the stealing commands share: --config (a file to start from) and, installed from the fields'
     * declarations by {@link ExperimentOptions#install}, one option per experiment field and --results.
     */
    static final class Options {
        @Option(names = "--config", paramLabel = "FILE", description = "An experiment JSON file (the options below override it).")
        Path config;

        @Spec(Spec.Target.MIXEE)
        CommandSpec command;

        Path results() {
            return ExperimentOptions.results(command);
        }

        ExperimentConfig build(org.stealbench.data.DatasetRegistry registry) throws java.io.IOException {
            ExperimentConfig c = config != null ? ExperimentConfig.read(config) : ExperimentConfig.defaults();
            Map<String, Object> given = ExperimentOptions.given(command);
            Object victim = given.get(ExperimentParameters.VICTIM.name());
            if (config == null && victim != null && !victim.equals(ExperimentConfig.BUNDLED)) {
                // another victim: the defaults follow its data (its own dataset steals and is the first task)
                Protocol p = Protocol.of(c.withVictim(String.valueOf(victim)), registry);
                given.putIfAbsent(ExperimentParameters.TASKS.name(), p.defaultTasks().stream().filter(x -> registry.find(x).isPresent()).toList());
                given.putIfAbsent(ExperimentParameters.STEALING_DATASET.name(), p.victimDatasetName());
            }
            return ExperimentOptions.merge(c, given);
        }
    }

    @Command(name = "steal", mixinStandardHelpOptions = true,
            description = "Steal the victim through its API with one loss; writes a results folder (config, provenance, "
                    + "metrics, summary, the stolen encoder) and prints downstream accuracy, fidelity and the watermark.")
    static final class Steal implements Callable<Integer> {
        @ParentCommand
        StealBenchCommand top;

        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        Options options;

        @Option(names = "--live", description = "Measure kNN accuracy, fidelity and the watermark after every epoch and print them.")
        boolean live;

        @Override
        public Integer call() throws Exception {
            ExperimentConfig cfg = options.build(top.registry());
            Cancellation cancel = new Cancellation();
            var out = spec.commandLine().getOut();
            out.println("stealing with " + cfg.loss() + ": " + StealingLoss.of(cfg.loss()).explanation());
            var err = spec.commandLine().getErr();
            List<String> problems = Protocol.problems(cfg, top.registry());
            if (!problems.isEmpty()) {
                problems.forEach(p -> err.println("cannot run: " + p));
                return 2;
            }
            Protocol protocol = Protocol.of(cfg, top.registry());
            out.println("victim's data: " + protocol.victimDataset() + "; roles of images: " + protocol.describe(cfg.stealingDataset(), cfg.tasks()).get("roles"));
            ConsoleProgress progress = new ConsoleProgress(System.err, "steal");
            ExperimentListener log = ev -> {
                if (ev instanceof ExperimentEvent.Training tr && tr.event() instanceof TrainEvent.EpochEnd end && !live) {
                    progress.line(String.format(Locale.ROOT, "epoch %d/%d: loss %.4f (%.1f s)", end.epoch() + 1, cfg.epochs(), end.meanLoss(),
                            end.seconds()));
                } else if (ev instanceof ExperimentEvent.EpochMetrics m) {
                    progress.line(Double.isNaN(m.knn())
                            ? String.format(Locale.ROOT, "epoch %d/%d: loss %.4f", m.epoch() + 1, m.epochs(), m.loss())
                            : String.format(Locale.ROOT, "epoch %d/%d: loss %.4f; live: kNN %.1f%%, cosine %.3f, watermark %.1f%%",
                                    m.epoch() + 1, m.epochs(), m.loss(), 100 * m.knn(), m.cosine(), 100 * m.watermark()));
                } else if (ev instanceof ExperimentEvent.Baselines b) {
                    progress.line(String.format(Locale.ROOT,
                            "baselines on %s: victim kNN %.1f%%, victim watermark %.1f%%, %s watermark %.1f%%, cosine floor %.3f",
                            b.victimDataset(), 100 * b.victimKnn(), 100 * b.victimWatermark(), b.independent(), 100 * b.independentWatermark(),
                            b.cosineFloor()));
                } else if (ev instanceof ExperimentEvent.Phase p) {
                    progress.line(p.description() + " ...");
                } else if (ev instanceof ExperimentEvent.Evaluating v) {
                    progress.line("  (" + v.step() + "/" + v.steps() + ") " + v.what() + " ...");
                }
            };
            Job.Outcome outcome = new Job.Theft(cfg, live ? ExperimentRunner.Options.LIVE : ExperimentRunner.Options.BATCH)
                    .run(top.registry(), options.results(), ExperimentListener.all(log, progress), cancel);
            ExperimentResult r = outcome.theft();
            if (!r.completed()) {
                err.println("stealing " + r.status().toLowerCase(Locale.ROOT) + ": " + r.message() + "; no result written");
                return 1;
            }
            for (var t : r.tasks()) {
                out.printf(Locale.ROOT, "%s: linear %.1f%%, kNN %.1f%%%n", t.task(), 100 * t.linear(), 100 * t.knn());
            }
            out.printf(Locale.ROOT, "on %s's %d held-out images:%n", protocol.victimDatasetName(), protocol.heldOut().size());
            out.printf(Locale.ROOT, "fidelity: mean cosine %.3f (random encoder: %.3f), linear CKA %.3f%n", r.cosine(), r.cosineFloor(),
                    r.cka());
            if (!Double.isNaN(r.plugInAccuracy())) {
                out.printf(Locale.ROOT, "plug-in: the victim's %s head on the copy: %.1f%% accurate, agrees with the victim on %.1f%%%n",
                        protocol.victimDatasetName(), 100 * r.plugInAccuracy(), 100 * r.plugInAgreement());
            }
            if (Double.isNaN(r.watermarkAccuracy())) {
                out.println("watermark: none (the victim carries no watermark MLP)");
            } else {
                out.printf(Locale.ROOT, "watermark: %.1f%% (p = %s)%n", 100 * r.watermarkAccuracy(), Metrics.formatP(r.watermarkP()));
            }
            if (r.defense() != null) {
                printDefense(r.defense(), out);
            }
            out.printf(Locale.ROOT, "queries used: %d; %.0f s; results in %s%n", r.queriesUsed(), r.seconds(), r.folder());
            return 0;
        }
    }

    static void printDefense(org.stealbench.experiment.DefenseReport d, java.io.PrintWriter out) {
        out.printf(Locale.ROOT, "defences %s: honest user on %s %.1f%% (undefended %.1f%%); caught %.1f%% of the attacker's queries, "
                        + "%.1f%% of the honest user's first %d%n", String.join(" + ", d.chain()), d.honestTask().replaceAll("@.*", ""),
                100 * d.honestAccuracy(), 100 * d.honestUndefended(), 100 * d.detectionRate(), 100 * d.falsePositiveRate(), d.comparedQueries());
        for (var c : d.clients()) {
            out.printf(Locale.ROOT, "  %s (%s): %d sent, %d answered, %d refused, %d flagged%s%n", c.key(), c.role(), c.sent(), c.answered(),
                    c.denied(), c.flagged(), c.powHashes() == 0 ? "" : String.format(Locale.ROOT, "; proof of work %,d hashes in %.1f s, up to %d bits",
                            c.powHashes(), c.powSeconds(), c.powMaxBits()));
        }
    }

    @Command(name = "defend", mixinStandardHelpOptions = true,
            description = "The defence x loss matrix: steals the victim with no defence and through each defence setting, with each "
                    + "loss, number of attacker keys and seed; writes PREFIX.md and PREFIX.csv with the copy's accuracy, fidelity and "
                    + "watermark, the honest user's accuracy, detection and false-positive rates and the proof-of-work paid.")
    static final class Defend implements Callable<Integer> {
        @ParentCommand
        StealBenchCommand top;

        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        Options options;

        @Option(names = "--settings", split = ";", paramLabel = "CHAIN",
                description = "Defence settings, ';'-separated, each a chain joined by '+' (e.g. none;prada;pow:base=10+coverage); "
                        + "default: none, then every defence at its default and at its stronger setting.")
        List<String> settings;

        @Option(names = "--losses", split = ",", defaultValue = "infonce,mse", description = "Losses (default: ${DEFAULT-VALUE}).")
        List<String> losses;

        @Option(names = "--keys", split = ",", defaultValue = "1", description = "Attacker keys (sybils) to try (default: ${DEFAULT-VALUE}).")
        List<Integer> keys;

        @Option(names = "--seeds", split = ",", defaultValue = "1", description = "Seeds (default: ${DEFAULT-VALUE}).")
        List<Long> seeds;

        @Option(names = "--out", required = true, paramLabel = "PREFIX", description = "Writes PREFIX.md and PREFIX.csv.")
        Path out;

        @Override
        public Integer call() throws Exception {
            ExperimentConfig base = options.build(top.registry());
            List<String> s = new java.util.ArrayList<>();
            if (settings == null) {
                s.add(org.stealbench.experiment.DefenseMatrix.NONE);
                s.addAll(org.stealbench.defense.DefenseCatalog.defaultAndStronger());
            } else {
                s.addAll(settings);
            }
            for (String setting : s) {
                for (String d : org.stealbench.experiment.DefenseMatrix.chain(setting)) {
                    String why = org.stealbench.defense.DefenseCatalog.check(d);
                    if (why != null) {
                        throw new IllegalArgumentException(why);
                    }
                }
            }
            losses.forEach(StealingLoss::of);
            var o = spec.commandLine().getOut();
            var r = org.stealbench.experiment.DefenseMatrix.run(base, s, losses, keys, seeds, top.registry(), options.results(), new Cancellation(),
                    lines(o));
            writeFiles(out, new String[][] {{".md", r.markdown()}, {".csv", r.csv()}}, o);
            return 0;
        }
    }

    @Command(name = "defenses", mixinStandardHelpOptions = true,
            description = "List the defences with their parameters (defaults, ranges), as --defense takes them.")
    static final class Defenses implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().print(org.stealbench.defense.DefenseCatalog.help());
            return 0;
        }
    }

    @Command(name = "compare-losses", mixinStandardHelpOptions = true,
            description = "Steal the same victim with every loss and write the paper-shaped table (victim baseline, then one "
                    + "row per loss) as Markdown, CSV and LaTeX.")
    static final class Compare implements Callable<Integer> {
        @ParentCommand
        StealBenchCommand top;

        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        Options options;

        @Option(names = "--losses", split = ",", description = "Losses to compare (default: all seven).")
        List<String> losses;

        @Option(names = "--out", required = true, paramLabel = "PREFIX", description = "Writes PREFIX.md, PREFIX.csv and PREFIX.tex.")
        Path out;

        @Override
        public Integer call() throws Exception {
            ExperimentConfig base = options.build(top.registry());
            List<String> ls = losses != null ? losses : java.util.Arrays.stream(StealingLoss.values()).map(StealingLoss::id).toList();
            ls.forEach(StealingLoss::of);
            var o = spec.commandLine().getOut();
            ResultTables.Tables t = LossComparison.run(base, ls, top.registry(), options.results(), new Cancellation(), lines(o)).tables();
            writeTables(t, out, o);
            return 0;
        }
    }

    /** Prints each line at once (long sweeps report as they go). */
    static java.util.function.Consumer<String> lines(java.io.PrintWriter o) {
        return line -> {
            o.println(line);
            o.flush();
        };
    }

    static void writeTables(ResultTables.Tables t, Path out, java.io.PrintWriter o) throws java.io.IOException {
        writeFiles(out, new String[][] {{".md", t.markdown()}, {".csv", t.csv()}, {".tex", t.latex()}}, o);
    }

    /** Writes PREFIX + each extension, prints the first (Markdown) and says what was written. */
    static void writeFiles(Path out, String[][] extensionAndText, java.io.PrintWriter o) throws java.io.IOException {
        List<String> written = new java.util.ArrayList<>();
        for (String[] f : extensionAndText) {
            byte[] b = f[1].getBytes(StandardCharsets.UTF_8);
            DataFiles.writeAtomically(Path.of(out + f[0]), os -> os.write(b));
            written.add(f[0]);
        }
        o.println();
        o.println(extensionAndText[0][1]);
        o.println("wrote " + out + String.join(", ", written));
    }

    @Command(name = "budget-sweep", aliases = "sweep", mixinStandardHelpOptions = true,
            description = "Accuracy, fidelity and watermark against the number of queries: steals the victim with each loss at each "
                    + "budget (and with each stealing dataset), every run training on the same number of samples; writes a table "
                    + "as Markdown, CSV and LaTeX. With --engine spark each configuration is a Spark task (local mode in this "
                    + "process by default, or --master URL), and configurations already in --results are not run again.")
    static final class BudgetSweep implements Callable<Integer> {
        @ParentCommand
        StealBenchCommand top;

        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        Options options;

        @Option(names = "--losses", split = ",", defaultValue = "infonce,mse", description = "Losses (default: ${DEFAULT-VALUE}).")
        List<String> losses;

        @Option(names = "--budgets", split = ",", defaultValue = "500,2000,8000", description = "Query budgets (default: ${DEFAULT-VALUE}).")
        List<Integer> budgets;

        @Option(names = "--datasets", split = ",", description = "Stealing datasets to sweep (default: the --dataset one).")
        List<String> datasets;

        @Option(names = "--sample-passes", defaultValue = "64000",
                description = "Samples each run trains on; epochs = this / budget (default: ${DEFAULT-VALUE}; 0 = use --epochs).")
        long samplePasses;

        @Option(names = "--out", required = true, paramLabel = "PREFIX", description = "Writes PREFIX.md, PREFIX.csv and PREFIX.tex.")
        Path out;

        @Option(names = "--engine", defaultValue = "local", paramLabel = "local|spark",
                description = "local: one run after another in this process; spark: each configuration a Spark task (default: ${DEFAULT-VALUE}).")
        String engine;

        @Option(names = "--master", defaultValue = "local[*,2]", paramLabel = "URL",
                description = "Spark master for --engine spark: local[N,F] in this process (F attempts per task), spark://host:7077, "
                        + "k8s://... (default: ${DEFAULT-VALUE}).")
        String master;

        @Override
        public Integer call() throws Exception {
            ExperimentConfig base = options.build(top.registry());
            losses.forEach(StealingLoss::of);
            var o = spec.commandLine().getOut();
            List<ExperimentConfig> configs = Sweep.configs(base, losses, budgets, datasets == null ? List.of() : datasets, samplePasses);
            List<ExperimentResult> runs;
            if (engine.equals("spark")) {
                List<org.stealbench.experiment.SparkSweep.Outcome> done = org.stealbench.experiment.SparkSweep.run(configs, master,
                        options.results(), top.registry(), top.dataDir, org.stealbench.experiment.SparkSweep.JOB, lines(o));
                runs = new java.util.ArrayList<>();
                for (org.stealbench.experiment.SparkSweep.Outcome d : done) {
                    runs.add(org.stealbench.experiment.ResultSummary.read(d.folder()).result());
                }
            } else if (engine.equals("local")) {
                runs = Sweep.run(configs, top.registry(), options.results(), new Cancellation(), lines(o));
            } else {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--engine is local or spark, not '" + engine + "'");
            }
            writeTables(ResultTables.lossTable(base.tasks(), null, runs, true).render(), out, o);
            return 0;
        }
    }
}
