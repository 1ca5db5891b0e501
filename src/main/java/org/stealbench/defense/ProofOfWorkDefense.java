package org.stealbench.defense;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.stealbench.api.Challenge;
import org.stealbench.api.Defense;
import org.stealbench.api.Hashcash;
import org.stealbench.api.Proof;
import org.stealbench.api.QueryRefusedException;

/**
 * Calibrated proof-of-work (after Dziedzic et al., ICLR 2022): every request must carry the
 * solution of a single-use, expiring hashcash challenge of {@code bits} leading zero bits per
 * image. The difficulty is {@code base} plus {@code gain} bits per bit by which the client's traffic
 * departs from honest traffic, up to {@code max}.
 *
 * <p>Departure: the victim's representations are hashed into LSH buckets; bucket frequencies come
 * from half of the defender's own images (smoothed), and honest traffic's mean surprise
 * (-log2 frequency per query) from the other half. A client's departure is its own mean surprise so
 * far minus the honest mean, less a margin of three standard errors at its query count (so honest
 * users stay at the base with high probability). In-distribution attackers look like honest users
 * to this measure; it charges traffic the defender's data makes improbable.
 */
final class ProofOfWorkDefense implements Defense {

    private final DefenseCatalog.Spec spec;
    private final int base;
    private final int max;
    private final double gain;
    private final long expiryMillis;
    private final java.util.function.LongSupplier clock;
    private final Lsh lsh;
    private final double[] surprise; // -log2 p(bucket)
    private final double honestMean;
    private final double honestSd;
    private final SplittableRandom ids;
    private final Map<String, Client> clients = new HashMap<>();
    private final Map<String, Issued> issued = new HashMap<>();

    private record Issued(String client, int bits, int n, long expires) {
    }

    private static final class Client {
        long answered;
        double surpriseSum;
        int bits;
        long rejected;
        double demanded; // expected hashes asked of the client: sum of n * 2^bits
    }

    ProofOfWorkDefense(DefenseCatalog.Spec spec, DefenseContext ctx) {
        this.spec = spec;
        this.base = spec.whole("base");
        this.max = spec.whole("max");
        this.gain = spec.number("gain");
        this.expiryMillis = Math.max(1, Math.round(spec.number("expiry") * 1000));
        this.clock = ctx.clockMillis();
        INDArray reps = ctx.defenderRepresentations();
        this.lsh = new Lsh(spec.whole("lsh"), reps, ctx.seed() + 17);
        long n = reps.size(0);
        long half = n / 2;
        int[] fit = lsh.hash(reps.get(NDArrayIndex.interval(0, half), NDArrayIndex.all()));
        int[] check = lsh.hash(reps.get(NDArrayIndex.interval(half, n), NDArrayIndex.all()));
        double[] counts = new double[lsh.buckets()];
        for (int b : fit) {
            counts[b]++;
        }
        double alpha = 0.5;
        double total = fit.length + alpha * counts.length;
        surprise = new double[counts.length];
        for (int b = 0; b < counts.length; b++) {
            surprise[b] = -Math.log((counts[b] + alpha) / total) / Math.log(2);
        }
        double s = 0;
        double ss = 0;
        for (int b : check) {
            s += surprise[b];
            ss += surprise[b] * surprise[b];
        }
        honestMean = s / check.length;
        honestSd = Math.sqrt(Math.max(0, ss / check.length - honestMean * honestMean));
        ids = new SplittableRandom(ctx.seed() ^ 0xC0FFEEL);
    }

    private Client client(String key) {
        return clients.computeIfAbsent(key, k -> {
            Client c = new Client();
            c.bits = base;
            return c;
        });
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public Challenge challenge(String client, int n) {
        Client c = client(client);
        String id = Long.toHexString(ids.nextLong()) + Long.toHexString(ids.nextLong());
        long expires = clock.getAsLong() + expiryMillis;
        issued.put(id, new Issued(client, c.bits, n, expires));
        c.demanded += n * Math.pow(2, c.bits);
        return new Challenge(id, c.bits, n, expires);
    }

    @Override
    public void admit(String client, Request request) {
        Client c = client(client);
        Proof p = request.proof();
        String why = null;
        if (p == null) {
            why = "no proof of work (ask for a challenge first)";
        } else {
            Issued is = issued.remove(p.challengeId()); // single-use: gone after any attempt
            if (is == null) {
                why = "unknown or already used challenge";
            } else if (!is.client.equals(client)) {
                why = "challenge issued to another client";
            } else if (clock.getAsLong() > is.expires) {
                why = "challenge expired";
            } else if (p.nonces() == null || p.nonces().length != request.n() || is.n != request.n()) {
                why = "the proof is for " + is.n + " images, the request has " + request.n();
            } else {
                for (int i = 0; i < request.n(); i++) {
                    if (!Hashcash.valid(p.challengeId(), i, p.nonces()[i], is.bits)) {
                        why = "wrong nonce for image " + i;
                        break;
                    }
                }
            }
        }
        if (why != null) {
            c.rejected++;
            throw new QueryRefusedException("client '" + client + "': proof of work refused: " + why);
        }
    }

    @Override
    public INDArray answer(String client, Request request, INDArray reps, boolean[] flagged) {
        Client c = client(client);
        for (int b : lsh.hash(request.cleanOr(reps))) {
            c.surpriseSum += surprise[b];
        }
        c.answered += reps.size(0);
        c.bits = (int) Math.min(max, base + Math.floor(gain * Math.max(0, departure(c))));
        return reps;
    }

    /** The client's mean surprise beyond honest traffic's, less three standard errors at its query count. */
    private double departure(Client c) {
        if (c.answered == 0) {
            return 0;
        }
        return c.surpriseSum / c.answered - honestMean - 3 * honestSd / Math.sqrt(c.answered);
    }

    @Override
    public Map<String, Double> state(String client) {
        Client c = client(client);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("bits", (double) c.bits);
        m.put("departure", departure(c));
        m.put("rejected", (double) c.rejected);
        m.put("demandedHashes", c.demanded);
        return m;
    }
}
