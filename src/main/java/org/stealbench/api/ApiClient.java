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
