package org.stealbench.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;

/**
 * Which images of a dataset play which role (docs/protocol.md, "Roles of images"): every rule that
 * picks image indices lives here, and {@code experiment.Protocol} is the one caller that applies
 * them to a run. Every draw is class-balanced and seeded.
 *
 * <p>The layout of one dataset, given the victim's training indices when it is the victim's
 * dataset (and none otherwise), in this order:
 * <ol>
 *   <li>test split: the probe's test images ({@value #MAX_PROBE_TEST} at most; half the split at
 *   most for the victim's dataset), then, for the victim's dataset only, the held-out images
 *   ({@value #MAX_HELD_OUT} at most) that fidelity, plug-in agreement and the watermark use;</li>
 *   <li>training split less the victim's images: the honest user's images (a tenth,
 *   {@value #MAX_HONEST} at most), then the probe's training images (half of the rest,
 *   {@value #MAX_PROBE_TRAIN} at most);</li>
 *   <li>whatever is left of both splits is the attacker's query pool.</li>
 * </ol>
 * A victim trained on the whole training split (or said to be, when its training indices are not
 * known, as for an imported model) leaves nothing of it free: then the honest user's, the probe's
 * and the pool's training images are drawn from the whole split, so they are also the victim's
 * ({@link Layout#sharesVictimTraining}): linear evaluation does the same (the victim never saw the
 * labels), and the paper steals with the victim's own training data too. Held-out and probe-test
 * images stay test images the victim never saw.
 * The layout depends on the dataset and the victim only, never on the budget, the loss, the
 * stealing dataset or the experiment's seed, so every run against one victim is scored on the
 * same images.
 */
public final class Roles {

    /** Seed of every layout draw and of the query draw (the experiment's own seed drives training only). */
    public static final long SEED = 1;
    public static final int MAX_PROBE_TRAIN = 10_000;
    public static final int MAX_PROBE_TEST = 2_000;
    public static final int MAX_HELD_OUT = 2_000;
    public static final int MAX_HONEST = 2_000;

    private Roles() {
    }

    /**
     * The role index sets of one dataset. Indices into the training split: victimTrain, honest,
     * probeTrain, poolTrain; into the test split: probeTest, heldOut, poolTest. All ascending.
     */
    public record Layout(int trainSize, int testSize, int[] victimTrain, int[] probeTest, int[] heldOut, int[] honest, int[] probeTrain,
                         int[] poolTrain, int[] poolTest, boolean sharesVictimTraining) {

        public int poolSize() {
            return poolTrain.length + poolTest.length;
        }

        /** Every role's name and its index set, training-split roles first. */
        public List<Role> roles() {
            return List.of(new Role("victim-train", Split.TRAIN, victimTrain), new Role("honest-user", Split.TRAIN, honest),
                    new Role("probe-train", Split.TRAIN, probeTrain), new Role("attacker-pool", Split.TRAIN, poolTrain),
                    new Role("probe-test", Split.TEST, probeTest), new Role("held-out", Split.TEST, heldOut),
                    new Role("attacker-pool", Split.TEST, poolTest));
        }
    }

    /** One role's images: which split, which indices. */
    public record Role(String name, Split split, int[] indices) {
    }

    /**
     * @param victimTrain the victim's training indices when this is the victim's dataset, else null
     */
    public static Layout layout(int[] trainLabels, int[] testLabels, int[] victimTrain) {
        boolean victims = victimTrain != null;
        int[] vt = victims ? victimTrain.clone() : new int[0];
        Arrays.sort(vt);
        for (int i : vt) {
            if (i < 0 || i >= trainLabels.length) {
                throw new DatasetException("the victim's training index " + i + " is outside the training split (0.."
                        + (trainLabels.length - 1) + "): the dataset is not the one the victim was trained on");
            }
        }
        int[] testAll = range(testLabels.length);
        int probeTestN = Math.min(MAX_PROBE_TEST, victims ? testLabels.length / 2 : testLabels.length);
        int[] probeTest = stratified(testLabels, testAll, probeTestN, mix(SEED, 1));
        int[] testRest = minus(testAll, probeTest);
        int[] heldOut = victims ? stratified(testLabels, testRest, Math.min(MAX_HELD_OUT, testRest.length), mix(SEED, 2)) : new int[0];
        int[] poolTest = minus(testRest, heldOut);

        int[] trainFree = minus(range(trainLabels.length), vt);
        boolean shares = victims && trainFree.length == 0 && trainLabels.length > 0;
        if (shares) {
            trainFree = range(trainLabels.length);
        }
        int[] honest = stratified(trainLabels, trainFree, Math.min(MAX_HONEST, trainFree.length / 10), mix(SEED, 3));
        int[] trainRest = minus(trainFree, honest);
        int[] probeTrain = stratified(trainLabels, trainRest, Math.min(MAX_PROBE_TRAIN, trainRest.length / 2), mix(SEED, 4));
        int[] poolTrain = minus(trainRest, probeTrain);
        return new Layout(trainLabels.length, testLabels.length, vt, probeTest, heldOut, honest, probeTrain, poolTrain, poolTest, shares);
    }

    /** The victim's training images: the whole training split, or a class-balanced draw of {@code n} of it. */
    public static int[] victimTraining(int[] trainLabels, int n, long seed) {
        if (n >= trainLabels.length) {
            return range(trainLabels.length);
        }
        return stratified(trainLabels, range(trainLabels.length), n, mix(seed, 5));
    }

    /** {@code k} query images of a pool (indices into it): class-balanced, seeded, and nested (a smaller budget takes a subset). */
    public static int[] queries(int[] poolLabels, int k) {
        if (k > poolLabels.length) {
            throw new IllegalArgumentException("cannot draw " + k + " queries from a pool of " + poolLabels.length);
        }
        return stratified(poolLabels, range(poolLabels.length), k, mix(SEED, 6));
    }

    /**
     * {@code k} of {@code candidates}, ascending, every class in proportion to its share of the
     * candidates (within one image): each class's candidates are shuffled with one seeded
     * generator, then images are taken one at a time from the class furthest below its share.
     * For a fixed seed a smaller {@code k} takes a subset of a larger one.
     */
    public static int[] stratified(int[] labels, int[] candidates, int k, long seed) {
        if (k < 0 || k > candidates.length) {
            throw new IllegalArgumentException("cannot draw " + k + " of " + candidates.length + " images");
        }
        int classes = 0;
        for (int c : candidates) {
            classes = Math.max(classes, labels[c] + 1);
        }
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int c : candidates) {
            byClass.get(labels[c]).add(c);
        }
        Random r = new Random(seed);
        int[][] shuffled = new int[classes][];
        for (int c = 0; c < classes; c++) {
            List<Integer> members = byClass.get(c);
            int[] m = members.stream().mapToInt(Integer::intValue).toArray();
            for (int i = m.length - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = m[i];
                m[i] = m[j];
                m[j] = t;
            }
            shuffled[c] = m;
        }
        int[] taken = new int[classes];
        int[] out = new int[k];
        double total = candidates.length;
        for (int j = 0; j < k; j++) {
            int best = -1;
            double bestDeficit = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                if (taken[c] < shuffled[c].length) {
                    double deficit = (j + 1) * (shuffled[c].length / total) - taken[c];
                    if (deficit > bestDeficit + 1e-12) {
                        bestDeficit = deficit;
                        best = c;
                    }
                }
            }
            out[j] = shuffled[best][taken[best]++];
        }
        Arrays.sort(out);
        return out;
    }

    /** True when no two of the index sets share an index. */
    public static boolean disjoint(int[]... sets) {
        BitSet seen = new BitSet();
        for (int[] s : sets) {
            for (int i : s) {
                if (seen.get(i)) {
                    return false;
                }
                seen.set(i);
            }
        }
        return true;
    }

    static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    /** The elements of sorted {@code all} not in {@code remove}. */
    static int[] minus(int[] all, int[] remove) {
        BitSet gone = new BitSet();
        for (int i : remove) {
            gone.set(i);
        }
        return Arrays.stream(all).filter(i -> !gone.get(i)).toArray();
    }

    static long mix(long seed, long i) {
        long z = seed + 0x9E3779B97F4A7C15L * (i + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
