package org.stealbench.experiment;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.stealbench.api.http.AccountingDb;
import org.stealbench.api.http.ApiServer;
import org.stealbench.data.DatasetRegistry;

/**
 * A victim served over HTTP, as {@code serve} and the workbench's Server view start it: the victim
 * with its calibrated defence chain ({@link ServedVictim}), the accounting database and the
 * listening {@link ApiServer}, opened together and closed together (server first, so no request
 * is left half-recorded; then the database; then the victim's native memory).
 */
public final class VictimServer implements AutoCloseable {

    /** What to serve and where. */
    public record Settings(String victim, List<String> defenses, long seed, Path db, String host, int port, int maxBatch) {
        public Settings {
            defenses = List.copyOf(defenses);
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("a port is 0 (any free one) to 65535, not " + port);
            }
            if (maxBatch < 1) {
                throw new IllegalArgumentException("a request may hold at least one image; --max-batch " + maxBatch);
            }
        }

        /** The bundled victim, no defences, loopback, port 8080, the default database, batches of up to 1,024. */
        public static Settings defaults() {
            return new Settings(ExperimentConfig.BUNDLED, List.of(), 1, defaultDb(), "127.0.0.1", 8080, 1024);
        }

        public Settings withVictim(String v) {
            return new Settings(v, defenses, seed, db, host, port, maxBatch);
        }

        public Settings withDefenses(List<String> d) {
            return new Settings(victim, d, seed, db, host, port, maxBatch);
        }

        public Settings withDb(Path file) {
            return new Settings(victim, defenses, seed, file, host, port, maxBatch);
        }

        public Settings withPort(int p) {
            return new Settings(victim, defenses, seed, db, host, p, maxBatch);
        }
    }

    /** Where the accounting lives unless told otherwise: {@code ~/.stealbench/api.db}. */
    public static Path defaultDb() {
        return Path.of(System.getProperty("user.home"), ".stealbench", "api.db");
    }

    private final Settings settings;
    private final ServedVictim served;
    private final AccountingDb accounting;
    private final ApiServer server;

    private VictimServer(Settings settings, ServedVictim served, AccountingDb accounting, ApiServer server) {
        this.settings = settings;
        this.served = served;
        this.accounting = accounting;
        this.server = server;
    }

    /**
     * Loads the victim, builds its defences, opens the database and starts listening; on any failure
     * (a port in use, a bad victim file) what was opened is closed again and the error is thrown.
     * {@code log} is called after every authenticated request once it is recorded (null: no log).
     */
    public static VictimServer start(Settings s, DatasetRegistry registry, Consumer<ApiServer.LogLine> log) {
        ServedVictim served = ServedVictim.open(s.victim(), s.defenses(), s.seed(), registry);
        AccountingDb accounting = null;
        ApiServer server = null;
        try {
            accounting = AccountingDb.open(s.db());
            server = new ApiServer(served.api(), accounting, ApiServer.Limits.forBatch(s.maxBatch(), served.api().inputShape()));
            if (log != null) {
                server.onRequest(log);
            }
            server.start(s.host(), s.port());
            return new VictimServer(s, served, accounting, server);
        } catch (RuntimeException e) {
            if (server != null) {
                server.close();
            }
            if (accounting != null) {
                accounting.close();
            }
            served.close();
            throw e;
        }
    }

    public Settings settings() {
        return settings;
    }

    /** The port it listens on (the free one picked when the settings said 0). */
    public int port() {
        return server.port();
    }

    /** The base URL an experiment's {@code api} field takes. */
    public String url() {
        String host = settings.host().equals("0.0.0.0") ? "127.0.0.1" : settings.host();
        return "http://" + host + ":" + port();
    }

    /** Channels, height and width of the images it takes. */
    public int[] inputShape() {
        return served.api().inputShape();
    }

    public int outputDim() {
        return served.api().outputDim();
    }

    /** The accounting (also for issuing keys while it serves). */
    public AccountingDb accounting() {
        return accounting;
    }

    /** Stops listening, then closes the database and frees the victim. */
    @Override
    public void close() {
        try {
            server.close();
        } finally {
            try {
                accounting.close();
            } finally {
                served.close();
            }
        }
    }
}
