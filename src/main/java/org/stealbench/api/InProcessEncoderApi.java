package org.stealbench.api;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.stealbench.model.Encoder;

/**
 * The victim behind an API in the same process. Thread-safe: requests are answered one at a
 * time (the victim's networks keep per-layer buffers). Counts are exact: a request is either
 * answered whole and counted, or refused whole.
 */
public final class InProcessEncoderApi implements EncoderApi {

    private final Encoder victim;
    private final long budget;
    private final boolean projection;
    private final List<OutputDefense> defenses;
    private final Map<String, long[]> counts = new HashMap<>();
    private final Map<String, Long> nanos = new HashMap<>();

    /**
     * @param budget     queries per client (Long.MAX_VALUE for none)
     * @param projection return the projection head's output g(h) instead of the representation h
     */
    public InProcessEncoderApi(Encoder victim, long budget, boolean projection, List<OutputDefense> defenses) {
        if (budget < 0) {
            throw new IllegalArgumentException("the budget cannot be negative");
        }
        if (projection && victim.head() == null) {
            throw new IllegalArgumentException("this victim has no projection head to return");
        }
        this.victim = victim;
        this.budget = budget;
        this.projection = projection;
        this.defenses = List.copyOf(defenses);
    }

    @Override
    public synchronized INDArray query(String client, float[] images, int n) {
        int[] s = inputShape();
        if (n < 1 || images.length != n * s[0] * s[1] * s[2]) {
            throw new IllegalArgumentException("a request holds n >= 1 images of " + s[0] + "x" + s[1] + "x" + s[2]
                    + "; got " + images.length + " values for n = " + n);
        }
        long[] c = counts.computeIfAbsent(client, k -> new long[2]);
        if (c[0] + n > budget) {
            c[1] += n;
            throw new QueryRefusedException("client '" + client + "': " + n + " more queries would exceed the budget of "
                    + budget + " (" + c[0] + " used)");
        }
        long t0 = System.nanoTime();
        INDArray out = victim.trunk().forward(victim.input(images, n), false);
        if (projection) {
            out = victim.head().forward(out, false);
        }
        out = out.dup();
        for (OutputDefense d : defenses) {
            out = d.apply(client, images, n, out);
        }
        nanos.merge(client, System.nanoTime() - t0, Long::sum);
        c[0] += n;
        return out;
    }

    @Override
    public synchronized QueryAccount account(String client) {
        long[] c = counts.getOrDefault(client, new long[2]);
        return new QueryAccount(client, c[0], c[1], nanos.getOrDefault(client, 0L) / 1e9);
    }

    @Override
    public int[] inputShape() {
        var s = victim.spec();
        return new int[] {s.channels(), s.height(), s.width()};
    }

    @Override
    public int outputDim() {
        return projection ? victim.spec().headOut() : victim.spec().repDim();
    }

    @Override
    public long budget() {
        return budget;
    }
}
