package org.stealbench.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.stealbench.api.http.AccountingDb;
import org.stealbench.api.http.ApiServer;
import org.stealbench.experiment.VictimServer;
import org.stealbench.model.NativeBackend;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code serve}: the victim as an HTTP API, with keys, budgets and accounting in a database file;
 * {@code serve keys add|list} and {@code serve accounts} manage and read that file.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serve a victim encoder as an HTTP API (loopback by default) until stopped with Ctrl+C.",
                "Clients need a key: 'serve keys add NAME --budget N' prints one. Endpoints: GET /openapi.json."},
        subcommands = {ServeCommand.Keys.class, ServeCommand.Accounts.class})
public final class ServeCommand implements Callable<Integer> {

    /** Where the accounting lives unless --db says otherwise. */
    static Path defaultDb() {
        return VictimServer.defaultDb();
    }

    @ParentCommand
    StealBenchCommand top;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--victim", defaultValue = "bundled", paramLabel = "FILE",
            description = "Victim encoder file, or 'bundled' for the one in sample-data (default: ${DEFAULT-VALUE}).")
    String victim;

    @Option(names = "--port", defaultValue = "8080", description = "Port (0: a free one) (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every interface).")
    String host;

    @picocli.CommandLine.Mixin
    DbOption db;

    @Option(names = "--defense", split = ",", paramLabel = "NAMES",
            description = "Defences in front of the victim, in order, as an experiment names them (scripts/stealbench defenses).")
    List<String> defenses = List.of();

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the defences' randomness (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--max-batch", defaultValue = "1024", description = "Most images a request may hold (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--quiet", description = "Do not print a line per request.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        NativeBackend.configure();
        PrintWriter out = spec.commandLine().getOut();
        VictimServer.Settings settings = new VictimServer.Settings(victim, defenses, seed, db.file(), host, port, maxBatch);
        java.util.function.Consumer<ApiServer.LogLine> log = quiet ? null : l -> {
            out.printf(Locale.ROOT, "%tT  %-16s %5d images  %d %s%s%n", l.atMillis(), l.client(), l.images(), l.status(), l.outcome(),
                    l.detail() == null ? "" : ": " + l.detail());
            out.flush();
        };
        try (VictimServer server = VictimServer.start(settings, top.registry(), log)) {
            int[] chw = server.inputShape();
            out.printf("serving %s on %s (%d channels, %dx%d in, %d out; defences: %s); accounting in %s%n", victim, server.url(), chw[0], chw[1],
                    chw[2], server.outputDim(), defenses.isEmpty() ? "none" : String.join(", ", defenses), settings.db());
            if (server.accounting().clients().isEmpty()) {
                out.println("no keys yet: scripts/stealbench serve keys add NAME --budget N" + (db.db != null ? " --db " + db.db : ""));
            }
            out.println("Ctrl+C stops the server.");
            out.flush();
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            stop.await();
        }
        return 0;
    }

    /** {@code serve keys add|list}. */
    @Command(name = "keys", mixinStandardHelpOptions = true, description = "Issue and list API keys.",
            subcommands = {Keys.Add.class, Keys.ListKeys.class})
    static final class Keys {

        @Command(name = "add", mixinStandardHelpOptions = true,
                description = "Issue a key for a new client and print it (only its hash is stored: keep it).")
        static final class Add implements Callable<Integer> {
            @Spec
            CommandLine.Model.CommandSpec spec;

            @Parameters(paramLabel = "NAME", description = "The client's name (letters, digits, '.', '_', '-').")
            String name;

            @Option(names = "--budget", required = true, description = "Images this key may have answered in all.")
            long budget;

            @Option(names = "--rate", defaultValue = "0", description = "Images a minute (0: no limit) (default: ${DEFAULT-VALUE}).")
            long rate;

            @Option(names = "--owner", description = "The key may also read every client's accounting (/v1/admin/...).")
            boolean owner;

            @picocli.CommandLine.Mixin
            DbOption db;

            @Override
            public Integer call() {
                try (AccountingDb a = AccountingDb.open(db.file())) {
                    String key = a.addClient(name, budget, rate, owner);
                    PrintWriter out = spec.commandLine().getOut();
                    out.println(key);
                    out.flush();
                    spec.commandLine().getErr().printf("key of '%s' (budget %d images%s%s) above; it is not shown again%n", name, budget,
                            rate > 0 ? ", " + rate + " a minute" : "", owner ? ", owner" : "");
                }
                return 0;
            }
        }

        @Command(name = "list", mixinStandardHelpOptions = true, description = "List the clients (never their keys).")
        static final class ListKeys implements Callable<Integer> {
            @Spec
            CommandLine.Model.CommandSpec spec;

            @picocli.CommandLine.Mixin
            DbOption db;

            @Override
            public Integer call() {
                return Accounts.print(db, spec.commandLine().getOut());
            }
        }
    }

    /** {@code serve accounts}: every client's accounting, from the database (also while a server runs). */
    @Command(name = "accounts", mixinStandardHelpOptions = true,
            description = "Print every client's accounting: answered, refused, denied, flagged, proof of work, blocked.")
    static final class Accounts implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @picocli.CommandLine.Mixin
        DbOption db;

        @Override
        public Integer call() {
            return print(db, spec.commandLine().getOut());
        }

        static int print(DbOption db, PrintWriter out) {
            try (AccountingDb a = AccountingDb.open(db.file())) {
                out.printf(Locale.ROOT, "%-16s %-5s %10s %10s %8s %8s %8s %8s %12s %6s  %s%n", "client", "owner", "budget", "answered", "refused",
                        "denied", "flagged", "rate/min", "pow hashes", "cpu s", "blocked");
                for (AccountingDb.Client c : a.clients()) {
                    out.printf(Locale.ROOT, "%-16s %-5s %10d %10d %8d %8d %8d %8d %12.3g %6.2f  %s%n", c.name(), c.owner() ? "yes" : "", c.budget(),
                            c.answered(), c.refused(), c.denied(), c.flagged(), c.ratePerMinute(), c.powHashes(), c.computeSeconds(),
                            c.blockedReason() == null ? "" : c.blockedReason());
                }
                out.flush();
            }
            return 0;
        }
    }

    /** The accounting database option every serve command takes. */
    static final class DbOption {
        @Option(names = "--db", paramLabel = "FILE", description = "Accounting database (default: ~/.stealbench/api.db).")
        Path db;

        /** The database file: --db, or the default. */
        Path file() {
            return db != null ? db : defaultDb();
        }
    }
}
