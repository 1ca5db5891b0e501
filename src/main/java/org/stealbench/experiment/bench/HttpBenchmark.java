package org.stealbench.experiment.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.hipparchus.stat.descriptive.rank.Percentile;
import org.stealbench.api.EncoderApi;
import org.stealbench.api.InProcessEncoderApi;
import org.stealbench.api.http.AccountingDb;
import org.stealbench.api.http.ApiServer;
import org.stealbench.api.http.HttpEncoderApi;
import org.stealbench.data.DatasetRegistry;
import org.stealbench.data.ImageDataset;
import org.stealbench.experiment.ExperimentConfig;
import org.stealbench.experiment.ServedVictim;

/**
 * The HTTP API under load on loopback: the bundled victim (small CNN) served without and with
 * defences, batches of 1, 32 and 256 images from 1 and 8 concurrent clients (each with its own
 * key and {@link HttpEncoderApi}, the product's own client), answered images a second and latency
 * percentiles per request; beside each, the same requests straight to the in-process API, so the
 * HTTP overhead shows as a ratio. Bounded: each cell sends about {@value #IMAGES} images.
 */
public final class HttpBenchmark {

    static final int IMAGES = 4096;
    static final List<Integer> BATCHES = List.of(1, 32, 256);
    static final List<Integer> CLIENTS = List.of(1, 8);
    /**
     * The defended server's chain: the two detectors that look at every request. PRADA tests only from its 5,000th query of a client on
     * (it flags these natural-image clients after about 128 queries at its default, and a refused client's requests cost nothing), so it
     * does its per-query distance work throughout without cutting the cell short; proof of work is the client's cost, measured in the
     * defences section.
     */
    static final List<String> DEFENDED = List.of("similarity", "prada:min=5000");

    private HttpBenchmark() {
    }

    /** One cell: images answered a second and request latencies (ms). */
    record Cell(double imagesPerSecond, double p50, double p95, double p99, long refused) {
    }

    public static String run(DatasetRegistry registry, Consumer<String> log) throws Exception {
        // the attacker's images as a theft sends them: padded to the victim's 32x32
        ImageDataset pool = org.stealbench.data.transform.ImageAdapters.fit(registry.load("fashion-mnist@bundled").train(), 1, 32, 32);
        StringBuilder md = new StringBuilder();
        md.append("## HTTP API under load (loopback)\n\n");
        md.append("Command: `scripts/stealbench bench --suite http`. Machine: ").append(BenchmarkReport.machine()).append(". Date: ")
                .append(LocalDate.now()).append(".\n\n");
        md.append("The bundled victim (small CNN, 1x32x32 in, 128 out) behind `serve`'s server in the same JVM on a free loopback port, "
                + "its accounting in a fresh SQLite file (a fresh server per cell); clients are `HttpEncoderApi` (binary tensors both ways), each with its own key, "
                + "sending Fashion-MNIST images; about " + IMAGES + " images per cell after a warm-up. \"in-process\" sends the same "
                + "requests from the same threads to the `InProcessEncoderApi` the server wraps. Latency is per request, at the client; images/s counts answered images only (\"refused\": images the server refused).\n\n");
        md.append("| defences | batch | clients | HTTP images/s | p50 ms | p95 ms | p99 ms | refused | in-process images/s | p50 ms | HTTP / in-process |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        Path dir = Files.createTempDirectory("stealbench-http-bench");
        double best = 0;
        for (List<String> defenses : List.of(List.<String>of(), DEFENDED)) {
            String label = defenses.isEmpty() ? "none" : String.join(", ", defenses);
            for (int batch : BATCHES) {
                for (int clients : CLIENTS) {
                    // a fresh server per cell: defences keep per-client history, which would grow over the cells
                    Cell http;
                    Cell local;
                    try (ServedVictim served = ServedVictim.open(ExperimentConfig.BUNDLED, defenses, 1, registry);
                         AccountingDb db = AccountingDb.open(dir.resolve(label.replace(", ", "-") + "-" + batch + "-" + clients + ".db"));
                         ApiServer server = new ApiServer(served.api(), db, ApiServer.Limits.defaults(served.api().inputShape()))
                                 .start("127.0.0.1", 0)) {
                        List<String> keys = new ArrayList<>();
                        for (int c = 0; c < clients; c++) {
                            keys.add(db.addClient("client-" + c, Long.MAX_VALUE / 4, 0, false));
                        }
                        URI url = URI.create("http://127.0.0.1:" + server.port());
                        List<EncoderApi> apis = new ArrayList<>();
                        for (int c = 0; c < clients; c++) {
                            apis.add(new HttpEncoderApi(url, keys.get(c)));
                        }
                        http = measure(apis, keys, pool, batch);
                        InProcessEncoderApi direct = served.api();
                        List<EncoderApi> same = new ArrayList<>();
                        List<String> names = new ArrayList<>();
                        for (int c = 0; c < clients; c++) {
                            same.add(direct);
                            names.add("direct-" + c);
                        }
                        local = measure(same, names, pool, batch);
                    }
                    best = Math.max(best, http.imagesPerSecond());
                    String line = String.format(Locale.ROOT, "| %s | %d | %d | %.0f | %.1f | %.1f | %.1f | %d | %.0f | %.1f | %.2f |", label, batch,
                            clients, http.imagesPerSecond(), http.p50(), http.p95(), http.p99(), http.refused(), local.imagesPerSecond(), local.p50(),
                            http.imagesPerSecond() / local.imagesPerSecond());
                    log.accept(line);
                    md.append(line).append('\n');
                }
            }
        }
        md.append(String.format(Locale.ROOT, "%nTarget: >= 500 images/s for the small CNN over HTTP: best cell %.0f images/s (%s).%n", best,
                best >= 500 ? "met" : "not met"));
        return md.toString();
    }

    /** Every client sends its share of {@value #IMAGES} images in batches, after two warm-up requests each. */
    static Cell measure(List<EncoderApi> apis, List<String> keys, ImageDataset pool, int batch) throws Exception {
        int clients = apis.size();
        int requests = Math.max(4, (int) Math.ceil(IMAGES / (double) (batch * clients)));
        ExecutorService threads = Executors.newFixedThreadPool(clients);
        try {
            List<Future<double[]>> done = new ArrayList<>();
            java.util.concurrent.atomic.AtomicLong refused = new java.util.concurrent.atomic.AtomicLong();
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(clients);
            long[] t0 = new long[1];
            for (int c = 0; c < clients; c++) {
                int id = c;
                done.add(threads.submit(() -> {
                    EncoderApi api = apis.get(id);
                    String key = keys.get(id);
                    int at = (id * 977) % (pool.size() - batch);
                    for (int w = 0; w < 2; w++) {
                        api.query(key, pool.batch(at, at + batch), batch).close();
                    }
                    float[][] batches = new float[requests][];
                    for (int r = 0; r < requests; r++) {
                        int from = (at + r * batch) % (pool.size() - batch);
                        batches[r] = pool.batch(from, from + batch);
                    }
                    if (start.await() == 0) {
                        t0[0] = System.nanoTime();
                    }
                    double[] ms = new double[requests];
                    for (int r = 0; r < requests; r++) {
                        long s = System.nanoTime();
                        try {
                            api.query(key, batches[r], batch).close();
                        } catch (org.stealbench.api.QueryRefusedException e) {
                            refused.addAndGet(batch);
                        }
                        ms[r] = (System.nanoTime() - s) / 1e6;
                    }
                    return ms;
                }));
            }
            List<Double> all = new ArrayList<>();
            for (Future<double[]> f : done) {
                for (double v : f.get()) {
                    all.add(v);
                }
            }
            double seconds = (System.nanoTime() - t0[0]) / 1e9;
            double[] lat = all.stream().mapToDouble(Double::doubleValue).toArray();
            Percentile p = new Percentile();
            return new Cell(((double) requests * clients * batch - refused.get()) / seconds, p.evaluate(lat, 50), p.evaluate(lat, 95),
                    p.evaluate(lat, 99), refused.get());
        } finally {
            threads.shutdown();
        }
    }
}
