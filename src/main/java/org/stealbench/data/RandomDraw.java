package org.stealbench.data;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;

/** Seeded draws of distinct indices, the same on every JVM ({@link Random}'s sequence is specified by the JDK). */
public final class RandomDraw {

    private RandomDraw() {
    }

    /** {@code k} distinct indices of {@code 0..count-1}, ascending: the first {@code k} of a Fisher-Yates shuffle driven by {@code r}. */
    public static int[] sorted(int count, int k, Random r) {
        if (k < 0 || k > count) {
            throw new IllegalArgumentException("cannot draw " + k + " of " + count);
        }
        int[] perm = IntStream.range(0, count).toArray();
        for (int i = 0; i < k; i++) {
            int j = i + r.nextInt(count - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int[] picked = Arrays.copyOf(perm, k);
        Arrays.sort(picked);
        return picked;
    }
}
