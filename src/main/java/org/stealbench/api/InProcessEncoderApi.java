package org.stealbench.api;

import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.stealbench.model.ImageEncoder;

/**
 * The victim behind an API in the same process. Thread-safe: requests are answered one at a
 * time (the victim's networks keep per-layer buffers, and defences keep per-client state). Counts
 * are exact: a request is either answered whole and counted, or refused whole. For every client the
 * API keeps which of its images (in the order sent, refused ones included) a defence refused or
 * flagged: {@link #caught}.
 */
public final class InProcessEncoderApi implements EncoderApi {

    private final ImageEncoder victim;
    private final long budget;
    private final boolean projection;
    private final List<Defense> defenses;
    private final Map<String, Client> clients = new HashMap<>();
    private volatile Consumer<String> afterRequest = c -> { };

    private static final class Client {
        long answered;
        long refused;
        long denied;
        long flagged;
        long nanos;
        long sent;
        final BitSet caught = new BitSet();

        /** A defence refused the client's next {@code n} images: counted, and marked caught in the order sent. */
        void deny(int n) {
            denied += n;
            caught.set((int) sent, (int) (sent + n));
            sent += n;
        }
    }

    /**
     * @param budget     queries per client (Long.MAX_VALUE for none)
     * @param projection return the projection head's output g(h) instead of the representation h
     * @param defenses   the chain, applied in order
     */
    public InProcessEncoderApi(ImageEncoder victim, long budget, boolean projection, List<? extends Defense> defenses) {
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

    /** Called with the client's key after each of its requests, answered or refused (for live views of the defences). */
    public synchronized void afterRequest(Consumer<String> listener) {
        this.afterRequest = listener;
    }

    @Override
    public INDArray query(String client, float[] images, int n, Proof proof) {
        try {
            synchronized (this) {
                return answer(client, images, n, proof);
            }
        } finally {
            afterRequest.accept(client); // answered or refused, outside the lock
        }
    }

    private INDArray answer(String client, float[] images, int n, Proof proof) {
        int[] s = inputShape();
        if (n < 1 || images.length != n * s[0] * s[1] * s[2]) {
            throw new IllegalArgumentException("a request holds n >= 1 images of " + s[0] + "x" + s[1] + "x" + s[2]
                    + "; got " + images.length + " values for n = " + n);
        }
        Client c = clients.computeIfAbsent(client, k -> new Client());
        if (c.answered + n > budget) {
            c.refused += n;
            c.sent += n;
            throw new QueryRefusedException("client '" + client + "': " + n + " more queries would exceed the budget of "
                    + budget + " (" + c.answered + " used)");
        }
        Defense.Request request = new Defense.Request(images, n, proof);
        for (Defense d : defenses) {
            try {
                d.admit(client, request);
            } catch (QueryRefusedException e) {
                c.deny(n);
                throw e;
            }
        }
        long t0 = System.nanoTime();
        INDArray out = victim.represent(images, n);
        if (projection) {
            INDArray h = out;
            out = victim.head().forward(h, false).dup();
            h.close();
        }
        request = new Defense.Request(images, n, proof, out.dup());
        boolean[] flagged = new boolean[n];
        try {
            for (Defense d : defenses) {
                out = d.answer(client, request, out, flagged);
            }
        } catch (QueryRefusedException e) {
            c.nanos += System.nanoTime() - t0;
            c.deny(n);
            throw e;
        }
        c.nanos += System.nanoTime() - t0;
        for (int i = 0; i < n; i++) {
            if (flagged[i]) {
                c.flagged++;
                c.caught.set((int) (c.sent + i));
            }
        }
        c.sent += n;
        c.answered += n;
        return out;
    }

    @Override
    public synchronized Challenge challenge(String client, int n) {
        for (Defense d : defenses) {
            Challenge ch = d.challenge(client, n);
            if (ch != null) {
                return ch;
            }
        }
        return null;
    }

    @Override
    public synchronized QueryAccount account(String client) {
        Client c = clients.get(client);
        return c == null ? new QueryAccount(client, 0, 0, 0, 0, 0)
                : new QueryAccount(client, c.answered, c.refused, c.denied, c.flagged, c.nanos / 1e9);
    }

    /** Which of the client's first {@code prefix} images (in the order sent, refused ones included) a defence refused or flagged. */
    public synchronized BitSet caught(String client, int prefix) {
        Client c = clients.get(client);
        return c == null ? new BitSet() : c.caught.get(0, prefix);
    }

    /** Images the client has sent, answered or refused. */
    public synchronized long sent(String client) {
        Client c = clients.get(client);
        return c == null ? 0 : c.sent;
    }

    @Override
    public synchronized Map<String, Map<String, Double>> defenseState(String client) {
        Map<String, Map<String, Double>> m = new LinkedHashMap<>();
        for (Defense d : defenses) {
            Map<String, Double> s = d.state(client);
            if (!s.isEmpty()) {
                m.put(d.name(), s);
            }
        }
        return m;
    }

    @Override
    public boolean defended() {
        return !defenses.isEmpty();
    }

    /** The chain, in order. */
    public List<Defense> defenses() {
        return defenses;
    }

    @Override
    public int[] inputShape() {
        return new int[] {victim.channels(), victim.height(), victim.width()};
    }

    @Override
    public int outputDim() {
        return projection ? (int) victim.head().outputShape()[0] : victim.repDim();
    }

    @Override
    public long budget() {
        return budget;
    }
}
