package org.stealbench.api.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.stealbench.api.Challenge;
import org.stealbench.api.Defense;
import org.stealbench.api.InProcessEncoderApi;
import org.stealbench.api.Proof;
import org.stealbench.api.QueryAccount;
import org.stealbench.api.QueryRefusedException;

/**
 * The victim's encoder API over HTTP (Javalin on Jetty), in front of an {@link InProcessEncoderApi}
 * that holds the victim and the defence chain; keys, budgets, rates and the accounting live in an
 * {@link AccountingDb}. Routes (described in {@code /openapi.json}):
 * <ul>
 * <li>{@code GET /v1/info}: the input shape, output length, limits and defences (no key needed);</li>
 * <li>{@code POST /v1/represent}: images in ({@value TensorCodec#TENSOR} [n, C, H, W], or PNG files
 * as multipart parts named {@code image}, or one {@code image/png} body), representations out
 * (JSON, or the tensor format when the request accepts it);</li>
 * <li>{@code GET /v1/challenge?n=N}: the proof-of-work puzzle for the next request, in headers
 * ({@code X-PoW-Challenge}, {@code X-PoW-Bits}, {@code X-PoW-Images}, {@code X-PoW-Expires}); the
 * proof goes back in {@code X-PoW-Id} and {@code X-PoW-Nonces};</li>
 * <li>{@code GET /v1/account}: the caller's own accounting;</li>
 * <li>{@code GET /v1/admin/clients}, {@code GET /v1/admin/requests}: every client's accounting and
 * the request log, for owner keys.</li>
 * </ul>
 * Keys come as {@code Authorization: Bearer KEY} or {@code X-API-Key: KEY}. A request is checked
 * (key, size, format) before anything is counted; then, one request at a time, the client's block,
 * budget and rate, the defences and the victim; its accounting is committed whole before the answer
 * is sent. Status codes: 400 malformed input (with the reason), 401 no or wrong key, 403 refused by a
 * defence or blocked, 413 body or batch over the limits, 429 over budget (no Retry-After: budgets do
 * not refill) or over the rate (with Retry-After).
 */
public final class ApiServer implements AutoCloseable {

    /** Request limits. */
    public record Limits(int maxBatch, long maxBodyBytes) {
        /** 1,024 images a request. */
        public static Limits defaults(int[] chw) {
            return forBatch(1024, chw);
        }

        /** {@code maxBatch} images a request, and the bytes that many take as float32 (PNGs are smaller), plus headroom. */
        public static Limits forBatch(int maxBatch, int[] chw) {
            return new Limits(maxBatch, 64 * 1024 + 4L * maxBatch * chw[0] * chw[1] * chw[2]);
        }
    }

    /** One answered or refused request, as the live log shows it. */
    public record LogLine(long atMillis, String client, int images, int status, String outcome, String detail) {
    }

    /** A route: method (lower case, as in OpenAPI) and path. */
    public record Route(String method, String path) {
    }

    /** Every route the server has; /openapi.json describes each (a test holds the two together). */
    public static final List<Route> ROUTES = List.of(new Route("get", "/openapi.json"), new Route("get", "/v1/info"),
            new Route("get", "/v1/challenge"), new Route("post", "/v1/represent"), new Route("get", "/v1/account"),
            new Route("get", "/v1/admin/clients"), new Route("get", "/v1/admin/requests"));

    static final ObjectMapper JSON = new ObjectMapper();
    private final InProcessEncoderApi api;
    private final AccountingDb db;
    private final Limits limits;
    private final Object lock = new Object();
    private final Map<String, TokenBucket> rates = new ConcurrentHashMap<>();
    private final Map<String, Integer> challengeBits = new ConcurrentHashMap<>();
    private volatile Consumer<LogLine> log = l -> { };
    private final Javalin app;

    public ApiServer(InProcessEncoderApi api, AccountingDb db, Limits limits) {
        this.api = api;
        this.db = db;
        this.limits = limits;
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.http.maxRequestSize = limits.maxBodyBytes();
            // multipart uploads: the same bound on the whole request and on any one part (unbounded by default)
            config.jetty.multipartConfig.maxTotalRequestSize(limits.maxBodyBytes(), io.javalin.config.SizeUnit.BYTES);
            config.jetty.multipartConfig.maxFileSize(limits.maxBodyBytes(), io.javalin.config.SizeUnit.BYTES);
            Map<String, io.javalin.http.Handler> handlers = Map.of("/openapi.json", this::openApi, "/v1/info", this::info, "/v1/challenge",
                    this::challenge, "/v1/represent", this::represent, "/v1/account", this::account, "/v1/admin/clients", this::clients,
                    "/v1/admin/requests", this::requests);
            for (Route r : ROUTES) {
                if (r.method().equals("post")) {
                    config.routes.post(r.path(), handlers.get(r.path()));
                } else {
                    config.routes.get(r.path(), handlers.get(r.path()));
                }
            }
            config.routes.exception(HttpError.class, (e, ctx) -> error(ctx, e.status, e.code, e.getMessage()));
            config.routes.exception(TensorCodec.BadInput.class, (e, ctx) -> error(ctx, 400, "bad-request", e.getMessage()));
            config.routes.exception(Exception.class, (e, ctx) -> {
                org.slf4j.LoggerFactory.getLogger(ApiServer.class).warn("request failed", e);
                error(ctx, 500, "internal", "the server failed: " + e.getClass().getSimpleName());
            });
        });
    }

    /** Starts listening on {@code host:port} (port 0: a free one, see {@link #port()}). */
    public ApiServer start(String host, int port) {
        app.start(host, port);
        return this;
    }

    public int port() {
        return app.port();
    }

    /** Called after every authenticated request, answered or refused, once it is recorded (for live views). */
    public void onRequest(Consumer<LogLine> listener) {
        this.log = listener;
    }

    @Override
    public void close() {
        app.stop();
    }

    /** A refusal with its status, machine-readable code and reason. */
    static final class HttpError extends RuntimeException {
        final int status;
        final String code;

        HttpError(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    private static void error(Context ctx, int status, String code, String message) {
        ctx.status(status).contentType("application/json").result(json(Map.of("error", code, "message", message)));
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void openApi(Context ctx) throws IOException {
        try (InputStream in = ApiServer.class.getResourceAsStream("openapi.json")) {
            ctx.contentType("application/json").result(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private void info(Context ctx) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("inputShape", api.inputShape());
        m.put("outputDim", api.outputDim());
        m.put("maxBatch", limits.maxBatch());
        m.put("maxBodyBytes", limits.maxBodyBytes());
        m.put("defenses", api.defenses().stream().map(Defense::name).toList());
        m.put("formats", List.of(TensorCodec.TENSOR, "image/png", "multipart/form-data", "application/json"));
        ctx.contentType("application/json").result(json(m));
    }

    /** The client of the request's key; 401 (and nothing counted) without a valid one. */
    private AccountingDb.Client authenticate(Context ctx) {
        String key = ctx.header("X-API-Key");
        String auth = ctx.header("Authorization");
        if (key == null && auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            key = auth.substring(7).trim();
        }
        AccountingDb.Client c = key == null ? null : db.authenticate(key);
        if (c == null) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new HttpError(401, "unauthorized", key == null ? "no API key: send 'Authorization: Bearer KEY' or 'X-API-Key: KEY'"
                    : "unknown API key");
        }
        return c;
    }

    private void challenge(Context ctx) {
        AccountingDb.Client c = authenticate(ctx);
        int n = parseCount(ctx.queryParam("n"));
        Challenge ch;
        synchronized (lock) {
            ch = api.challenge(c.name(), n);
        }
        if (ch == null) {
            ctx.status(204);
            return;
        }
        challengeBits.put(ch.id(), ch.bits());
        ctx.header("X-PoW-Challenge", ch.id()).header("X-PoW-Bits", Integer.toString(ch.bits()))
                .header("X-PoW-Images", Integer.toString(ch.images())).header("X-PoW-Expires", Long.toString(ch.expiresAtMillis()));
        ctx.contentType("application/json").result(json(ch));
    }

    private int parseCount(String s) {
        int n;
        try {
            n = Integer.parseInt(s == null ? "" : s.trim());
        } catch (NumberFormatException e) {
            throw new HttpError(400, "bad-request", "n must be the number of images of the next request, not '" + s + "'");
        }
        if (n < 1) {
            throw new HttpError(400, "bad-request", "n must be at least 1");
        }
        if (n > limits.maxBatch()) {
            throw new HttpError(413, "too-large", "at most " + limits.maxBatch() + " images a request, not " + n);
        }
        return n;
    }

    /** The request's images, checked: NCHW floats and their count. */
    private record Images(float[] values, int n) {
    }

    private Images readImages(Context ctx) {
        int[] chw = api.inputShape();
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(java.util.Locale.ROOT);
        if (type.startsWith("multipart/form-data")) {
            checkDeclaredLength(ctx);
            List<io.javalin.http.UploadedFile> files;
            try {
                files = ctx.uploadedFiles("image");
            } catch (Exception e) {
                // Jetty's multipart parser stops at the limits (a message "max length exceeded" down the causes) or at bad syntax,
                // and then drops the connection: say so, or a client reusing it finds it dead; what is left of the body is read first
                drain(ctx, -1);
                ctx.header("Connection", "close");
                for (Throwable t = e; t != null; t = t.getCause()) {
                    if (t.getMessage() != null && t.getMessage().contains("max length exceeded")) {
                        throw new HttpError(413, "too-large", "the body may hold at most " + limits.maxBodyBytes() + " bytes");
                    }
                }
                throw new TensorCodec.BadInput("malformed multipart body: " + e.getMessage());
            }
            if (files.isEmpty()) {
                throw new TensorCodec.BadInput("a multipart request sends its PNG files as parts named 'image'");
            }
            checkBatch(files.size());
            List<byte[]> bytes = new ArrayList<>();
            for (var f : files) {
                try (InputStream in = f.content()) {
                    bytes.add(in.readAllBytes());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return new Images(TensorCodec.pngs(bytes, chw), files.size());
        }
        byte[] body = body(ctx);
        if (type.startsWith("image/png")) {
            return new Images(TensorCodec.png(body, chw), 1);
        }
        if (type.startsWith(TensorCodec.TENSOR) || type.startsWith("application/octet-stream")) {
            if (body.length >= 8) {
                // the batch size is the first dimension: refuse an oversized batch by its header
                int n = java.nio.ByteBuffer.wrap(body, 4, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
                checkBatch(n);
            }
            TensorCodec.Tensor t = TensorCodec.decode(body, 4);
            return new Images(t.values(), TensorCodec.images(t, chw));
        }
        throw new TensorCodec.BadInput("send images as " + TensorCodec.TENSOR + " (shape [n, " + chw[0] + ", " + chw[1] + ", " + chw[2]
                + "]), image/png or multipart/form-data PNG parts named 'image'; not '" + type + "'");
    }

    private void checkBatch(int n) {
        if (n > limits.maxBatch()) {
            throw new HttpError(413, "too-large", "at most " + limits.maxBatch() + " images a request, not " + n);
        }
    }

    /** The body, read to at most the limit: a larger one, announced or not, is a 413 before it is all read. */
    /**
     * Up to this many bytes of a refused body are read and dropped before the refusal is sent: a
     * server that answers and closes with the body unread makes the kernel reset the connection,
     * which can destroy the answer before the client reads it. Larger bodies get the answer and a
     * closed connection.
     */
    static final long DRAIN = 1 << 20;

    private void checkDeclaredLength(Context ctx) {
        long declared = ctx.contentLength();
        if (declared > limits.maxBodyBytes()) {
            drain(ctx, declared);
            throw new HttpError(413, "too-large", "the body may hold at most " + limits.maxBodyBytes() + " bytes, not " + declared);
        }
    }

    /** Reads and drops up to {@link #DRAIN} bytes of the body ({@code declared}: its announced length, -1 when unknown). */
    private static void drain(Context ctx, long declared) {
        if (declared > DRAIN) {
            ctx.header("Connection", "close");
            return;
        }
        try {
            InputStream in = ctx.req().getInputStream();
            long left = DRAIN;
            byte[] sink = new byte[8192];
            int n;
            while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
                left -= n;
            }
            if (left == 0) {
                ctx.header("Connection", "close");
            }
        } catch (IOException | RuntimeException e) {
            ctx.header("Connection", "close");
        }
    }

    private byte[] body(Context ctx) {
        checkDeclaredLength(ctx);
        try (InputStream in = ctx.bodyInputStream()) {
            byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limits.maxBodyBytes() + 1));
            if (b.length > limits.maxBodyBytes()) {
                drain(ctx, -1);
                throw new HttpError(413, "too-large", "the body may hold at most " + limits.maxBodyBytes() + " bytes");
            }
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException("the request's body could not be read", e);
        }
    }

    private static Proof proof(Context ctx) {
        String id = ctx.header("X-PoW-Id");
        String nonces = ctx.header("X-PoW-Nonces");
        if (id == null && nonces == null) {
            return null;
        }
        if (id == null || nonces == null) {
            throw new TensorCodec.BadInput("a proof of work needs both X-PoW-Id and X-PoW-Nonces");
        }
        try {
            return new Proof(id, Arrays.stream(nonces.split(",")).map(String::trim).mapToLong(Long::parseLong).toArray());
        } catch (NumberFormatException e) {
            throw new TensorCodec.BadInput("X-PoW-Nonces is a comma-separated list of integers");
        }
    }

    private void represent(Context ctx) {
        AccountingDb.Client key = authenticate(ctx);
        Images images = readImages(ctx);
        checkBatch(images.n());
        Proof proof = proof(ctx);
        int n = images.n();
        String name = key.name();
        INDArray out;
        long remaining;
        String detail;
        synchronized (lock) {
            AccountingDb.Client c = db.client(name);
            if (c.blockedReason() != null) {
                refuse(name, n, 403, "blocked", "client '" + name + "' is blocked: " + c.blockedReason(), AccountingDb.Usage.denied(n, 0), null);
            }
            if (c.answered() + n > c.budget()) {
                refuse(name, n, 429, "budget", "client '" + name + "': " + n + " more queries would exceed the budget of " + c.budget() + " ("
                        + c.answered() + " used)", AccountingDb.Usage.refused(n), null);
            }
            if (c.ratePerMinute() > 0) {
                TokenBucket bucket = rates.computeIfAbsent(name, k -> new TokenBucket(c.ratePerMinute(), System::nanoTime));
                if (n > c.ratePerMinute()) {
                    throw new HttpError(413, "too-large", "this key may send at most " + c.ratePerMinute() + " images a minute; send smaller batches");
                }
                long waitSeconds = bucket.take(n);
                if (waitSeconds > 0) {
                    ctx.header("Retry-After", Long.toString(waitSeconds));
                    refuse(name, n, 429, "rate", "client '" + name + "': over the rate of " + c.ratePerMinute() + " images a minute; retry in "
                            + waitSeconds + " s", AccountingDb.Usage.refused(n), null);
                }
            }
            QueryAccount before = api.account(name);
            try {
                out = api.query(name, images.values(), n, proof);
            } catch (QueryRefusedException e) {
                QueryAccount after = api.account(name);
                refuse(name, n, 403, "denied", e.getMessage(), AccountingDb.Usage.denied(n, after.computeSeconds() - before.computeSeconds()),
                        e.blocksClient() ? e.getMessage() : null);
                return;
            }
            QueryAccount after = api.account(name);
            Integer bits = proof == null ? null : challengeBits.remove(proof.challengeId());
            double hashes = bits == null ? 0 : n * Math.pow(2, bits);
            long flagged = after.flagged() - before.flagged();
            List<String> verdicts = new ArrayList<>();
            if (flagged > 0) {
                verdicts.add("flagged " + flagged + " of " + n + " images");
            }
            if (bits != null) {
                verdicts.add("proof of work at " + bits + " bits");
            }
            detail = verdicts.isEmpty() ? null : String.join("; ", verdicts);
            db.record(name, n, "answered", 200, detail, AccountingDb.Usage.answered(n, flagged, hashes, bits == null ? 0 : bits,
                    after.computeSeconds() - before.computeSeconds()), null);
            remaining = c.budget() - c.answered() - n;
        }
        log.accept(new LogLine(System.currentTimeMillis(), name, n, 200, "answered", detail));
        int dim = (int) out.size(1);
        float[] values = out.castTo(DataType.FLOAT).reshape(out.length()).toFloatVector();
        ctx.header("X-Queries-Remaining", Long.toString(remaining));
        String accept = ctx.header("Accept");
        if (accept != null && accept.contains(TensorCodec.TENSOR)) {
            ctx.contentType(TensorCodec.TENSOR).result(TensorCodec.encode(new int[] {n, dim}, values));
        } else {
            float[][] rows = new float[n][];
            for (int i = 0; i < n; i++) {
                rows[i] = Arrays.copyOfRange(values, i * dim, (i + 1) * dim);
            }
            ctx.contentType("application/json").result(json(Map.of("n", n, "dim", dim, "representations", rows)));
        }
    }

    /** Records a refused request whole and answers with its status. */
    private void refuse(String client, int n, int status, String outcome, String why, AccountingDb.Usage usage, String block) {
        db.record(client, n, outcome, status, why, usage, block);
        log.accept(new LogLine(System.currentTimeMillis(), client, n, status, outcome, why));
        throw new HttpError(status, outcome, why);
    }

    private void account(Context ctx) {
        AccountingDb.Client c = authenticate(ctx);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("client", db.client(c.name()));
        synchronized (lock) {
            m.put("defenses", api.defenseState(c.name()));
        }
        ctx.contentType("application/json").result(json(m));
    }

    private AccountingDb.Client owner(Context ctx) {
        AccountingDb.Client c = authenticate(ctx);
        if (!c.owner()) {
            throw new HttpError(403, "forbidden", "only an owner key may read every client's accounting");
        }
        return c;
    }

    private void clients(Context ctx) {
        owner(ctx);
        ctx.contentType("application/json").result(json(db.clients()));
    }

    private void requests(Context ctx) {
        owner(ctx);
        long after;
        int limit;
        try {
            after = Long.parseLong(ctx.queryParamAsClass("after", String.class).getOrDefault("0"));
            limit = Integer.parseInt(ctx.queryParamAsClass("limit", String.class).getOrDefault("100"));
        } catch (NumberFormatException e) {
            throw new HttpError(400, "bad-request", "after and limit are whole numbers");
        }
        ctx.contentType("application/json").result(json(db.requests(after, Math.max(1, Math.min(1000, limit)))));
    }
}
