package org.stealbench.defense;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stealbench.api.Defense;
import org.stealbench.api.QueryRefusedException;
import org.stealbench.eval.ShapiroWilk;

/**
 * PRADA (Juuti et al., EuroS&amp;P 2019), as docs/protocol.md describes ours: for each client, the
 * smallest L2 distance (in input space, images as [0,1] vectors) of every new query to that
 * client's earlier queries; once {@code min} distances are in, a Shapiro-Wilk test on them (the
 * last 5,000) after every request. W below the threshold flags the client: that request and every
 * later one is refused. The original keeps a "growing set" per predicted class and adds only far
 * queries to it; this compares with every earlier query of the client (up to
 * {@link #MAX_KEPT}), which a classifier-free encoder API allows.
 */
final class Prada implements Defense {

    /** Earlier queries kept per client (oldest dropped first). */
    static final int MAX_KEPT = 20_000;

    private final DefenseCatalog.Spec spec;
    private final double threshold;
    private final int min;
    private final Map<String, Client> clients = new HashMap<>();

    private static final class Client {
        final List<float[]> queries = new ArrayList<>();
        final List<Double> distances = new ArrayList<>();
        double w = Double.NaN;
        boolean flagged;
        long flaggedAt = -1;
        long seen;
    }

    Prada(DefenseCatalog.Spec spec, DefenseContext ctx) {
        this.spec = spec;
        this.threshold = spec.number("threshold");
        this.min = spec.whole("min");
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public void admit(String client, Request request) {
        Client c = clients.computeIfAbsent(client, k -> new Client());
        if (c.flagged) {
            throw new QueryRefusedException("client '" + client + "' was flagged by PRADA after " + c.flaggedAt
                    + " queries (W = " + String.format(java.util.Locale.ROOT, "%.3f", c.w) + " < " + threshold + ")", true);
        }
        int n = request.n();
        int size = request.images().length / n;
        float[][] x = new float[n][];
        for (int i = 0; i < n; i++) {
            x[i] = java.util.Arrays.copyOfRange(request.images(), i * size, (i + 1) * size);
        }
        INDArray batch = Nd4j.create(x);
        INDArray bsq = batch.mul(batch).sum(1);
        double[] best = new double[n];
        java.util.Arrays.fill(best, Double.POSITIVE_INFINITY);
        if (!c.queries.isEmpty()) {
            INDArray kept = Nd4j.create(c.queries.toArray(new float[0][]));
            INDArray ksq = kept.mul(kept).sum(1);
            INDArray d2 = batch.mmul(kept.transpose()).muli(-2).addiColumnVector(bsq).addiRowVector(ksq);
            INDArray m = d2.min(1);
            for (int i = 0; i < n; i++) {
                best[i] = m.getDouble(i);
            }
        }
        INDArray inner = batch.mmul(batch.transpose());
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                best[i] = Math.min(best[i], bsq.getDouble(i) + bsq.getDouble(j) - 2 * inner.getDouble(i, j));
            }
            if (Double.isFinite(best[i])) {
                c.distances.add(Math.sqrt(Math.max(0, best[i])));
            }
            c.queries.add(x[i]);
        }
        while (c.queries.size() > MAX_KEPT) {
            c.queries.remove(0);
        }
        c.seen += n;
        if (c.distances.size() >= min) {
            int from = Math.max(0, c.distances.size() - ShapiroWilk.MAX_N);
            double[] d = c.distances.subList(from, c.distances.size()).stream().mapToDouble(Double::doubleValue).toArray();
            try {
                c.w = ShapiroWilk.test(d).w();
            } catch (IllegalArgumentException e) {
                c.w = 0; // all distances equal (the same image again and again): as far from normal as it gets
            }
            if (c.w < threshold) {
                c.flagged = true;
                c.flaggedAt = c.seen;
                throw new QueryRefusedException("client '" + client + "' flagged by PRADA after " + c.seen + " queries (W = "
                        + String.format(java.util.Locale.ROOT, "%.3f", c.w) + " < " + threshold + ")", true);
            }
        }
    }

    @Override
    public INDArray answer(String client, Request request, INDArray reps, boolean[] flagged) {
        return reps;
    }

    @Override
    public Map<String, Double> state(String client) {
        Client c = clients.get(client);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("W", c == null ? Double.NaN : c.w);
        m.put("threshold", threshold);
        m.put("flagged", c != null && c.flagged ? 1.0 : 0.0);
        m.put("flaggedAt", c == null ? -1.0 : c.flaggedAt);
        return m;
    }
}
