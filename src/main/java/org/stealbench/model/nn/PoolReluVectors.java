package org.stealbench.model.nn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The full-size sweeps of {@link PoolReluKernels} with the JDK's vector API, one pass over a pooled
 * row's windows instead of the dozen whole-row loops the JIT vectorises on its own (decision 0027):
 * each window's four values are read once, its statistics, pick, gradient share and dx made in
 * registers. The arithmetic is the loops', term for term and in their order, so results are the
 * same floats (up to the sign of a zero). Used where a channel count is a multiple of a vector's
 * lanes (4 to 16 floats) and the {@code jdk.incubator.vector} module is present; this class is
 * loaded only then ({@link PoolReluKernels#vectors}).
 */
final class PoolReluVectors {

    private PoolReluVectors() {
    }

    /** The widest species, at most the CPU's preferred width, whose lanes divide {@code c}; null when none does. */
    static VectorSpecies<Float> species(int c) {
        for (VectorSpecies<Float> s = FloatVector.SPECIES_PREFERRED; ; s = narrower(s)) {
            if (s == null) {
                return null;
            }
            if (c % s.length() == 0) {
                return s;
            }
        }
    }

    private static VectorSpecies<Float> narrower(VectorSpecies<Float> s) {
        return switch (s.length()) {
            case 16 -> FloatVector.SPECIES_256;
            case 8 -> FloatVector.SPECIES_128;
            default -> null;
        };
    }

    /**
     * One pooled row of {@link PoolReluKernels#momentsAndPicks}: {@code top} and {@code bottom} are its two input
     * rows as read; per place of a row, {@code s1} and {@code s2} gain the signed values' deviations from
     * {@code kr} and their squares (the top row's before the bottom's), and {@code pick} gets each window's
     * largest signed value. {@code sr} is the channels' signs and {@code kr} the shift, repeated over a row.
     */
    static void moments(VectorSpecies<Float> sp, int wo, int c, float[] top, float[] bottom, float[] sr, float[] kr, float[] s1, float[] s2,
                        float[] pick) {
        int lanes = sp.length();
        for (int q = 0; q < wo; q++) {
            for (int j = 0; j < c; j += lanes) {
                int i0 = 2 * q * c + j;
                int i1 = i0 + c;
                FloatVector sign = FloatVector.fromArray(sp, sr, i0);
                FloatVector k = FloatVector.fromArray(sp, kr, i0);
                FloatVector t0 = FloatVector.fromArray(sp, top, i0).mul(sign);
                FloatVector t1 = FloatVector.fromArray(sp, top, i1).mul(sign);
                FloatVector b0 = FloatVector.fromArray(sp, bottom, i0).mul(sign);
                FloatVector b1 = FloatVector.fromArray(sp, bottom, i1).mul(sign);
                accumulate(sp, t0, b0, k, s1, s2, i0);
                accumulate(sp, t1, b1, k, s1, s2, i1);
                t0.max(t1).max(b0.max(b1)).intoArray(pick, q * c + j);
            }
        }
    }

    private static void accumulate(VectorSpecies<Float> sp, FloatVector upper, FloatVector lower, FloatVector k, float[] s1, float[] s2, int i) {
        FloatVector du = upper.sub(k);
        FloatVector dl = lower.sub(k);
        FloatVector.fromArray(sp, s1, i).add(du).add(dl).intoArray(s1, i);
        FloatVector.fromArray(sp, s2, i).add(du.mul(du)).add(dl.mul(dl)).intoArray(s2, i);
    }

    /**
     * One pooled row of {@link PoolReluKernels#inputGradient}: dx = b*x + d at every window place, plus a*dy at
     * the window's pick (the first of its largest signed values), dy being {@code g} where {@code out} > 0. Reads
     * {@code top} and {@code bottom} (the input rows), writes {@code dxTop} and {@code dxBottom} at the windows'
     * places (a dropped last column is the caller's). {@code sr}, {@code bt}, {@code dt} are per channel repeated
     * over a row, {@code at} over a pooled row.
     */
    static void inputGradient(VectorSpecies<Float> sp, int wo, int c, float[] top, float[] bottom, float[] gb, float[] ob, float[] sr,
                              float[] at, float[] bt, float[] dt, float[] dxTop, float[] dxBottom) {
        int lanes = sp.length();
        FloatVector zero = FloatVector.zero(sp);
        for (int q = 0; q < wo; q++) {
            for (int j = 0; j < c; j += lanes) {
                int i0 = 2 * q * c + j;
                int i1 = i0 + c;
                int p = q * c + j;
                FloatVector ady = FloatVector.fromArray(sp, at, p).mul(FloatVector.fromArray(sp, gb, p));
                VectorMask<Float> passed = FloatVector.fromArray(sp, ob, p).compare(VectorOperators.GT, 0f);
                ady = zero.blend(ady, passed);
                FloatVector sign = FloatVector.fromArray(sp, sr, i0);
                FloatVector b = FloatVector.fromArray(sp, bt, i0);
                FloatVector d = FloatVector.fromArray(sp, dt, i0);
                FloatVector x0 = FloatVector.fromArray(sp, top, i0);
                FloatVector x1 = FloatVector.fromArray(sp, top, i1);
                FloatVector x2 = FloatVector.fromArray(sp, bottom, i0);
                FloatVector x3 = FloatVector.fromArray(sp, bottom, i1);
                FloatVector v0 = x0.mul(sign);
                FloatVector v1 = x1.mul(sign);
                FloatVector v2 = x2.mul(sign);
                FloatVector v3 = x3.mul(sign);
                FloatVector m = v0.max(v1).max(v2.max(v3));
                VectorMask<Float> e0 = v0.compare(VectorOperators.EQ, m);
                VectorMask<Float> taken = e0;
                VectorMask<Float> e1 = v1.compare(VectorOperators.EQ, m).andNot(taken);
                taken = taken.or(e1);
                VectorMask<Float> e2 = v2.compare(VectorOperators.EQ, m).andNot(taken);
                VectorMask<Float> e3 = taken.or(e2).not();
                b.mul(x0).add(d).add(zero.blend(ady, e0)).intoArray(dxTop, i0);
                b.mul(x1).add(d).add(zero.blend(ady, e1)).intoArray(dxTop, i1);
                b.mul(x2).add(d).add(zero.blend(ady, e2)).intoArray(dxBottom, i0);
                b.mul(x3).add(d).add(zero.blend(ady, e3)).intoArray(dxBottom, i1);
            }
        }
    }
}
