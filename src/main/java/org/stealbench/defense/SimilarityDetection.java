package org.stealbench.defense;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stealbench.api.Defense;
import org.stealbench.api.QueryRefusedException;

/**
 * Similarity detection (the reference's): a query whose representation has cosine similarity,
 * rescaled to [0,1] as (cos+1)/2, above the threshold to one of the client's earlier queries' (or
 * an earlier one in the same request) is flagged and answered with garbage (N(1000, 1) per
 * element) or, with {@code action=refuse}, the whole request is refused. The reference compares
 * within one batch only; this keeps each client's last {@code history} representations.
 */
final class SimilarityDetection implements Defense {

    private final DefenseCatalog.Spec spec;
    private final double threshold;
    private final int history;
    private final boolean refuse;
    private final SplittableRandom random;
    private final Map<String, Client> clients = new HashMap<>();

    private static final class Client {
        float[][] ring;
        int size;
        int next;
        long flagged;
        long checked;
        double lastMax = Double.NaN;
    }

    SimilarityDetection(DefenseCatalog.Spec spec, DefenseContext ctx) {
        this.spec = spec;
        this.threshold = spec.number("threshold");
        this.history = spec.whole("history");
        this.refuse = spec.text("action").equals("refuse");
        this.random = new SplittableRandom(ctx.seed() ^ 0x5DEECE66DL);
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public INDArray answer(String client, Request request, INDArray reps, boolean[] flagged) {
        Client c = clients.computeIfAbsent(client, k -> new Client());
        int n = (int) reps.size(0);
        int d = (int) reps.size(1);
        if (c.ring == null) {
            c.ring = new float[history][];
        }
        // not in place: castTo returns the same array when it is float already, and the clean representations are shared down the chain
        INDArray raw = request.cleanOr(reps).castTo(DataType.FLOAT);
        INDArray unit = raw.divColumnVector(raw.norm2(1).addi(1e-12));
        float[][] u = unit.toFloatMatrix();
        double[] best = new double[n];
        java.util.Arrays.fill(best, -1);
        if (c.size > 0) {
            float[][] kept = new float[c.size][];
            System.arraycopy(c.ring, 0, kept, 0, c.size);
            INDArray sims = unit.mmul(Nd4j.create(kept).transpose());
            INDArray mx = sims.max(1);
            for (int i = 0; i < n; i++) {
                best[i] = mx.getDouble(i);
            }
        }
        // within the request, each query against the earlier ones
        INDArray inner = unit.mmul(unit.transpose());
        boolean any = false;
        double max = -1;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                best[i] = Math.max(best[i], inner.getDouble(i, j));
            }
            max = Math.max(max, best[i]);
            if ((best[i] + 1) / 2 > threshold) {
                flagged[i] = true;
                any = true;
            }
        }
        c.checked += n;
        c.lastMax = (max + 1) / 2;
        for (int i = 0; i < n; i++) {
            c.ring[c.next] = u[i];
            c.next = (c.next + 1) % history;
            c.size = Math.min(history, c.size + 1);
        }
        if (any && refuse) {
            int count = 0;
            for (boolean f : flagged) {
                count += f ? 1 : 0;
            }
            c.flagged += count;
            java.util.Arrays.fill(flagged, false);
            throw new QueryRefusedException("client '" + client + "': " + count + " of " + n
                    + " queries too similar to earlier ones (similarity detection)");
        }
        float[][] out = reps.castTo(DataType.FLOAT).toFloatMatrix();
        for (int i = 0; i < n; i++) {
            if (flagged[i]) {
                c.flagged++;
                for (int j = 0; j < d; j++) {
                    out[i][j] = (float) (1000 + Lsh.gaussian(random));
                }
            }
        }
        return any ? Nd4j.create(out).castTo(reps.dataType()) : reps;
    }

    @Override
    public Map<String, Double> state(String client) {
        Client c = clients.get(client);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("flagged", c == null ? 0.0 : c.flagged);
        m.put("checked", c == null ? 0.0 : c.checked);
        m.put("similarity", c == null ? Double.NaN : c.lastMax);
        m.put("threshold", threshold);
        return m;
    }
}
