package org.stealbench.attack;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.stealbench.api.ApiClient;
import org.stealbench.api.EncoderApi;
import org.stealbench.data.ImageDataset;
import org.stealbench.model.train.Cancellation;

/**
 * The attacker's side of the API: one client key, or several (sybils) over which it splits its
 * queries and whose answers it pools. Every key solves the proof-of-work puzzles the API sets.
 * A request the API refuses (a flagged key, the budget) is skipped and the attacker goes on with
 * what it has: the theft trains on the answered images.
 */
public final class Attacker {

    /** The key of a single attacker; sybils are {@code attacker-1 ... attacker-k}. */
    public static final String KEY = "attacker";

    private final List<ApiClient> clients = new ArrayList<>();
    private final List<String> refusals = new ArrayList<>();

    public Attacker(EncoderApi api, int sybils) {
        if (sybils < 1) {
            throw new IllegalArgumentException("an attacker has at least one key");
        }
        for (int i = 0; i < sybils; i++) {
            clients.add(new ApiClient(api, keyOf(i, sybils)));
        }
    }

    /** The key of sybil {@code i} of {@code sybils}. */
    public static String keyOf(int i, int sybils) {
        return sybils == 1 ? KEY : KEY + "-" + (i + 1);
    }

    public List<String> keys() {
        return clients.stream().map(ApiClient::key).toList();
    }

    /** Queries answered over all keys. */
    public long answered() {
        return clients.stream().mapToLong(c -> c.account().answered()).sum();
    }

    /** The attacker's clients, one per key, with the proof-of-work each did. */
    public List<ApiClient> clients() {
        return List.copyOf(clients);
    }

    /** What the API said when it refused requests (first few). */
    public List<String> refusals() {
        return List.copyOf(refusals);
    }

    /** The answers to one batch sent with key number {@code batch mod keys} (re-querying: each batch may go to another key). */
    public INDArray query(float[] images, int n, long batch) {
        return clients.get((int) Math.floorMod(batch, (long) clients.size())).query(images, n);
    }

    /**
     * Queries every image once: the images are split into contiguous shares, one per key, sent in
     * batches of {@code batch}. Returns the answered images' indices and their answers, in order.
     */
    public Bank queryBank(ImageDataset queries, int batch, Cancellation cancel) {
        int n = queries.size();
        int k = clients.size();
        List<int[]> indices = new ArrayList<>();
        List<INDArray> parts = new ArrayList<>();
        boolean cancelled = false;
        for (int s = 0; s < k && !cancelled; s++) {
            ApiClient.Answers got = clients.get(s).queryRange(queries, (int) ((long) n * s / k), (int) ((long) n * (s + 1) / k), batch,
                    cancel::isCancelled);
            cancelled = got.cancelled();
            if (got.answers() != null) {
                indices.add(got.indices());
                parts.add(got.answers());
            }
            got.refusals().stream().limit(Math.max(0, 5 - refusals.size())).forEach(refusals::add);
        }
        int[] idx = indices.stream().flatMapToInt(java.util.Arrays::stream).toArray();
        INDArray bank = parts.isEmpty() ? null : Nd4j.vstack(parts.toArray(new INDArray[0]));
        return new Bank(idx, bank, cancelled);
    }

    /** The answered images' indices and their answers (rows in the same order); null answers when none. */
    public record Bank(int[] indices, INDArray answers, boolean cancelled) {
        public boolean complete(int of) {
            return indices.length == of;
        }

        /** The answers of the first {@code rows} answered images. */
        public INDArray head(int rows) {
            return answers.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all());
        }
    }
}
