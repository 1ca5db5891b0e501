package org.stealbench.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stealbench.api.Challenge;
import org.stealbench.api.EncoderApi;
import org.stealbench.api.Proof;
import org.stealbench.api.QueryAccount;
import org.stealbench.api.QueryRefusedException;

/**
 * An {@link EncoderApi} on a remote {@link ApiServer}: the "client" of each call is the API key it
 * sends, or a name mapped to a key (a theft's {@code attacker} to the key the user was given). Images go out in the binary tensor format and come back in it. A 429 for the rate is
 * waited out (its Retry-After, up to {@link #MAX_WAIT} in all per request) and the request sent
 * again; over budget (429 without Retry-After) and refused by a defence (403) are
 * {@link QueryRefusedException}s, as in process; a wrong key, malformed input or a server error are
 * {@link IllegalStateException}s with the server's reason.
 */
public final class HttpEncoderApi implements EncoderApi {

    /** The longest a request waits out rate limits before giving up. */
    static final Duration MAX_WAIT = Duration.ofMinutes(10);

    private final URI base;
    private final String defaultKey;
    private final Map<String, String> keys;
    private final HttpClient http;
    private final int[] inputShape;
    private final int outputDim;
    private final boolean defended;

    /** Connects to the server at {@code base} (http://host:port) and reads its shape; {@code key} is the key {@link #budget()} reports on. */
    public HttpEncoderApi(URI base, String key) {
        this(base, key, Map.of());
    }

    /** Connects to the server at {@code base}; clients named in {@code keys} send the key they map to, the first one is the default. */
    public HttpEncoderApi(URI base, Map<String, String> keys) {
        this(base, keys.values().iterator().next(), keys);
    }

    private HttpEncoderApi(URI base, String key, Map<String, String> keys) {
        this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
        this.defaultKey = key;
        this.keys = Map.copyOf(keys);
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        JsonNode info = json(send(HttpRequest.newBuilder(this.base.resolve("v1/info")).GET(), null));
        this.inputShape = new int[] {info.get("inputShape").get(0).asInt(), info.get("inputShape").get(1).asInt(),
                info.get("inputShape").get(2).asInt()};
        this.outputDim = info.get("outputDim").asInt();
        this.defended = info.get("defenses").size() > 0;
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder b, String client) {
        if (client != null) {
            b.header("Authorization", "Bearer " + keys.getOrDefault(client, client));
        }
        try {
            return http.send(b.timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("the API at " + base + " did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the API", e);
        }
    }

    private static JsonNode json(HttpResponse<byte[]> r) {
        try {
            return ApiServer.JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException("the API answered " + r.statusCode() + " with something that is not JSON", e);
        }
    }

    private static String reason(HttpResponse<byte[]> r) {
        try {
            JsonNode j = ApiServer.JSON.readTree(r.body());
            return j.has("message") ? j.get("message").asText() : j.toString();
        } catch (IOException | RuntimeException e) {
            return new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** A non-2xx answer as the exception in-process code would see. */
    private RuntimeException failure(HttpResponse<byte[]> r) {
        int s = r.statusCode();
        String why = reason(r);
        if (s == 403 || s == 429) {
            return new QueryRefusedException(why);
        }
        if (s == 401) {
            return new IllegalStateException("the API at " + base + " refused the key (401): " + why);
        }
        return new IllegalStateException("the API at " + base + " answered " + s + ": " + why);
    }

    @Override
    public INDArray query(String key, float[] images, int n, Proof proof) {
        int[] s = inputShape;
        if (n < 1 || images.length != n * s[0] * s[1] * s[2]) {
            throw new IllegalArgumentException("a request holds n >= 1 images of " + s[0] + "x" + s[1] + "x" + s[2] + "; got "
                    + images.length + " values for n = " + n);
        }
        byte[] body = TensorCodec.encode(new int[] {n, s[0], s[1], s[2]}, images);
        long deadline = System.nanoTime() + MAX_WAIT.toNanos();
        while (true) {
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("v1/represent")).header("Content-Type", TensorCodec.TENSOR)
                    .header("Accept", TensorCodec.TENSOR).POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (proof != null) {
                b.header("X-PoW-Id", proof.challengeId()).header("X-PoW-Nonces",
                        LongStream.of(proof.nonces()).mapToObj(Long::toString).collect(Collectors.joining(",")));
            }
            HttpResponse<byte[]> r = send(b, key);
            var retry = r.headers().firstValue("Retry-After");
            if (r.statusCode() == 429 && retry.isPresent()) {
                long wait = Long.parseLong(retry.get().trim()) * 1_000_000_000L;
                if (System.nanoTime() + wait < deadline) {
                    sleep(wait);
                    continue;
                }
            }
            if (r.statusCode() != 200) {
                throw failure(r);
            }
            TensorCodec.Tensor t = TensorCodec.decode(r.body(), 2);
            return Nd4j.create(t.values(), new long[] {t.shape()[0], t.shape()[1]}, 'c');
        }
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting out the API's rate limit", e);
        }
    }

    @Override
    public Challenge challenge(String key, int n) {
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(base.resolve("v1/challenge?n=" + n)).GET(), key);
        if (r.statusCode() == 204) {
            return null;
        }
        if (r.statusCode() != 200) {
            throw failure(r);
        }
        var h = r.headers();
        return new Challenge(h.firstValue("X-PoW-Challenge").orElseThrow(), Integer.parseInt(h.firstValue("X-PoW-Bits").orElseThrow()),
                Integer.parseInt(h.firstValue("X-PoW-Images").orElseThrow()), Long.parseLong(h.firstValue("X-PoW-Expires").orElseThrow()));
    }

    private JsonNode accountJson(String key) {
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(base.resolve("v1/account")).GET(), key);
        if (r.statusCode() != 200) {
            throw failure(r);
        }
        return json(r);
    }

    @Override
    public QueryAccount account(String key) {
        JsonNode c = accountJson(key).get("client");
        return new QueryAccount(c.get("name").asText(), c.get("answered").asLong(), c.get("refused").asLong(), c.get("denied").asLong(),
                c.get("flagged").asLong(), c.get("computeSeconds").asDouble());
    }

    @Override
    public Map<String, Map<String, Double>> defenseState(String key) {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        accountJson(key).get("defenses").fields().forEachRemaining(d -> {
            Map<String, Double> q = new LinkedHashMap<>();
            d.getValue().fields().forEachRemaining(e -> q.put(e.getKey(), e.getValue().asDouble()));
            out.put(d.getKey(), q);
        });
        return out;
    }

    @Override
    public boolean defended() {
        return defended;
    }

    @Override
    public int[] inputShape() {
        return inputShape.clone();
    }

    @Override
    public int outputDim() {
        return outputDim;
    }

    /** The budget of the key this client was made with. */
    @Override
    public long budget() {
        return accountJson(defaultKey).get("client").get("budget").asLong();
    }

    public URI base() {
        return base;
    }
}
