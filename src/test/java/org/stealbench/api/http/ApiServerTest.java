package org.stealbench.api.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stealbench.api.ApiClient;
import org.stealbench.api.Defense;
import org.stealbench.api.InProcessEncoderApi;
import org.stealbench.api.QueryRefusedException;
import org.stealbench.data.ImageDataset;
import org.stealbench.data.TestData;
import org.stealbench.defense.DefenseCatalog;
import org.stealbench.defense.DefenseContext;
import org.stealbench.model.Architecture;
import org.stealbench.model.Encoder;
import org.stealbench.model.EncoderSpec;
import org.stealbench.model.NativeBackend;

/** The HTTP API on a free loopback port: formats, every refusal, exact budgets under concurrency, accounting across restarts. */
class ApiServerTest {

    @TempDir
    Path tmp;

    final ImageDataset images = TestData.random(64, 1, 16, 16, 2, 3);
    final HttpClient http = HttpClient.newHttpClient();
    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    Encoder victim() {
        NativeBackend.configure();
        Encoder v = new Encoder(EncoderSpec.of(Architecture.SMALL_CNN, 1, 16, 16, null), 1);
        open.add(v);
        return v;
    }

    AccountingDb db() {
        AccountingDb db = AccountingDb.open(tmp.resolve("api.db"));
        open.add(db);
        return db;
    }

    ApiServer serve(InProcessEncoderApi api, AccountingDb db, ApiServer.Limits limits) {
        ApiServer s = new ApiServer(api, db, limits).start("127.0.0.1", 0);
        open.add(s);
        return s;
    }

    static String url(ApiServer s) {
        return "http://127.0.0.1:" + s.port() + "/";
    }

    HttpResponse<byte[]> post(ApiServer s, String key, String type, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(s) + "v1/represent")).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (type != null) {
            b.header("Content-Type", type);
        }
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static final String BOUNDARY = "sb-test-boundary";

    /** A multipart body of {@code parts} parts named image, each holding {@code content}. */
    static byte[] multipart(int parts, byte[] content) {
        ByteArrayOutputStream mp = new ByteArrayOutputStream();
        for (int i = 0; i < parts; i++) {
            mp.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"x" + i + ".png\"\r\n"
                    + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            mp.writeBytes(content);
            mp.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        mp.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return mp.toByteArray();
    }

    byte[] tensor(int from, int to) {
        return TensorCodec.encode(new int[] {to - from, 1, 16, 16}, images.batch(from, to));
    }

    static String error(HttpResponse<byte[]> r) throws Exception {
        JsonNode j = ApiServer.JSON.readTree(r.body());
        return j.get("error").asText() + ": " + j.get("message").asText();
    }

    @Test
    void answersEqualTheInProcessApiInEveryFormatAndCountEveryImage() throws Exception {
        Encoder v = victim();
        InProcessEncoderApi local = new InProcessEncoderApi(v, Long.MAX_VALUE, false, List.of());
        AccountingDb db = db();
        String key = db.addClient("alice", 1000, 0, false);
        ApiServer s = serve(new InProcessEncoderApi(v, Long.MAX_VALUE, false, List.of()), db, ApiServer.Limits.defaults(new int[] {1, 16, 16}));
        HttpEncoderApi remote = new HttpEncoderApi(URI.create(url(s)), key);
        assertArrayEquals(new int[] {1, 16, 16}, remote.inputShape());
        assertEquals(128, remote.outputDim());
        assertEquals(1000, remote.budget());
        INDArray expected = local.query("x", images.batch(0, 5), 5);
        INDArray got = remote.query(key, images.batch(0, 5), 5);
        assertEquals(expected, got, "binary answers are the in-process ones, bit for bit");

        // JSON out
        HttpResponse<byte[]> r = post(s, key, TensorCodec.TENSOR, tensor(0, 2));
        assertEquals(200, r.statusCode());
        JsonNode j = ApiServer.JSON.readTree(r.body());
        assertEquals(2, j.get("n").asInt());
        assertEquals(expected.getFloat(1, 7), (float) j.get("representations").get(1).get(7).asDouble(), 0f);
        assertEquals("993", r.headers().firstValue("X-Queries-Remaining").orElseThrow());

        // PNG in, one as the body and two as multipart parts: the images quantised to 8 bits, as the client sends them
        float[] img = images.batch(3, 4);
        BufferedImage gray = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
        float[] quantised = new float[256];
        for (int i = 0; i < 256; i++) {
            int level = Math.round(img[i] * 255);
            gray.getRaster().setSample(i % 16, i / 16, 0, level);
            quantised[i] = level / 255f;
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(gray, "png", png);
        INDArray want = local.query("x", quantised, 1);
        HttpResponse<byte[]> one = post(s, key, "image/png", png.toByteArray());
        assertEquals(200, one.statusCode(), () -> new String(one.body(), StandardCharsets.UTF_8));
        assertEquals(want.getFloat(0, 3), (float) ApiServer.JSON.readTree(one.body()).get("representations").get(0).get(3).asDouble(), 1e-5f);
        HttpResponse<byte[]> m = post(s, key, "multipart/form-data; boundary=" + BOUNDARY, multipart(2, png.toByteArray()));
        assertEquals(200, m.statusCode(), () -> new String(m.body(), StandardCharsets.UTF_8));
        assertEquals(2, ApiServer.JSON.readTree(m.body()).get("n").asInt());
        assertEquals(5 + 2 + 1 + 2, remote.account(key).answered());
        assertEquals(10, db.client("alice").answered());
        assertEquals(4, db.requests(0, 100).size());
    }

    @Test
    void badRequestsGetTheirStatusWithAReasonAndNothingIsCounted() throws Exception {
        AccountingDb db = db();
        String key = db.addClient("alice", 100, 0, false);
        ApiServer s = serve(new InProcessEncoderApi(victim(), Long.MAX_VALUE, false, List.of()), db, new ApiServer.Limits(8, 20_000));
        assertEquals(401, post(s, null, TensorCodec.TENSOR, tensor(0, 1)).statusCode());
        HttpResponse<byte[]> wrong = post(s, key + "x", TensorCodec.TENSOR, tensor(0, 1));
        assertEquals(401, wrong.statusCode());
        assertTrue(error(wrong).startsWith("unauthorized"), error(wrong));
        // wrong shape, wrong dtype (float64 bytes), values outside [0, 1], a NaN, a cut header, garbage PNG, an unknown type
        byte[] badShape = TensorCodec.encode(new int[] {2, 1, 8, 8}, new float[128]);
        byte[] asDoubles = ByteBuffer.allocate(4 + 16 + 8 * 256).order(ByteOrder.LITTLE_ENDIAN).putInt(4).putInt(1).putInt(1).putInt(16)
                .putInt(16).array();
        float[] outside = images.batch(0, 1);
        outside[5] = 1.5f;
        float[] nan = images.batch(0, 1);
        nan[9] = Float.NaN;
        Object[][] cases = {
            {TensorCodec.TENSOR, badShape, "shape [n, 1, 16, 16]"},
            {TensorCodec.TENSOR, asDoubles, "little-endian float32"},
            {TensorCodec.TENSOR, TensorCodec.encode(new int[] {1, 1, 16, 16}, outside), "in [0, 1]"},
            {TensorCodec.TENSOR, TensorCodec.encode(new int[] {1, 1, 16, 16}, nan), "in [0, 1]"},
            {TensorCodec.TENSOR, new byte[] {4, 0, 0, 0, 1}, "header"},
            {TensorCodec.TENSOR, new byte[] {9, 0, 0, 0}, "rank"},
            {"image/png", "not a png".getBytes(StandardCharsets.US_ASCII), "PNG"},
            {"text/plain", "hello".getBytes(StandardCharsets.US_ASCII), "send images as"},
            {"multipart/form-data; boundary=" + BOUNDARY, ("--" + BOUNDARY + "\r\nno headers, no end").getBytes(StandardCharsets.US_ASCII),
                "malformed multipart"},
        };
        for (Object[] c : cases) {
            HttpResponse<byte[]> r = post(s, key, (String) c[0], (byte[]) c[1]);
            assertEquals(400, r.statusCode(), (String) c[2]);
            assertTrue(error(r).contains((String) c[2]), error(r));
        }
        // over the batch limit (by the header, before the values are read) and over the body limit
        HttpResponse<byte[]> big = post(s, key, TensorCodec.TENSOR, tensor(0, 9));
        assertEquals(413, big.statusCode());
        assertTrue(error(big).contains("at most 8 images"), error(big));
        assertEquals(413, post(s, key, TensorCodec.TENSOR, new byte[30_000]).statusCode());
        // multipart uploads: a part over the body limit, announced or streamed without a length, and more parts than a batch holds
        byte[] hugePart = multipart(1, new byte[30_000]);
        assertEquals(413, post(s, key, "multipart/form-data; boundary=" + BOUNDARY, hugePart).statusCode(), "announced length");
        HttpRequest chunked = HttpRequest.newBuilder(URI.create(url(s) + "v1/represent")).header("Authorization", "Bearer " + key)
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(multipart(1, new byte[300_000])))).build();
        HttpResponse<byte[]> streamed = http.send(chunked, HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(413, streamed.statusCode(), () -> new String(streamed.body(), StandardCharsets.UTF_8));
        HttpResponse<byte[]> manyParts = post(s, key, "multipart/form-data; boundary=" + BOUNDARY, multipart(9, new byte[10]));
        assertEquals(413, manyParts.statusCode());
        assertTrue(error(manyParts).contains("at most 8 images"), error(manyParts));
        AccountingDb.Client c = db.client("alice");
        assertEquals(0, c.answered() + c.refused() + c.denied(), "nothing of a bad request is counted");
        assertEquals(200, post(s, key, TensorCodec.TENSOR, tensor(0, 8)).statusCode(), "and the server still answers");
        assertEquals(8, db.client("alice").answered());
    }

    @Test
    void aClientThatHangsUpMidRequestIsNotCounted() throws Exception {
        AccountingDb db = db();
        String key = db.addClient("alice", 100, 0, false);
        ApiServer s = serve(new InProcessEncoderApi(victim(), Long.MAX_VALUE, false, List.of()), db, ApiServer.Limits.defaults(new int[] {1, 16, 16}));
        List<ApiServer.LogLine> log = new java.util.concurrent.CopyOnWriteArrayList<>();
        s.onRequest(log::add);
        byte[] body = tensor(0, 8);
        for (int cut : new int[] {0, 20, body.length / 2, body.length - 1}) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", s.port())) {
                var out = socket.getOutputStream();
                out.write(("POST /v1/represent HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + key + "\r\nContent-Type: "
                        + TensorCodec.TENSOR + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body, 0, cut);
                out.flush();
            } // hung up with the body unfinished
        }
        // the server answers the next request; then nothing of the cut ones is in the accounting or the log (also a moment later,
        // should one of them still be in the server's hands)
        assertEquals(200, post(s, key, TensorCodec.TENSOR, tensor(0, 3)).statusCode());
        Thread.sleep(500);
        AccountingDb.Client c = db.client("alice");
        assertEquals(3, c.answered());
        assertEquals(0, c.refused() + c.denied());
        assertEquals(1, db.requests(0, 100).size(), "only the whole request is in the request log");
        assertEquals(1, log.size());
    }

    @Test
    void overBudgetAndOverRateAre429sTheRateOneWithRetryAfter() throws Exception {
        AccountingDb db = db();
        String key = db.addClient("alice", 10, 0, false);
        String slow = db.addClient("slow", 1000, 6, false);
        ApiServer s = serve(new InProcessEncoderApi(victim(), Long.MAX_VALUE, false, List.of()), db, ApiServer.Limits.defaults(new int[] {1, 16, 16}));
        assertEquals(200, post(s, key, TensorCodec.TENSOR, tensor(0, 8)).statusCode());
        HttpResponse<byte[]> over = post(s, key, TensorCodec.TENSOR, tensor(0, 3));
        assertEquals(429, over.statusCode());
        assertTrue(error(over).startsWith("budget") && error(over).contains("budget of 10"), error(over));
        assertTrue(over.headers().firstValue("Retry-After").isEmpty(), "a budget does not refill: no Retry-After");
        assertEquals(200, post(s, key, TensorCodec.TENSOR, tensor(0, 2)).statusCode(), "the last two queries still fit");
        assertEquals(3, db.client("alice").refused());
        HttpEncoderApi remote = new HttpEncoderApi(URI.create(url(s)), key);
        assertThrows(QueryRefusedException.class, () -> remote.query(key, images.batch(0, 1), 1));

        assertEquals(200, post(s, slow, TensorCodec.TENSOR, tensor(0, 5)).statusCode());
        HttpResponse<byte[]> fast = post(s, slow, TensorCodec.TENSOR, tensor(0, 3));
        assertEquals(429, fast.statusCode());
        assertTrue(error(fast).startsWith("rate"), error(fast));
        long retry = Long.parseLong(fast.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retry >= 10 && retry <= 21, "2 images missing at 6 a minute: about 20 s, got " + retry);
        assertEquals(413, post(s, slow, TensorCodec.TENSOR, tensor(0, 7)).statusCode(), "a batch no minute can hold");
        assertEquals(5, db.client("slow").answered());
        assertEquals(3, db.client("slow").refused());
    }

    @Test
    void eightClientsRacingForTheLastQueriesGetExactlyTheBudget() throws Exception {
        AccountingDb db = db();
        String key = db.addClient("shared", 100, 0, false);
        ApiServer s = serve(new InProcessEncoderApi(victim(), Long.MAX_VALUE, false, List.of()), db, ApiServer.Limits.defaults(new int[] {1, 16, 16}));
        AtomicLong answered = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            done.add(pool.submit(() -> {
                HttpEncoderApi c = new HttpEncoderApi(URI.create(url(s)), key);
                for (int i = 0; i < 6; i++) {
                    try {
                        answered.addAndGet(c.query(key, images.batch(0, 7), 7).size(0));
                    } catch (QueryRefusedException e) {
                        refused.addAndGet(7);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        // 48 requests of 7 against 100: exactly 14 answered (98 images), the other 34 refused whole
        assertEquals(98, answered.get());
        assertEquals(34 * 7, refused.get());
        AccountingDb.Client c = db.client("shared");
        assertEquals(98, c.answered());
        assertEquals(34 * 7, c.refused());
        assertEquals(48, db.requests(0, 1000).size());
    }

    @Test
    void accountingAndAFlagSurviveARestart() throws Exception {
        Encoder v = victim();
        DefenseContext ctx = new DefenseContext(Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 20, 128), 1);
        Defense prada = DefenseCatalog.build("prada:min=3", ctx);
        AccountingDb db = AccountingDb.open(tmp.resolve("api.db"));
        String key = db.addClient("mallory", 1000, 0, false);
        String honest = db.addClient("honest", 1000, 0, false);
        String owner = db.addClient("owner", 0, 0, true);
        ApiServer s = new ApiServer(new InProcessEncoderApi(v, Long.MAX_VALUE, false, List.of(prada)), db,
                ApiServer.Limits.defaults(new int[] {1, 16, 16})).start("127.0.0.1", 0);
        ApiClient mallory = new ApiClient(new HttpEncoderApi(URI.create(url(s)), key), key);
        float[] same = images.batch(0, 1);
        // the same image again and again: the distances are all zero, far from normal, and PRADA flags the client
        int refusedAt = -1;
        for (int i = 0; i < 6 && refusedAt < 0; i++) {
            try {
                mallory.query(same, 1);
            } catch (QueryRefusedException e) {
                refusedAt = i;
            }
        }
        assertTrue(refusedAt >= 2, "PRADA flags after its minimum of queries, at " + refusedAt);
        assertEquals(200, post(s, honest, TensorCodec.TENSOR, tensor(10, 13)).statusCode());
        AccountingDb.Client before = db.client("mallory");
        assertTrue(before.blockedReason() != null && before.blockedReason().contains("PRADA"), before.toString());
        s.close();
        db.close();

        // a new server process: new defences that know nothing of mallory, the same database
        AccountingDb again = db();
        ApiServer s2 = serve(new InProcessEncoderApi(v, Long.MAX_VALUE, false, List.of(DefenseCatalog.build("prada:min=3", ctx))), again,
                ApiServer.Limits.defaults(new int[] {1, 16, 16}));
        assertEquals(before, again.client("mallory"), "the accounting is as it was");
        assertEquals(3, again.client("honest").answered());
        HttpResponse<byte[]> r = post(s2, key, TensorCodec.TENSOR, tensor(20, 21));
        assertEquals(403, r.statusCode());
        assertTrue(error(r).startsWith("blocked") && error(r).contains("PRADA"), error(r));
        assertEquals(before.denied() + 1, again.client("mallory").denied());
        assertEquals(200, post(s2, honest, TensorCodec.TENSOR, tensor(30, 31)).statusCode());
        // the owner's view
        HttpResponse<byte[]> all = http.send(HttpRequest.newBuilder(URI.create(url(s2) + "v1/admin/clients")).header("X-API-Key", owner).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, all.statusCode());
        assertEquals(3, ApiServer.JSON.readTree(all.body()).size());
        assertEquals(403, http.send(HttpRequest.newBuilder(URI.create(url(s2) + "v1/admin/clients")).header("X-API-Key", honest).build(),
                HttpResponse.BodyHandlers.ofByteArray()).statusCode());
        HttpResponse<byte[]> log = http.send(HttpRequest.newBuilder(URI.create(url(s2) + "v1/admin/requests?after=0&limit=1000"))
                .header("X-API-Key", owner).build(), HttpResponse.BodyHandlers.ofByteArray());
        JsonNode lines = ApiServer.JSON.readTree(log.body());
        assertEquals("blocked", lines.get(lines.size() - 2).get("outcome").asText());
    }

    @Test
    void proofOfWorkTravelsInHeadersAndIsAccounted() throws Exception {
        Encoder v = victim();
        DefenseContext ctx = new DefenseContext(Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 20, 128), 1);
        AccountingDb db = db();
        String key = db.addClient("alice", 1000, 0, false);
        ApiServer s = serve(new InProcessEncoderApi(v, Long.MAX_VALUE, false, List.of(DefenseCatalog.build("pow", ctx))), db,
                ApiServer.Limits.defaults(new int[] {1, 16, 16}));
        List<ApiServer.LogLine> log = new java.util.concurrent.CopyOnWriteArrayList<>();
        s.onRequest(log::add);
        HttpResponse<byte[]> noProof = post(s, key, TensorCodec.TENSOR, tensor(0, 2));
        assertEquals(403, noProof.statusCode());
        assertTrue(error(noProof).contains("proof of work"), error(noProof));
        HttpEncoderApi remote = new HttpEncoderApi(URI.create(url(s)), key);
        assertTrue(remote.defended());
        ApiClient client = new ApiClient(remote, key);
        assertEquals(4, client.query(images.batch(0, 4), 4).size(0));
        assertTrue(client.work().hashes() > 0);
        AccountingDb.Client c = db.client("alice");
        assertEquals(4, c.answered());
        assertEquals(2, c.denied());
        assertTrue(c.powMaxBits() > 0 && c.powHashes() >= 4 * Math.pow(2, c.powMaxBits()) - 1e-9, c.toString());
        assertNull(c.blockedReason());
        // the live log carries the defences' verdicts: the refusal's reason, the work the answered request cost
        assertEquals("denied", log.get(0).outcome());
        assertTrue(log.get(0).detail().contains("proof of work"), log.get(0).toString());
        ApiServer.LogLine answered = log.get(log.size() - 1);
        assertEquals(200, answered.status());
        assertEquals("proof of work at " + c.powMaxBits() + " bits", answered.detail());
    }

    @Test
    void theOpenApiDocumentDescribesEveryRouteTheServerHas() throws Exception {
        AccountingDb db = db();
        ApiServer s = serve(new InProcessEncoderApi(victim(), Long.MAX_VALUE, false, List.of()), db, ApiServer.Limits.defaults(new int[] {1, 16, 16}));
        HttpResponse<byte[]> doc = http.send(HttpRequest.newBuilder(URI.create(url(s) + "openapi.json")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, doc.statusCode());
        JsonNode paths = ApiServer.JSON.readTree(doc.body()).get("paths");
        List<String> documented = new ArrayList<>();
        paths.fieldNames().forEachRemaining(documented::add);
        assertEquals(ApiServer.ROUTES.stream().map(ApiServer.Route::path).sorted().toList(), documented.stream().sorted().toList());
        for (ApiServer.Route route : ApiServer.ROUTES) {
            assertTrue(paths.get(route.path()).has(route.method()), route + " documented with its method");
        }
        HttpResponse<byte[]> missing = http.send(HttpRequest.newBuilder(URI.create(url(s) + "v1/nothing")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(404, missing.statusCode());
        assertFalse(db.clients().iterator().hasNext());
    }
}
