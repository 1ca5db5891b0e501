package org.stealbench.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.stealbench.experiment.bench.AnyVictimBenchmark;
import org.stealbench.experiment.bench.BenchmarkReport;
import org.stealbench.experiment.bench.DataBenchmark;
import org.stealbench.experiment.bench.DefenseBenchmark;
import org.stealbench.experiment.bench.EngineBenchmark;
import org.stealbench.experiment.bench.EngineWorkload;
import org.stealbench.experiment.bench.MemoryBenchmark;
import org.stealbench.experiment.bench.ProbeBenchmark;
import org.stealbench.experiment.bench.StealingTargetsBenchmark;
import org.stealbench.experiment.bench.UiBenchmark;
import org.stealbench.experiment.bench.VictimBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Runs a benchmark suite and writes its section of docs/benchmarks.md. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure speed and memory targets and write them to docs/benchmarks.md. "
                + "Run it while nothing else loads the machine.")
final class BenchCommand implements Callable<Integer> {

    @ParentCommand
    StealBenchCommand top;

    @Spec
    CommandSpec spec;

    static final String SUITES = "data, engine, victim, probe, targets, any-victim, defenses, ui, memory, http, app, sweep";

    @Option(names = "--suite", defaultValue = "data", description = "Suite to run: " + SUITES + " (default: ${DEFAULT-VALUE}).")
    String suite;

    @Option(names = "--memory-runs", defaultValue = "10",
            description = "Memory suite: thefts in one JVM, and workbench runs (default: ${DEFAULT-VALUE}); --repeats: fresh-process thefts.")
    int memoryRuns;

    @Option(names = "--memory-epochs", defaultValue = "32",
            description = "Memory suite: epochs of each workbench run (default: ${DEFAULT-VALUE}, the demo's).")
    int memoryEpochs;

    @Option(names = "--victim", paramLabel = "FILE", description = "Victim suite: the victim (default: the bundled one).")
    Path victim;

    @Option(names = "--independent", paramLabel = "FILE",
            description = "Victim suite: an independently trained SimCLR encoder without the watermark, for comparison; probe suite: one more encoder to measure.")
    Path independent;

    @Option(names = "--workloads", defaultValue = "a,b,c1,c2,d,e", split = ",",
            description = "Engine workloads: a, b, c1, c2, d (the peer's), e (the demo copy's network and stealing loss) (default: ${DEFAULT-VALUE}).")
    java.util.List<String> workloads;

    @Option(names = "--peer", paramLabel = "FILE",
            description = "The PyTorch peer script (default: scripts/peers/torch_peer.py in the project).")
    Path peer;

    @Option(names = "--repeats", defaultValue = "3", description = "Repeats of each timed load (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--seeds", defaultValue = "1,2,3", split = ",",
            description = "Targets and defences suites: the seeds every copy is stolen with (default: ${DEFAULT-VALUE}).")
    java.util.List<Long> seeds;

    @Option(names = "--ui-epochs", defaultValue = "8", description = "UI suite: epochs of the theft it watches (default: ${DEFAULT-VALUE}).")
    int uiEpochs;

    @Option(names = "--work", defaultValue = "bench-any-victim", paramLabel = "DIR",
            description = "Any-victim suite: folder for its victims (reused when there) and results (default: ${DEFAULT-VALUE}).")
    Path work;

    @Option(names = "--runs", defaultValue = "bench-defenses", paramLabel = "DIR",
            description = "Defences suite: folder for its runs' results folders (default: ${DEFAULT-VALUE}).")
    Path runs;

    @Option(names = "--report", paramLabel = "FILE", description = "Markdown file to update (default: docs/benchmarks.md in the project).")
    Path report;

    @Override
    public Integer call() throws Exception {
        if (repeats < 1) {
            throw new IllegalArgumentException("--repeats must be at least 1");
        }
        var roots = top.registry().roots();
        Path file = report != null ? report : roots.sampleData().getParent().resolve("docs/benchmarks.md");
        var out = spec.commandLine().getOut();
        java.util.function.Consumer<String> log = line -> {
            out.println(line);
            out.flush();
        };
        Path home = roots.sampleData().getParent();
        if (suite.equals("memory-worker")) {
            // the memory suite's child process: --repeats thefts, a line each appended to --report
            if (report == null) {
                throw new IllegalArgumentException("the memory worker needs --report FILE for its lines");
            }
            MemoryBenchmark.worker(top.registry(), repeats, report, log);
            return 0;
        }
        String section = switch (suite) {
            case "data" -> DataBenchmark.run(roots, repeats, log);
            case "engine" -> EngineBenchmark.run(workloads.stream().map(EngineWorkload::of).toList(),
                    peer != null ? peer : home.resolve("scripts/peers/torch_peer.py"), log);
            case "victim" -> VictimBenchmark.run(top.registry(), victim != null ? victim
                    : roots.sampleData().resolve("victim-fashion-mnist/victim.zip"), independent, log);
            case "probe" -> ProbeBenchmark.run(top.registry(), victim != null ? victim
                    : roots.sampleData().resolve("victim-fashion-mnist/victim.zip"), independent == null ? java.util.List.of() : java.util.List.of(independent),
                    log);
            case "targets" -> StealingTargetsBenchmark.run(top.registry(), seeds, log);
            case "any-victim" -> AnyVictimBenchmark.run(top.registry(), work, log);
            case "defenses" -> DefenseBenchmark.run(top.registry(), seeds, runs, log);
            case "ui" -> UiBenchmark.run(uiEpochs, repeats, log);
            case "memory" -> MemoryBenchmark.run(home, repeats, memoryRuns, memoryEpochs, log);
            case "http" -> org.stealbench.experiment.bench.HttpBenchmark.run(top.registry(), log);
            case "app" -> org.stealbench.experiment.bench.AppBenchmark.run(home, Math.max(3, repeats), log);
            case "sweep" -> org.stealbench.experiment.bench.SweepBenchmark.run(top.registry(), Math.max(2, repeats - 1), log);
            default -> throw new IllegalArgumentException("unknown suite '" + suite + "'; known: " + SUITES);
        };
        BenchmarkReport.writeSection(file, suite, section);
        out.println("updated " + file.toAbsolutePath());
        return 0;
    }
}
