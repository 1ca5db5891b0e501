package org.stealbench.defense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stealbench.api.ApiClient;
import org.stealbench.api.Challenge;
import org.stealbench.api.Defense;
import org.stealbench.api.Hashcash;
import org.stealbench.api.InProcessEncoderApi;
import org.stealbench.api.Proof;
import org.stealbench.api.QueryRefusedException;
import org.stealbench.model.Architecture;
import org.stealbench.model.Encoder;
import org.stealbench.model.EncoderSpec;
import org.stealbench.model.NativeBackend;

/** Each defence on constructed traffic, the proof-of-work protocol, per-client transformations and the catalog's checks. */
class DefenseTest {

    @BeforeAll
    static void backend() {
        NativeBackend.configure();
    }

    static DefenseContext context(int d, AtomicLong clock) {
        Nd4j.getRandom().setSeed(11);
        return new DefenseContext(Nd4j.rand(DataType.FLOAT, 400, d), 5, clock::get);
    }

    static float[] gaussianImages(int n, int size, SplittableRandom r) {
        float[] x = new float[n * size];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Lsh.gaussian(r);
        }
        return x;
    }

    @Test
    void catalogRefusesUnknownNamesAndOutOfRangeValuesWithTheRange() {
        assertNull(DefenseCatalog.check("prada"));
        assertNull(DefenseCatalog.check("pow:base=8,max=12"));
        assertEquals("pow:base=10", DefenseCatalog.parse("pow:base=10").name());
        assertEquals("prada", DefenseCatalog.parse("prada:threshold=0.9").name());
        assertTrue(DefenseCatalog.check("firewall").contains("unknown defence 'firewall'; known: poisoning, similarity, prada, pow, coverage"));
        assertTrue(DefenseCatalog.check("pow:base=40").contains("base must be between 0 and 24, not 40"), DefenseCatalog.check("pow:base=40"));
        assertTrue(DefenseCatalog.check("prada:threshold=x").contains("threshold must be a number"));
        assertTrue(DefenseCatalog.check("pow:base=8.5").contains("whole number"));
        assertTrue(DefenseCatalog.check("similarity:action=shout").contains("action must be one of garbage, refuse"));
        assertTrue(DefenseCatalog.check("prada:speed=3").contains("prada has no parameter 'speed'; it has threshold, min"));
        assertTrue(DefenseCatalog.check("pow:base=12,max=10").contains("max (10) must be at least base (12)"));
    }

    @Test
    void pradaFlagsSyntheticTrafficAndNotNaturalTraffic() {
        AtomicLong clock = new AtomicLong();
        int size = 64;
        SplittableRandom r = new SplittableRandom(3);
        // natural: independent images
        Defense natural = DefenseCatalog.build("prada", context(8, clock));
        for (int b = 0; b < 10; b++) {
            natural.admit("honest", new Defense.Request(gaussianImages(50, size, r), 50, null));
        }
        assertEquals(0.0, natural.state("honest").get("flagged"));
        assertTrue(natural.state("honest").get("W") > 0.9, "W of independent images: " + natural.state("honest").get("W"));
        // synthetic: a few seeds, then tiny steps away from earlier queries (as Jacobian augmentation does)
        Defense prada = DefenseCatalog.build("prada", context(8, clock));
        float[] seeds = gaussianImages(10, size, r);
        prada.admit("attacker", new Defense.Request(seeds, 10, null));
        List<float[]> earlier = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            earlier.add(java.util.Arrays.copyOfRange(seeds, i * size, (i + 1) * size));
        }
        QueryRefusedException refused = null;
        for (int b = 0; b < 20 && refused == null; b++) {
            float[] batch = new float[25 * size];
            for (int i = 0; i < 25; i++) {
                float[] from = earlier.get(r.nextInt(earlier.size()));
                for (int j = 0; j < size; j++) {
                    batch[i * size + j] = from[j] + (float) (0.01 * Lsh.gaussian(r));
                }
                earlier.add(java.util.Arrays.copyOfRange(batch, i * size, (i + 1) * size));
            }
            try {
                prada.admit("attacker", new Defense.Request(batch, 25, null));
            } catch (QueryRefusedException e) {
                refused = e;
            }
        }
        assertNotNull(refused, "the synthetic stream must be flagged");
        assertTrue(refused.getMessage().contains("PRADA"));
        assertEquals(1.0, prada.state("attacker").get("flagged"));
        // flagged for good: the next request is refused straight away
        assertThrows(QueryRefusedException.class, () -> prada.admit("attacker", new Defense.Request(gaussianImages(1, size, r), 1, null)));
        // other clients are not affected
        prada.admit("someone else", new Defense.Request(gaussianImages(5, size, r), 5, null));
    }

    @Test
    void similarityDetectionFlagsRepeatsAndNotOrthogonalQueries() {
        AtomicLong clock = new AtomicLong();
        Defense sim = DefenseCatalog.build("similarity", context(8, clock));
        INDArray distinct = Nd4j.eye(8).castTo(DataType.FLOAT); // cos 0 -> (0+1)/2 = 0.5 < 0.8
        boolean[] flags = new boolean[8];
        INDArray out = sim.answer("c", new Defense.Request(new float[8], 8, null), distinct.dup(), flags);
        for (boolean f : flags) {
            assertFalse(f);
        }
        assertEquals(0, out.sub(distinct).amaxNumber().doubleValue(), 0);
        // the same directions again (scaled): flagged and answered with garbage around 1000
        boolean[] again = new boolean[8];
        INDArray garbage = sim.answer("c", new Defense.Request(new float[8], 8, null), distinct.mul(3), again);
        for (boolean f : again) {
            assertTrue(f);
        }
        assertTrue(garbage.meanNumber().doubleValue() > 900);
        assertEquals(8.0, sim.state("c").get("flagged"));
        // another client's history is its own
        boolean[] other = new boolean[8];
        sim.answer("d", new Defense.Request(new float[8], 8, null), distinct.dup(), other);
        assertFalse(other[0]);
        // refuse: the request is refused whole
        Defense refusing = DefenseCatalog.build("similarity:action=refuse", context(8, clock));
        refusing.answer("c", new Defense.Request(new float[8], 8, null), distinct.dup(), new boolean[8]);
        assertThrows(QueryRefusedException.class, () -> refusing.answer("c", new Defense.Request(new float[8], 8, null), distinct.dup(), new boolean[8]));
    }

    static Encoder victim() {
        return new Encoder(EncoderSpec.of(Architecture.SMALL_CNN, 1, 16, 16, null), 1);
    }

    @Test
    void proofOfWorkRefusesMissingWrongReplayedAndExpiredProofs() {
        AtomicLong clock = new AtomicLong(1_000);
        Encoder v = victim();
        Defense pow = DefenseCatalog.build("pow:base=6,expiry=10", context(v.spec().repDim(), clock));
        InProcessEncoderApi api = new InProcessEncoderApi(v, Long.MAX_VALUE, false, List.of(pow));
        float[] img = new float[2 * 256];
        // no proof
        assertThrows(QueryRefusedException.class, () -> api.query("c", img, 2));
        // wrong nonce: a nonce that does not solve image 0
        Challenge ch = api.challenge("c", 2);
        assertEquals(6, ch.bits());
        Proof good = Hashcash.solve(ch, new long[1]);
        long bad = 0;
        while (Hashcash.valid(ch.id(), 0, bad, ch.bits())) {
            bad++;
        }
        long[] wrong = good.nonces().clone();
        wrong[0] = bad;
        assertThrows(QueryRefusedException.class, () -> api.query("c", img, 2, new Proof(ch.id(), wrong)));
        // the challenge was used up by that attempt, so even the right answer is now a replay
        QueryRefusedException replay = assertThrows(QueryRefusedException.class, () -> api.query("c", img, 2, good));
        assertTrue(replay.getMessage().contains("already used"));
        // a fresh challenge solved in time is answered; the same proof again is a replay
        Challenge ch2 = api.challenge("c", 2);
        Proof p2 = Hashcash.solve(ch2, new long[1]);
        assertEquals(2, api.query("c", img, 2, p2).size(0));
        assertThrows(QueryRefusedException.class, () -> api.query("c", img, 2, p2));
        // expired
        Challenge ch3 = api.challenge("c", 2);
        Proof p3 = Hashcash.solve(ch3, new long[1]);
        clock.addAndGet(10_001);
        QueryRefusedException late = assertThrows(QueryRefusedException.class, () -> api.query("c", img, 2, p3));
        assertTrue(late.getMessage().contains("expired"));
        // a challenge of one client does not serve another
        Challenge ch4 = api.challenge("c", 2);
        assertThrows(QueryRefusedException.class, () -> api.query("d", img, 2, Hashcash.solve(ch4, new long[1])));
        assertEquals(5.0, pow.state("c").get("rejected"));
        assertEquals(2, api.account("c").answered());
        assertEquals(10, api.account("c").denied()); // five refused requests of two images
        // the client that solves puzzles for real gets answers and counts its work
        ApiClient client = new ApiClient(api, "e");
        client.query(img, 2);
        assertTrue(client.work().hashes() >= 2, "at least one hash per image");
        assertEquals(6, client.maxBits());
    }

    @Test
    void proofOfWorkCostsGrowWithDifficulty() {
        // expected hashes per image: 2^bits; over 200 images the mean is within a few standard errors
        long[] h = new long[1];
        Hashcash.solve(new Challenge("x", 8, 200, Long.MAX_VALUE), h);
        assertTrue(h[0] > 200 * 256 * 0.8 && h[0] < 200 * 256 * 1.2, "hashes " + h[0]);
    }

    @Test
    void perClientTransformationDiffersBetweenKeysAndIsStableForOne() {
        AtomicLong clock = new AtomicLong();
        CoverageDefense cov = (CoverageDefense) DefenseCatalog.build("coverage:sigma=0", context(16, clock));
        INDArray reps = Nd4j.rand(DataType.FLOAT, 5, 16);
        INDArray a1 = cov.transformOf("alice", reps);
        INDArray a2 = cov.transformOf("alice", reps);
        INDArray b = cov.transformOf("bob", reps);
        assertEquals(0, a1.sub(a2).amaxNumber().doubleValue(), 0);
        assertTrue(a1.sub(b).amaxNumber().doubleValue() > 0.1);
        // orthogonal: norms and inner products are kept
        assertEquals(reps.norm2Number().doubleValue(), a1.norm2Number().doubleValue(), 1e-4);
        // a fresh defence with the same seed gives alice the same map
        CoverageDefense again = (CoverageDefense) DefenseCatalog.build("coverage:sigma=0", context(16, clock));
        assertEquals(0, again.transformOf("alice", reps).sub(a1).amaxNumber().doubleValue(), 1e-6);
        // answers go through it; coverage grows with what the client has seen
        INDArray out = cov.answer("alice", new Defense.Request(new float[5], 5, null), reps.dup(), new boolean[5]);
        assertEquals(0, out.sub(a1).amaxNumber().doubleValue(), 1e-5);
        assertTrue(cov.state("alice").get("coverage") > 0);
        assertEquals(0.0, cov.state("carol").get("coverage"));
    }

    @Test
    void coverageNoiseGrowsWithCoverage() {
        AtomicLong clock = new AtomicLong();
        DefenseContext ctx = context(16, clock);
        Defense cov = DefenseCatalog.build("coverage:lsh=4,transform=none", ctx);
        INDArray one = ctx.defenderRepresentations().getRow(0).reshape(1, 16).dup();
        INDArray first = cov.answer("c", new Defense.Request(new float[1], 1, null), one.dup(), new boolean[1]);
        double small = cov.state("c").get("noise");
        cov.answer("c", new Defense.Request(new float[400], 400, null), ctx.defenderRepresentations().dup(), new boolean[400]);
        double large = cov.state("c").get("noise");
        assertTrue(large > 4 * small, small + " -> " + large);
        assertTrue(first.sub(one).amaxNumber().doubleValue() > 0);
    }

    @Test
    void poisoningAddsTheReferenceNoise() {
        AtomicLong clock = new AtomicLong();
        Defense p = DefenseCatalog.build("poisoning", context(8, clock));
        INDArray zeros = Nd4j.zeros(DataType.FLOAT, 500, 8);
        INDArray out = p.answer("c", new Defense.Request(new float[500], 500, null), zeros, new boolean[500]);
        assertEquals(5.0, out.meanNumber().doubleValue(), 0.05);
        assertEquals(0.5, out.stdNumber().doubleValue(), 0.02);
        Defense rel = DefenseCatalog.build("poisoning:mean=0,sigma=0.1,relative=true", context(8, clock));
        INDArray big = Nd4j.ones(DataType.FLOAT, 500, 8).muli(100);
        INDArray noisy = rel.answer("c", new Defense.Request(new float[500], 500, null), big.dup(), new boolean[500]);
        assertEquals(10.0, noisy.sub(big).stdNumber().doubleValue(), 0.5);
    }
}
