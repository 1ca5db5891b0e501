package org.stealbench.defense;

import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stealbench.api.Defense;

/**
 * The coverage-based active defence (after B4B, Dubinski et al., NeurIPS 2023): the victim's
 * representations are hashed into 2^lsh LSH buckets; per client, the fraction of buckets its
 * answers have covered so far. Each answer gets Gaussian noise with standard deviation
 * {@code sigma x coverage x} the typical element size of the defender's representations (their
 * root mean square), so a client that sweeps representation space gets ever noisier answers; then
 * the answer goes through the client's own fixed transformation (a random orthogonal map, or a
 * permutation of the dimensions, seeded by the defence's seed and the client's key), so answers
 * bought with several keys are in different coordinates and cannot simply be pooled. A linear
 * probe on one client's answers is unaffected by an orthogonal map (up to its feature scaling).
 */
final class CoverageDefense implements Defense {

    private final DefenseCatalog.Spec spec;
    private final Lsh lsh;
    private final double sigma;
    private final double scale;
    private final String transform;
    private final long seed;
    private final SplittableRandom noise;
    private final Map<String, Client> clients = new HashMap<>();

    private static final class Client {
        final BitSet covered = new BitSet();
        INDArray map;      // orthogonal [d, d]
        int[] permutation;
        double lastSigma;
    }

    CoverageDefense(DefenseCatalog.Spec spec, DefenseContext ctx) {
        this.spec = spec;
        this.lsh = new Lsh(spec.whole("lsh"), ctx.defenderRepresentations(), ctx.seed() + 31);
        this.sigma = spec.number("sigma");
        INDArray r = ctx.defenderRepresentations().castTo(DataType.DOUBLE);
        this.scale = Math.sqrt(r.mul(r).meanNumber().doubleValue());
        this.transform = spec.text("transform");
        this.seed = ctx.seed();
        this.noise = new SplittableRandom(ctx.seed() ^ 0xB4BL);
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public INDArray answer(String client, Request request, INDArray reps, boolean[] flagged) {
        Client c = clients.computeIfAbsent(client, k -> newClient(k, (int) reps.size(1)));
        for (int b : lsh.hash(request.cleanOr(reps))) {
            c.covered.set(b);
        }
        double sd = sigma * coverage(c) * scale;
        c.lastSigma = sd;
        float[][] x = reps.castTo(DataType.FLOAT).toFloatMatrix();
        if (sd > 0) {
            for (float[] row : x) {
                for (int j = 0; j < row.length; j++) {
                    row[j] += (float) (sd * Lsh.gaussian(noise));
                }
            }
        }
        INDArray out = Nd4j.create(x);
        if (c.map != null) {
            out = out.mmul(c.map);
        } else if (c.permutation != null) {
            float[][] p = new float[x.length][x[0].length];
            for (int i = 0; i < x.length; i++) {
                for (int j = 0; j < p[i].length; j++) {
                    p[i][j] = x[i][c.permutation[j]];
                }
            }
            out = Nd4j.create(p);
        }
        return out.castTo(reps.dataType());
    }

    private double coverage(Client c) {
        return c.covered.cardinality() / (double) lsh.buckets();
    }

    private Client newClient(String key, int d) {
        Client c = new Client();
        SplittableRandom r = new SplittableRandom(seed * 31 + key.hashCode() * 0x9E3779B97F4A7C15L);
        if (transform.equals("orthogonal")) {
            c.map = orthogonal(d, r);
        } else if (transform.equals("permutation")) {
            int[] p = new int[d];
            for (int i = 0; i < d; i++) {
                p[i] = i;
            }
            for (int i = d - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = p[i];
                p[i] = p[j];
                p[j] = t;
            }
            c.permutation = p;
        }
        return c;
    }

    /** A random orthogonal matrix: Gram-Schmidt (twice, for round-off) on Gaussian columns. */
    static INDArray orthogonal(int d, SplittableRandom r) {
        double[][] q = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                q[i][j] = Lsh.gaussian(r);
            }
        }
        for (int i = 0; i < d; i++) {
            for (int pass = 0; pass < 2; pass++) {
                for (int k = 0; k < i; k++) {
                    double dot = 0;
                    for (int j = 0; j < d; j++) {
                        dot += q[i][j] * q[k][j];
                    }
                    for (int j = 0; j < d; j++) {
                        q[i][j] -= dot * q[k][j];
                    }
                }
            }
            double norm = 0;
            for (int j = 0; j < d; j++) {
                norm += q[i][j] * q[i][j];
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j < d; j++) {
                q[i][j] /= norm;
            }
        }
        return Nd4j.create(q).castTo(DataType.FLOAT);
    }

    /** The client's transformation applied to {@code reps} (no noise), for tests. */
    INDArray transformOf(String client, INDArray reps) {
        Client c = clients.computeIfAbsent(client, k -> newClient(k, (int) reps.size(1)));
        INDArray x = reps.castTo(DataType.FLOAT);
        if (c.map != null) {
            return x.mmul(c.map);
        }
        if (c.permutation != null) {
            return x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.indices(
                    java.util.Arrays.stream(c.permutation).asLongStream().toArray()));
        }
        return x.dup();
    }

    @Override
    public Map<String, Double> state(String client) {
        Client c = clients.get(client);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("coverage", c == null ? 0.0 : coverage(c));
        m.put("noise", c == null ? 0.0 : c.lastSigma);
        return m;
    }
}
