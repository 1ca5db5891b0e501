package org.stealbench.cli;

import org.stealbench.experiment.ExperimentParameters;
import org.stealbench.experiment.RunLog;
import org.stealbench.model.nn.NativeArrays;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.stealbench.data.DatasetException;
import org.stealbench.data.DatasetRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The top-level command; subcommands do the work. */
@Command(name = "stealbench", mixinStandardHelpOptions = true, version = "StealBench 0.1.0",
        description = "Steal self-supervised image encoders through their API, and defend them.%n"
                + "Run with no arguments to open the workbench.",
        subcommands = {DatasetsCommand.class, TrainVictimCommand.class, EvaluateCommand.class, StealCommand.Steal.class, StealCommand.Compare.class, StealCommand.BudgetSweep.class, StealCommand.Defend.class, StealCommand.Defenses.class, ServeCommand.class, ExportCommand.class, ImportVictimCommand.class, BuildSampleDataCommand.class, BenchCommand.class, SchemaCommand.class,
                CommandLine.HelpCommand.class})
public final class StealBenchCommand {

    @Option(names = "--backend", scope = CommandLine.ScopeType.INHERIT, paramLabel = "auto|cpu|cuda",
            description = "Compute backend, chosen before the engine starts (also $STEALBENCH_BACKEND): auto takes a GPU ND4J's CUDA "
                    + "build can run when this build carries it, else the CPU, and says why (default: auto).")
    String backend;

    @Option(names = "--data-dir", scope = CommandLine.ScopeType.INHERIT, paramLabel = "DIR",
            description = "User data directory searched after sample-data/ and system installs "
                    + "(default: $" + DatasetRegistry.DATA_DIR_ENV + ", else ~/.stealbench/data).")
    Path dataDir;

    @Option(names = "--stacktrace", scope = CommandLine.ScopeType.INHERIT,
            description = "Print the full stack trace of an error.")
    boolean stacktrace;

    private DatasetRegistry registry;

    /**
     * The command's dataset registry, one per command line: it caches what it loads, so a theft's checks, its
     * protocol and its run read each dataset once (four registries read them four times, 0.3 s each).
     */
    synchronized DatasetRegistry registry() {
        if (registry == null) {
            registry = DatasetRegistry.standard(DatasetRegistry.Roots.defaults(dataDir));
        }
        return registry;
    }

    /** Runs the command line and returns the exit code (0 ok, 1 failed, 2 bad usage). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The commands that run the engine: their native libraries load while they read their configuration and data. */
    static final java.util.Set<String> ENGINE_COMMANDS = java.util.Set.of("train-victim", "evaluate", "steal", "compare-losses", "budget-sweep",
            "defend", "serve", "export-dl4j", "import-victim");

    /**
     * Starts loading the engine ({@link NativeArrays#load}) on a background thread when the command line runs one of
     * {@link #ENGINE_COMMANDS} (not for its help): about 0.6 s of a theft's start overlapped with reading the
     * configuration and the datasets, and the vector kernels compiled before the first epoch needs them. {@code
     * -Dstealbench.preload=false} turns it off.
     *
     * @return the loading thread, or null when none was started
     */
    static Thread preloadFor(CommandLine.ParseResult parsed) {
        CommandLine.ParseResult last = parsed;
        while (last.hasSubcommand()) {
            last = last.subcommand();
        }
        if (!Boolean.parseBoolean(System.getProperty("stealbench.preload", "true")) || last.isUsageHelpRequested() || last.isVersionHelpRequested()
                || !ENGINE_COMMANDS.contains(last.commandSpec().name())) {
            return null;
        }
        Thread t = new Thread(() -> {
            RunLog.quietThread();
            NativeArrays.load();
        }, "stealbench-preload");
        t.setDaemon(true);
        t.start();
        return t;
    }

    public static CommandLine commandLine() {
        StealBenchCommand top = new StealBenchCommand();
        CommandLine cl = new CommandLine(top);
        // the experiment's fields, declared once, become the stealing commands' options
        ExperimentOptions.install(cl.getSubcommands().get("steal").getCommandSpec());
        ExperimentOptions.install(cl.getSubcommands().get("compare-losses").getCommandSpec(), ExperimentParameters.LOSS);
        ExperimentOptions.install(cl.getSubcommands().get("budget-sweep").getCommandSpec(), ExperimentParameters.LOSS);
        ExperimentOptions.install(cl.getSubcommands().get("defend").getCommandSpec(), ExperimentParameters.LOSS, ExperimentParameters.DEFENSES,
                ExperimentParameters.SYBILS, ExperimentParameters.SEED);
        cl.setExecutionStrategy(parseResult -> {
            preloadFor(parseResult);
            return new CommandLine.RunLast().execute(parseResult);
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (top.stacktrace) {
                ex.printStackTrace(err);
            } else if (ex instanceof DatasetException || ex instanceof IllegalArgumentException || ex instanceof IllegalStateException
                    || ex instanceof java.io.IOException || ex instanceof java.io.UncheckedIOException) {
                err.println("error: " + ex.getMessage());
            } else {
                err.println("error: " + ex + " (run with --stacktrace for details)");
            }
            err.flush();
            return 1;
        });
        return cl;
    }
}
