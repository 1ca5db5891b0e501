package org.stealbench.api.http;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.flywaydb.core.Flyway;

/**
 * The API's clients and their accounting in an SQLite file, its schema kept by Flyway's migrations
 * (classpath {@code org/stealbench/api/http/migration}). Keys are stored as SHA-256 hashes and
 * matched in constant time; each request's accounting and its line in the request log are one
 * transaction, so a request is counted whole or not at all, and a kill loses nothing committed
 * (write-ahead log; {@code synchronous=NORMAL} is durable against a crashed process, not a lost
 * machine). One connection, used under this object's lock: the server serialises its requests
 * anyway (the victim answers one at a time).
 */
public final class AccountingDb implements AutoCloseable {

    /** A client as stored: its limits and running accounting (never its key). */
    public record Client(String name, boolean owner, long budget, long ratePerMinute, String createdAt, long answered, long refused,
                         long denied, long flagged, double powHashes, int powMaxBits, double computeSeconds, String blockedReason,
                         String blockedAt) {
        /** Images it may still have answered. */
        public long remaining() {
            return Math.max(0, budget - answered);
        }
    }

    /** One line of the request log. */
    public record Request(long id, String at, String client, int images, String outcome, int status, String detail) {
    }

    /** What one request did to a client's accounting (all zero but one or two fields, usually). */
    public record Usage(long answered, long refused, long denied, long flagged, double powHashes, int powBits, double computeSeconds) {
        public static Usage answered(long n, long flagged, double powHashes, int powBits, double seconds) {
            return new Usage(n, 0, 0, flagged, powHashes, powBits, seconds);
        }

        public static Usage refused(long n) {
            return new Usage(0, n, 0, 0, 0, 0, 0);
        }

        public static Usage denied(long n, double seconds) {
            return new Usage(0, 0, n, 0, 0, 0, seconds);
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private final Path file;
    private final Connection db;

    private AccountingDb(Path file, Connection db) {
        this.file = file;
        this.db = db;
    }

    /** Opens (creating and migrating as needed) the database file. */
    public static AccountingDb open(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            String url = "jdbc:sqlite:" + file.toAbsolutePath();
            Flyway.configure().dataSource(url, null, null).locations("classpath:org/stealbench/api/http/migration")
                    .loggers("slf4j").load().migrate();
            Connection c = DriverManager.getConnection(url);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=NORMAL");
                s.execute("PRAGMA foreign_keys=ON");
                s.execute("PRAGMA busy_timeout=5000");
            }
            return new AccountingDb(file, c);
        } catch (SQLException | java.io.IOException e) {
            throw new IllegalStateException("cannot open the API's database " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot open or migrate the API's database " + file + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    /** SHA-256 of a key, hex. */
    static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new random key: 32 bytes from a secure generator, URL-safe. */
    static String newKey() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return "sb_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /**
     * Adds a client and returns its key (shown once: only its hash is kept).
     *
     * @param ratePerMinute images per minute, 0 for no limit
     */
    public synchronized String addClient(String name, long budget, long ratePerMinute, boolean owner) {
        if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("a client's name is 1-64 letters, digits, '.', '_' or '-', not '" + name + "'");
        }
        if (budget < 0 || ratePerMinute < 0) {
            throw new IllegalArgumentException("budget and rate cannot be negative");
        }
        String key = newKey();
        try (PreparedStatement p = db.prepareStatement(
                "INSERT INTO client (name, key_hash, owner, budget, rate_per_minute, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            p.setString(1, name);
            p.setString(2, hash(key));
            p.setInt(3, owner ? 1 : 0);
            p.setLong(4, budget);
            p.setLong(5, ratePerMinute);
            p.setString(6, Instant.now().toString());
            p.executeUpdate();
        } catch (SQLException e) {
            if (e.getMessage() != null && e.getMessage().contains("UNIQUE")) {
                throw new IllegalArgumentException("a client named '" + name + "' exists already");
            }
            throw new IllegalStateException(e);
        }
        return key;
    }

    /**
     * The client whose key this is, or null. Every stored hash is compared, in constant time
     * (MessageDigest.isEqual), with no early exit: how long it takes says nothing of the key.
     */
    public synchronized Client authenticate(String key) {
        if (key == null || key.isEmpty() || key.length() > 200) {
            return null;
        }
        byte[] given = hash(key).getBytes(StandardCharsets.US_ASCII);
        String match = null;
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT name, key_hash FROM client")) {
            while (r.next()) {
                boolean eq = MessageDigest.isEqual(given, r.getString(2).getBytes(StandardCharsets.US_ASCII));
                if (eq && match == null) {
                    match = r.getString(1);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return match == null ? null : client(match);
    }

    /** The client of that name, or null. */
    public synchronized Client client(String name) {
        try (PreparedStatement p = db.prepareStatement("SELECT * FROM client WHERE name = ?")) {
            p.setString(1, name);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? read(r) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every client, by name. */
    public synchronized List<Client> clients() {
        List<Client> out = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT * FROM client ORDER BY name")) {
            while (r.next()) {
                out.add(read(r));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static Client read(ResultSet r) throws SQLException {
        return new Client(r.getString("name"), r.getInt("owner") == 1, r.getLong("budget"), r.getLong("rate_per_minute"),
                r.getString("created_at"), r.getLong("answered"), r.getLong("refused"), r.getLong("denied"), r.getLong("flagged"),
                r.getDouble("pow_hashes"), r.getInt("pow_max_bits"), r.getDouble("compute_seconds"), r.getString("blocked_reason"),
                r.getString("blocked_at"));
    }

    /**
     * Adds one request's usage to its client and writes its log line, in one transaction;
     * {@code block}, when not null, marks the client refused from now on (a defence flagged it).
     */
    public synchronized void record(String client, int images, String outcome, int status, String detail, Usage u, String block) {
        try {
            db.setAutoCommit(false);
            try (PreparedStatement p = db.prepareStatement("UPDATE client SET answered = answered + ?, refused = refused + ?, "
                    + "denied = denied + ?, flagged = flagged + ?, pow_hashes = pow_hashes + ?, pow_max_bits = max(pow_max_bits, ?), "
                    + "compute_seconds = compute_seconds + ? WHERE name = ?")) {
                p.setLong(1, u.answered());
                p.setLong(2, u.refused());
                p.setLong(3, u.denied());
                p.setLong(4, u.flagged());
                p.setDouble(5, u.powHashes());
                p.setInt(6, u.powBits());
                p.setDouble(7, u.computeSeconds());
                p.setString(8, client);
                if (p.executeUpdate() != 1) {
                    throw new SQLException("no client named '" + client + "'");
                }
            }
            if (block != null) {
                try (PreparedStatement p = db.prepareStatement(
                        "UPDATE client SET blocked_reason = ?, blocked_at = ? WHERE name = ? AND blocked_reason IS NULL")) {
                    p.setString(1, block);
                    p.setString(2, Instant.now().toString());
                    p.setString(3, client);
                    p.executeUpdate();
                }
            }
            try (PreparedStatement p = db.prepareStatement(
                    "INSERT INTO request (at, client, images, outcome, status, detail) VALUES (?, ?, ?, ?, ?, ?)")) {
                p.setString(1, Instant.now().toString());
                p.setString(2, client);
                p.setInt(3, images);
                p.setString(4, outcome);
                p.setInt(5, status);
                p.setString(6, detail);
                p.executeUpdate();
            }
            db.commit();
        } catch (SQLException e) {
            try {
                db.rollback();
            } catch (SQLException ignored) {
                // the commit's own failure is the one to report
            }
            throw new IllegalStateException("could not record a request of '" + client + "': " + e.getMessage(), e);
        } finally {
            try {
                db.setAutoCommit(true);
            } catch (SQLException ignored) {
                // the connection is gone; the next call reports it
            }
        }
    }

    /** The request log after line {@code afterId}, oldest first, at most {@code limit} lines. */
    public synchronized List<Request> requests(long afterId, int limit) {
        List<Request> out = new ArrayList<>();
        try (PreparedStatement p = db.prepareStatement("SELECT * FROM request WHERE id > ? ORDER BY id LIMIT ?")) {
            p.setLong(1, afterId);
            p.setInt(2, limit);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new Request(r.getLong("id"), r.getString("at"), r.getString("client"), r.getInt("images"), r.getString("outcome"),
                            r.getInt("status"), r.getString("detail")));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
