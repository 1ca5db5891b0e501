package org.stealbench.api;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A client of an {@link EncoderApi} with one key: before each request it asks for a challenge and,
 * when the API sets one, solves it for real (hashcash), keeping the work it did. The attacker and
 * the honest user both query through this, so both pay what the defences ask.
 */
public final class ApiClient {

    private final EncoderApi api;
    private final String key;
    private long hashes;
    private double seconds;
    private int maxBits;

    public ApiClient(EncoderApi api, String key) {
        this.api = api;
        this.key = key;
    }

    public String key() {
        return key;
    }

    public EncoderApi api() {
        return api;
    }

    /** Representations of {@code n} images, after solving the API's puzzle if it sets one. */
    public INDArray query(float[] images, int n) {
        Challenge c = api.challenge(key, n);
        Proof proof = null;
        if (c != null) {
            long t0 = System.nanoTime();
            long[] h = {0};
            proof = Hashcash.solve(c, h);
            synchronized (this) {
                hashes += h[0];
                seconds += (System.nanoTime() - t0) / 1e9;
                maxBits = Math.max(maxBits, c.bits());
            }
        }
        return api.query(key, images, n, proof);
    }

    /** Which images the API answered (their indices, ascending), the answers in that order (null if none), and why it refused others. */
    public record Answers(int[] indices, INDArray answers, boolean cancelled, java.util.List<String> refusals) {
    }

    /**
     * Sends images {@code from} to {@code to} of {@code images} in batches of {@code batch}; a batch the API
     * refuses is skipped (its message kept) and the rest still sent; stops early when {@code cancelled}.
     */
    public Answers queryRange(org.stealbench.data.ImageDataset images, int from, int to, int batch, java.util.function.BooleanSupplier cancelled) {
        java.util.List<INDArray> parts = new java.util.ArrayList<>();
        java.util.List<String> refusals = new java.util.ArrayList<>();
        int[] idx = new int[to - from];
        int answered = 0;
        for (int a = from; a < to; a += batch) {
            if (cancelled.getAsBoolean()) {
                return answers(idx, answered, parts, true, refusals);
            }
            int b = Math.min(to, a + batch);
            try {
                parts.add(query(images.batch(a, b), b - a));
                for (int i = a; i < b; i++) {
                    idx[answered++] = i;
                }
            } catch (QueryRefusedException e) {
                refusals.add(e.getMessage());
            }
        }
        return answers(idx, answered, parts, false, refusals);
    }

    private static Answers answers(int[] idx, int answered, java.util.List<INDArray> parts, boolean cancelled, java.util.List<String> refusals) {
        INDArray all = parts.isEmpty() ? null : org.nd4j.linalg.factory.Nd4j.vstack(parts.toArray(new INDArray[0]));
        return new Answers(java.util.Arrays.copyOf(idx, answered), all, cancelled, refusals);
    }

    /** Proof-of-work done so far: hashes computed and seconds spent. */
    public synchronized Hashcash.Work work() {
        return new Hashcash.Work(hashes, seconds);
    }

    /** The highest difficulty (leading zero bits) this client was asked for. */
    public synchronized int maxBits() {
        return maxBits;
    }

    public QueryAccount account() {
        return api.account(key);
    }
}
