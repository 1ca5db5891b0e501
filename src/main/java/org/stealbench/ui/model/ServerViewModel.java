package org.stealbench.ui.model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.stealbench.api.http.AccountingDb;
import org.stealbench.api.http.ApiServer;
import org.stealbench.data.DatasetRegistry;
import org.stealbench.defense.DefenseCatalog;
import org.stealbench.experiment.ExperimentConfig;
import org.stealbench.experiment.VictimServer;

/**
 * The Server view's state: a local HTTP server for the victim ({@link VictimServer}), started and
 * stopped on a background executor; its live query log (newest first, the last {@value #LOG_LINES}
 * requests) and every client's accounting, brought onto the FX thread by {@link #drain()} (the
 * workbench's event pump), so the server's threads never touch the scene. Keys are issued here
 * too: for a person's own tools (shown once), or for the workbench's own thefts through the server.
 */
public final class ServerViewModel {

    /** Log lines kept for the view. */
    public static final int LOG_LINES = 2000;

    private final DatasetRegistry registry;
    private final Executor background;
    private final Executor fx;
    private final Path db;
    private final StringProperty defenses = new SimpleStringProperty("");
    private final IntegerProperty port = new SimpleIntegerProperty(8080);
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("Stopped. Start serves the victim of the experiment panel over HTTP.");
    private final ReadOnlyStringWrapper url = new ReadOnlyStringWrapper("");
    private final BooleanProperty lastKeyShown = new SimpleBooleanProperty(false);
    private final StringProperty lastKey = new SimpleStringProperty("");
    private final ObservableList<ApiServer.LogLine> log = FXCollections.observableArrayList();
    private final ObservableList<AccountingDb.Client> clients = FXCollections.observableArrayList();
    private final Queue<ApiServer.LogLine> arrived = new ConcurrentLinkedQueue<>();
    private volatile VictimServer server;
    private int theftCounter;

    /**
     * @param db the accounting database the server opens (the CLI's {@code serve} default, so
     *           {@code serve accounts} reads the same clients)
     */
    public ServerViewModel(DatasetRegistry registry, Path db, Executor background, Executor fx) {
        this.registry = registry;
        this.db = db;
        this.background = background;
        this.fx = fx;
    }

    /** Defences in front of the served victim, comma-separated as an experiment names them; "" for none. */
    public StringProperty defensesProperty() {
        return defenses;
    }

    /** The port to listen on (0: any free one). */
    public IntegerProperty portProperty() {
        return port;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** True while the server starts or stops. */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** The base URL while it serves, "" otherwise. */
    public ReadOnlyStringProperty urlProperty() {
        return url.getReadOnlyProperty();
    }

    /** The last key issued here (shown once in the view, never stored). */
    public StringProperty lastKeyProperty() {
        return lastKey;
    }

    public BooleanProperty lastKeyShownProperty() {
        return lastKeyShown;
    }

    /** The request log, newest first. */
    public ObservableList<ApiServer.LogLine> log() {
        return log;
    }

    /** Every client of the database with its accounting, refreshed as requests arrive. */
    public ObservableList<AccountingDb.Client> clients() {
        return clients;
    }

    public Path db() {
        return db;
    }

    /** The defence list of {@link #defensesProperty()}, or the reason it is not valid. */
    public List<String> defenseList() {
        List<String> out = new ArrayList<>();
        for (String d : defenses.get().split(",")) {
            if (!d.isBlank()) {
                String why = DefenseCatalog.check(d.strip());
                if (why != null) {
                    throw new IllegalArgumentException(why);
                }
                out.add(d.strip());
            }
        }
        return out;
    }

    /** Starts serving {@code victim} (a file, or {@link ExperimentConfig#BUNDLED}) in the background; a failure shows in the status. */
    public void start(String victim) {
        if (running.get() || busy.get()) {
            return;
        }
        List<String> chain;
        try {
            chain = defenseList();
        } catch (IllegalArgumentException e) {
            status.set("Cannot start: " + e.getMessage());
            return;
        }
        VictimServer.Settings settings = VictimServer.Settings.defaults().withVictim(victim).withDefenses(chain).withDb(db).withPort(port.get());
        busy.set(true);
        status.set("Starting: loading the victim" + (chain.isEmpty() ? "" : " and calibrating its defences") + "...");
        background.execute(() -> {
            try {
                VictimServer s = VictimServer.start(settings, registry, arrived::add);
                List<AccountingDb.Client> now = s.accounting().clients();
                fx.execute(() -> {
                    server = s;
                    busy.set(false);
                    url.set(s.url());
                    clients.setAll(now);
                    int[] chw = s.inputShape();
                    status.set(String.format(Locale.ROOT, "Serving %s on %s: %dx%dx%d images in, %d-d representations out; defences: %s. "
                            + "Accounting in %s.", victim.equals(ExperimentConfig.BUNDLED) ? "the bundled victim" : victim, s.url(), chw[0], chw[1],
                            chw[2], s.outputDim(), chain.isEmpty() ? "none" : String.join(", ", chain), db));
                    // last: whoever watches 'running' finds the address, clients and status already there
                    running.set(true);
                });
            } catch (RuntimeException e) {
                String why = e.getMessage() != null ? e.getMessage() : e.toString();
                fx.execute(() -> {
                    busy.set(false);
                    status.set("Could not start the server: " + why + (why.contains("ind") || why.contains("port") ? " (is the port in use? try 0 for any free one)" : ""));
                });
            }
        });
    }

    /** Stops serving (in the background); requests in flight finish first. */
    public void stop() {
        VictimServer s = server;
        if (s == null || busy.get()) {
            return;
        }
        busy.set(true);
        status.set("Stopping...");
        background.execute(() -> {
            s.close();
            fx.execute(() -> {
                server = null;
                busy.set(false);
                url.set("");
                status.set("Stopped. The accounting stays in " + db + " (scripts/stealbench serve accounts --db " + db + ").");
                running.set(false);
            });
        });
    }

    /** Stops now, on the calling thread (the window is closing). */
    public void close() {
        VictimServer s = server;
        server = null;
        if (s != null) {
            s.close();
        }
    }

    /**
     * Issues a key for a new client of the running server and shows it once; null (with the reason
     * in the status) when no server runs or the name is taken.
     */
    public String issueKey(String name, long budget, long ratePerMinute) {
        VictimServer s = server;
        if (s == null) {
            status.set("Start the server before issuing keys.");
            return null;
        }
        try {
            String key = s.accounting().addClient(name.strip(), budget, ratePerMinute, false);
            lastKey.set(key);
            lastKeyShown.set(true);
            clients.setAll(s.accounting().clients());
            return key;
        } catch (RuntimeException e) {
            status.set("Cannot issue the key: " + e.getMessage());
            return null;
        }
    }

    /**
     * Keys for a theft of the workbench through this server: {@code sybils} new clients named
     * {@code workbench-N[-i]}, each with its share of {@code queries} as its budget.
     */
    public List<String> theftKeys(int sybils, long queries) {
        VictimServer s = server;
        if (s == null) {
            throw new IllegalStateException("the server is not running");
        }
        List<String> keys = new ArrayList<>();
        List<String> names = s.accounting().clients().stream().map(AccountingDb.Client::name).toList();
        String base;
        do {
            base = "workbench-" + (++theftCounter);
        } while (names.contains(base) || names.contains(base + "-1"));
        long share = (queries + sybils - 1) / sybils;
        for (int i = 1; i <= sybils; i++) {
            keys.add(s.accounting().addClient(sybils == 1 ? base : base + "-" + i, share, 0, false));
        }
        clients.setAll(s.accounting().clients());
        return keys;
    }

    /** Moves the requests that arrived into the log and refreshes the accounting; returns whether any arrived (FX thread). */
    public boolean drain() {
        List<ApiServer.LogLine> batch = new ArrayList<>();
        for (ApiServer.LogLine l; (l = arrived.poll()) != null; ) {
            batch.add(l);
        }
        if (batch.isEmpty()) {
            return false;
        }
        java.util.Collections.reverse(batch);
        log.addAll(0, batch);
        if (log.size() > LOG_LINES) {
            log.remove(LOG_LINES, log.size());
        }
        VictimServer s = server;
        if (s != null) {
            try {
                clients.setAll(s.accounting().clients());
            } catch (RuntimeException e) {
                // closing: the next drain reads them again
            }
        }
        return true;
    }

    /** A log line's outcome in words for the view ("answered", "refused: budget", "denied by a defence"...). */
    public static String outcome(ApiServer.LogLine l) {
        switch (l.outcome()) {
            case "answered":
                return "answered";
            case "denied":
                return "denied by a defence";
            case "blocked":
                return "refused: blocked client";
            default:
                return "refused: " + l.outcome();
        }
    }

    /** Columns of the log as text, for tests and export. */
    public static List<String> columns(ApiServer.LogLine l) {
        return Arrays.asList(column(l, 0), column(l, 1), column(l, 2), column(l, 3), column(l, 4), column(l, 5));
    }

    /** Column {@code i} of the log as text: time, client, images, status, outcome, verdict or reason. */
    public static String column(ApiServer.LogLine l, int i) {
        switch (i) {
            case 0:
                return String.format(Locale.ROOT, "%tT", l.atMillis());
            case 1:
                return l.client();
            case 2:
                return Integer.toString(l.images());
            case 3:
                return Integer.toString(l.status());
            case 4:
                return outcome(l);
            default:
                return l.detail() == null ? "" : l.detail();
        }
    }
}
