package org.stealbench.model.nn;

import java.nio.FloatBuffer;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training-mode batch norm, 2x2 max pooling (stride 2) and ReLU, the small CNN's block after each
 * convolution, in two sweeps of the full-size float32 NHWC activations where the three layers took
 * about ten (normalise, pool, pool's backward, batch norm's two backward sweeps; decision 0023).
 *
 * <p>Batch norm is y = scale * x + shift per channel, monotone in x, so the window's largest y is
 * the image of the window's largest x where scale >= 0 and of its smallest x where scale < 0, and
 * the scale's sign is gamma's (the scale is gamma over a positive deviation). So the forward pass's
 * one full-size sweep takes the batch's moments and pools {@code sign * x} together; a sweep at
 * pooled size then applies scale, shift and the ReLU to the picks, writing the pooled output and
 * the picked value's deviation from the batch mean. The
 * backward pass takes batch norm's two sums at pooled size (dy is zero outside the picks and where
 * the ReLU's output is zero), then, one pooled row at a time, finds each window's pick again (the
 * first largest, as the pooling layer picks) and writes dx = a*dy + b*(x - mean) + c: one read of x,
 * one write of dx. Rows and columns the pooling drops (odd sizes) get no dy, as in the three layers.
 *
 * <p>Every loop is branch-free, runs over a whole row or pooled row and does one thing, in a
 * method of its own: that is what the JIT vectorises, and compiles within a few hundred calls
 * (a loop inside a long method waits for on-stack replacement). It does not vectorise a loop that
 * reads one array at two offsets whose distance is not a compile-time constant (0.5 ns a value
 * against 0.07, measured), hence each row is read twice, the second time one column to the left;
 * nor a loop over one window's channels (too short for its unrolled vector loop), nor one that
 * computes several results from one value (the four-way pick in one loop: 6.7 ns a value; in the
 * loops below: 0.6).
 */
final class PoolReluKernels {

    private PoolReluKernels() {
    }

    /** Whether a [N, H, W, C] input can take these kernels: float32 host arrays and at least one window. */
    static boolean applies(INDArray x) {
        return x.rank() == 4 && x.size(1) >= 2 && x.size(2) >= 2 && BatchNormKernels.applies(x);
    }

    /** [N, H / 2, W / 2, C]: the pooled shape of a [N, H, W, C] input. */
    static long[] pooledShape(INDArray x) {
        return new long[] {x.size(0), x.size(1) / 2, x.size(2) / 2, x.size(3)};
    }

    /** Pooled rows a sweep's part adds into its float accumulators before moving them to double: at most 48 values a place. */
    private static final int FLUSH_UNITS = 16;

    /**
     * The forward pass's first sweep, its only full-size one: the batch's per-channel mean and sum of
     * squared deviations ({mean, ssd}, as {@link BatchNormKernels#moments}: shifted by the first pixel's
     * values, so a channel far from zero mean keeps its variance), and each window's signed pick,
     * {@code sign * x} at the window's largest {@code sign * x} (the first such), into {@code picks}
     * (the pooled shape). {@code sign} is the sign of each channel's scale, known before the statistics
     * (the scale is gamma over a positive deviation). Rows and columns the pooling drops count in the
     * statistics.
     */
    static double[][] momentsAndPicks(INDArray x, float[] sign, INDArray picks) {
        return momentsAndPicks(x, sign, picks, VECTORS);
    }

    /** {@link #momentsAndPicks}, with the vector API's kernel where {@code vectors} and the channels allow it. */
    static double[][] momentsAndPicks(INDArray x, float[] sign, INDArray picks, boolean vectors) {
        Geometry t = new Geometry(x);
        float[] sr = repeat(sign, t.w);
        FloatBuffer xs = BatchNormKernels.floats(x);
        FloatBuffer ps = BatchNormKernels.floats(picks);
        float[] first = new float[t.c];
        xs.get(0, first, 0, t.c);
        // the sums run on the signed rows: shifted by the signed first pixel, sum(d) is the sign times the
        // plain shifted sum and sum(d * d) is the plain one
        float[] kr = repeat(product(sign, first), t.w);
        Object sp = vectors ? species(t.c) : null;
        List<double[]> parts = BatchNormKernels.run(t.units(), 2 * t.row, (from, to) -> {
            if (sp != null) {
                return momentsAndPicksVectors(sp, t, xs, ps, sr, kr, from, to);
            }
            Rows x4 = new Rows(t);
            float[] largest = new float[t.row];
            float[] pick = new float[t.pooledRow];
            float[] extra = new float[t.row];
            float[] s1 = new float[t.row];
            float[] s2 = new float[t.row];
            return momentRows(t, ps, pick, s1, s2, from, to, u -> {
                int start = t.firstInput(u);
                x4.read(xs, start, sr);
                deviations(x4.top, kr, s1, s2);
                deviations(x4.bottom, kr, s1, s2);
                if (t.inputRows(u) == 3) {
                    xs.get(start + 2 * t.row, extra, 0, t.row);
                    times(extra, sr, t.row);
                    deviations(extra, kr, s1, s2);
                }
                // the window's largest signed value at its top-left place, for every place of the row (places in odd
                // column pairs give values never used)
                x4.windowMax(largest);
                t.gather(largest, pick);
            });
        });
        return BatchNormKernels.moments(BatchNormKernels.sum(parts, 2 * t.c), first, sign, (long) t.n * t.h * t.w);
    }

    /**
     * The forward pass's second sweep, at pooled size: {@code pooled} holds the signed picks of
     * {@link #momentsAndPicks} and gets the pick's deviation from the mean (x - mean, x = sign * pick);
     * out = max(0, scale * x + shift) = max(0, |scale| * pick + shift).
     */
    static void activate(INDArray pooled, float[] scale, float[] shift, float[] sign, float[] mean, INDArray out) {
        int c = (int) pooled.size(pooled.rank() - 1);
        long rows = pooled.length() / c;
        float[] mag = magnitudes(scale);
        int block = BatchNormKernels.block(c);
        int times = block / c;
        float[] at = repeat(mag, times);
        float[] bt = repeat(shift, times);
        float[] st = repeat(sign, times);
        float[] mt = repeat(mean, times);
        FloatBuffer ps = BatchNormKernels.floats(pooled);
        FloatBuffer os = BatchNormKernels.floats(out);
        BatchNormKernels.run(rows, c, (from, to) -> {
            float[] pb = new float[block];
            float[] ob = new float[block];
            float[] cb = new float[block];
            for (long r = from; r < to; r += times) {
                int len = (int) Math.min(times, to - r) * c;
                int start = (int) (r * c);
                ps.get(start, pb, 0, len);
                activate(pb, at, bt, st, mt, ob, cb, len);
                os.put(start, ob, 0, len);
                ps.put(start, cb, 0, len);
            }
            return null;
        });
    }

    /** Signs of the channels' scales: +1 where gamma >= 0 (a scale of zero picks like a positive one), -1 below. */
    static float[] signs(float[] gamma) {
        float[] s = new float[gamma.length];
        for (int j = 0; j < s.length; j++) {
            s[j] = gamma[j] >= 0 ? 1f : -1f;
        }
        return s;
    }

    /**
     * Batch norm's backward sums over the picks: sum(dy) into {@code sumDy} and sum(dy * (x - mean))
     * into {@code sumDyXc}, dy being the output gradient {@code g} where the ReLU passed ({@code out} > 0).
     */
    static void backwardSums(INDArray g, INDArray out, INDArray centred, double[] sumDy, double[] sumDyXc) {
        int c = (int) g.size(3);
        long rows = g.length() / c;
        FloatBuffer gs = BatchNormKernels.floats(g);
        FloatBuffer os = BatchNormKernels.floats(out);
        FloatBuffer cs = BatchNormKernels.floats(centred);
        int block = BatchNormKernels.block(c);
        List<double[]> parts = BatchNormKernels.run(rows, c, (from, to) -> {
            float[] gb = new float[block];
            float[] ob = new float[block];
            float[] cb = new float[block];
            float[] s1 = new float[block];
            float[] s2 = new float[block];
            for (long r = from; r < to; r += block / c) {
                int len = (int) Math.min(block / c, to - r) * c;
                int start = (int) (r * c);
                gs.get(start, gb, 0, len);
                os.get(start, ob, 0, len);
                cs.get(start, cb, 0, len);
                accumulate(gb, ob, cb, s1, s2, len);
            }
            return BatchNormKernels.channelSums(s1, s2, c);
        });
        double[] all = BatchNormKernels.sum(parts, 2 * c);
        System.arraycopy(all, 0, sumDy, 0, c);
        System.arraycopy(all, c, sumDyXc, 0, c);
    }

    /**
     * dx = a*dy + b*(x - mean) + c per channel, dy being the output gradient (where the ReLU passed)
     * at each window's pick and zero elsewhere; the picks are found again from x, the same way
     * ({@code sign} is the forward pass's). {@code dx} has x's shape and may not alias it.
     */
    static void inputGradient(INDArray x, float[] sign, INDArray g, INDArray out, float[] mean, float[] a, float[] b, float[] cc,
                              INDArray dx) {
        inputGradient(x, sign, g, out, mean, a, b, cc, dx, VECTORS);
    }

    /** {@link #inputGradient}, with the vector API's kernel where {@code vectors} and the channels allow it. */
    static void inputGradient(INDArray x, float[] sign, INDArray g, INDArray out, float[] mean, float[] a, float[] b, float[] cc,
                              INDArray dx, boolean vectors) {
        Geometry t = new Geometry(x);
        // b*x + (c - b*mean): one multiply-add per value, b*x as (b*sign)*(sign*x) on the signed rows
        float[] sr = repeat(sign, t.w);
        float[] bt = repeat(b, t.w);
        float[] bs = repeat(product(b, sign), t.w);
        float[] dt = repeat(BatchNormKernels.offsets(cc, b, mean), t.w);
        float[] at = repeat(a, t.wo);
        FloatBuffer xs = BatchNormKernels.floats(x);
        FloatBuffer gs = BatchNormKernels.floats(g);
        FloatBuffer os = BatchNormKernels.floats(out);
        FloatBuffer ds = BatchNormKernels.floats(dx);
        Object sp = vectors ? species(t.c) : null;
        BatchNormKernels.run(t.units(), 2 * t.row, (from, to) -> {
            if (sp != null) {
                inputGradientVectors(sp, t, xs, gs, os, ds, sr, at, bt, dt, from, to);
                return null;
            }
            Rows x4 = new Rows(t);
            float[] largest = new float[t.row];
            // the row the pooling dropped after a pooled row's two (the last of an odd height)
            float[] extra = new float[t.row];
            float[] gb = new float[t.pooledRow];
            float[] ob = new float[t.pooledRow];
            // a*dy at each window's top-left place in the row: zero in odd column pairs and the dropped column, always
            float[] ady = new float[t.row];
            // a*dy for the window's top-left, top-right, bottom-left and bottom-right places, at its top-left place;
            // the right ones then moved one column right (their first column, never written, stays zero)
            float[] p0 = new float[t.row];
            float[] p1 = new float[t.row];
            float[] p2 = new float[t.row];
            float[] p3 = new float[t.row];
            float[] p1r = new float[t.row];
            float[] p3r = new float[t.row];
            int span = t.span();
            for (long u = from; u < to; u++) {
                int start = t.firstInput(u);
                x4.read(xs, start, sr);
                int base = t.firstPooled(u);
                gs.get(base, gb, 0, t.pooledRow);
                os.get(base, ob, 0, t.pooledRow);
                gate(gb, at, ob);
                t.spread(gb, ady);
                // the pick is the first of the window's (signed) values equal to their largest: one-hot p0..p3 times a*dy
                x4.windowMax(largest);
                first(largest, x4.top, p0, span);
                second(largest, x4.topRight, p0, p1, span);
                third(largest, x4.bottom, p0, p1, p2, span);
                fourth(ady, p0, p1, p2, p3, span);
                times(p0, ady, span);
                times(p1, ady, span);
                times(p2, ady, span);
                System.arraycopy(p1, 0, p1r, t.c, span);
                System.arraycopy(p3, 0, p3r, t.c, span);
                // p0..p3 beyond span are never written: zero
                dense(x4.top, bs, dt, p0, p1r);
                dense(x4.bottom, bs, dt, p2, p3r);
                ds.put(start, x4.top, 0, t.row);
                ds.put(start + t.row, x4.bottom, 0, t.row);
                if (t.inputRows(u) == 3) {
                    xs.get(start + 2 * t.row, extra, 0, t.row);
                    dense(extra, bt, dt);
                    ds.put(start + 2 * t.row, extra, 0, t.row);
                }
            }
            return null;
        });
    }

    /** Whether the vector API's kernels run: {@code -Dstealbench.vectors=false} turns them off (the loops above then run). */
    static final boolean VECTORS = Boolean.parseBoolean(System.getProperty("stealbench.vectors", "true"));

    /** Whether this JVM has the vector API's module ({@code --add-modules jdk.incubator.vector}, as the launcher and the tests run). */
    static final boolean MODULE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    /**
     * The vector species for {@code c} channels ({@link PoolReluVectors#species}, typed Object so that this class
     * loads without the vector module), or null: the module is absent or no width divides {@code c}.
     */
    static Object species(int c) {
        return MODULE ? PoolReluVectors.species(c) : null;
    }

    /**
     * Runs both vector kernels on a small synthetic block until the JIT's optimising compiler has them: the vector
     * API's operations are objects until C2 compiles them, about 0.5 s of a theft's first epoch otherwise. For a
     * thread that loads the engine ahead of a run ({@link NativeArrays#load}); nothing when the kernels do not run.
     */
    static void warmUp() {
        if (!VECTORS || species(16) == null) {
            return;
        }
        // 16 channels (the widest vectors on AVX-512), 8 x 8 pixels, 64 images: one part (no pool thread), 256 pooled rows a call
        long[] shape = {64, 8, 8, 16};
        try (INDArray x = Nd4j.rand(DataType.FLOAT, shape); INDArray picks = Nd4j.create(DataType.FLOAT, pooledShape(x));
             INDArray g = Nd4j.rand(DataType.FLOAT, pooledShape(x)); INDArray dx = Nd4j.create(DataType.FLOAT, shape)) {
            float[] ones = new float[16];
            java.util.Arrays.fill(ones, 1f);
            for (int i = 0; i < WARM_UP_CALLS; i++) {
                momentsAndPicks(x, ones, picks, true);
                inputGradient(x, ones, g, picks, ones, ones, ones, ones, dx, true);
            }
        }
    }

    /**
     * Calls of each kernel in {@link #warmUp}: 256 rows each, 5,120 calls of a row's method, past C2's threshold (5,000;
     * 250 where the launcher scales it for these methods).
     */
    private static final int WARM_UP_CALLS = 20;

    /** {@link #momentsAndPicks}'s part on pooled rows [from, to) with {@link PoolReluVectors#moments}. */
    @SuppressWarnings("unchecked")
    private static double[] momentsAndPicksVectors(Object sp, Geometry t, FloatBuffer xs, FloatBuffer ps, float[] sr, float[] kr, long from,
                                                   long to) {
        var species = (jdk.incubator.vector.VectorSpecies<Float>) sp;
        float[] top = new float[t.row];
        float[] bottom = new float[t.row];
        float[] pick = new float[t.pooledRow];
        float[] s1 = new float[t.row];
        float[] s2 = new float[t.row];
        int dropped = 2 * t.wo * t.c;
        return momentRows(t, ps, pick, s1, s2, from, to, u -> {
            int start = t.firstInput(u);
            xs.get(start, top, 0, t.row);
            xs.get(start + t.row, bottom, 0, t.row);
            PoolReluVectors.moments(species, t.wo, t.c, top, bottom, sr, kr, s1, s2, pick);
            signedDeviations(top, sr, kr, s1, s2, dropped, t.row);
            signedDeviations(bottom, sr, kr, s1, s2, dropped, t.row);
            if (t.inputRows(u) == 3) {
                xs.get(start + 2 * t.row, top, 0, t.row);
                signedDeviations(top, sr, kr, s1, s2, 0, t.row);
            }
        });
    }

    /**
     * The row loop of {@link #momentsAndPicks}'s parts: {@code row} adds pooled row {@code u}'s deviations into the
     * per-place accumulators {@code s1}, {@code s2} and fills {@code pick}, which goes to the picks; the accumulators
     * move into per-channel doubles every {@link #FLUSH_UNITS} rows and at the end ({sum(d), then sum(d * d)}).
     */
    private static double[] momentRows(Geometry t, FloatBuffer ps, float[] pick, float[] s1, float[] s2, long from, long to,
                                       java.util.function.LongConsumer row) {
        double[] total = new double[2 * t.c];
        int pending = 0;
        for (long u = from; u < to; u++) {
            row.accept(u);
            ps.put(t.firstPooled(u), pick, 0, t.pooledRow);
            if (++pending == FLUSH_UNITS) {
                flush(s1, s2, total, t.c);
                pending = 0;
            }
        }
        flush(s1, s2, total, t.c);
        return total;
    }

    /** {@link #inputGradient}'s part on pooled rows [from, to) with {@link PoolReluVectors#inputGradient}. */
    @SuppressWarnings("unchecked")
    private static void inputGradientVectors(Object sp, Geometry t, FloatBuffer xs, FloatBuffer gs, FloatBuffer os, FloatBuffer ds, float[] sr,
                                             float[] at, float[] bt, float[] dt, long from, long to) {
        var species = (jdk.incubator.vector.VectorSpecies<Float>) sp;
        float[] top = new float[t.row];
        float[] bottom = new float[t.row];
        float[] dxTop = new float[t.row];
        float[] dxBottom = new float[t.row];
        float[] gb = new float[t.pooledRow];
        float[] ob = new float[t.pooledRow];
        int dropped = 2 * t.wo * t.c;
        for (long u = from; u < to; u++) {
            int start = t.firstInput(u);
            int base = t.firstPooled(u);
            xs.get(start, top, 0, t.row);
            xs.get(start + t.row, bottom, 0, t.row);
            gs.get(base, gb, 0, t.pooledRow);
            os.get(base, ob, 0, t.pooledRow);
            PoolReluVectors.inputGradient(species, t.wo, t.c, top, bottom, gb, ob, sr, at, bt, dt, dxTop, dxBottom);
            // a dropped last column gets no dy
            affine(top, bt, dt, dxTop, dropped, t.row);
            affine(bottom, bt, dt, dxBottom, dropped, t.row);
            ds.put(start, dxTop, 0, t.row);
            ds.put(start + t.row, dxBottom, 0, t.row);
            if (t.inputRows(u) == 3) {
                xs.get(start + 2 * t.row, top, 0, t.row);
                affine(top, bt, dt, dxTop, 0, t.row);
                ds.put(start + 2 * t.row, dxTop, 0, t.row);
            }
        }
    }

    /** {@link #deviations} of {@code x * sign} on places [from, to) of a row. */
    private static void signedDeviations(float[] x, float[] sign, float[] shift, float[] s1, float[] s2, int from, int to) {
        for (int i = from; i < to; i++) {
            float d = x[i] * sign[i] - shift[i];
            s1[i] += d;
            s2[i] += d * d;
        }
    }

    /** out = b*x + d on places [from, to) of a row. */
    private static void affine(float[] x, float[] b, float[] d, float[] out, int from, int to) {
        for (int i = from; i < to; i++) {
            out[i] = b[i] * x[i] + d[i];
        }
    }

    /**
     * A pooled row's two input rows times their channels' signs, each also shifted left by one column
     * ({@code topRight[i]} is {@code top[i + c]}), so that a window's four values are at one index of
     * four arrays.
     */
    private static final class Rows {
        final float[] top;
        final float[] topRight;
        final float[] bottom;
        final float[] bottomRight;
        private final Geometry t;

        Rows(Geometry t) {
            this.t = t;
            top = new float[t.row];
            topRight = new float[t.row];
            bottom = new float[t.row];
            bottomRight = new float[t.row];
        }

        /** Reads the two rows from {@code start}, times {@code sign} (per place of a row). */
        void read(FloatBuffer x, int start, float[] sign) {
            int row = t.row;
            int c = t.c;
            x.get(start, top, 0, row);
            x.get(start + c, topRight, 0, row - c);
            x.get(start + row, bottom, 0, row);
            x.get(start + row + c, bottomRight, 0, row - c);
            times(top, sign, row);
            times(topRight, sign, row - c);
            times(bottom, sign, row);
            times(bottomRight, sign, row - c);
        }

        /** The window's largest value at each place that can be a window's top-left. */
        void windowMax(float[] m) {
            for (int i = 0; i < t.span(); i++) {
                m[i] = Math.max(Math.max(top[i], topRight[i]), Math.max(bottom[i], bottomRight[i]));
            }
        }
    }

    /** out = max(0, |scale| * m + shift), centred = sign * m - mean (sign * m is the picked x: a sign flip is exact). */
    private static void activate(float[] m, float[] mag, float[] shift, float[] sign, float[] mean, float[] out, float[] centred, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = Math.max(0f, mag[i] * m[i] + shift[i]);
            centred[i] = sign[i] * m[i] - mean[i];
        }
    }

    /** The two sums' block-shaped accumulators: dy = g where out > 0. */
    private static void accumulate(float[] g, float[] out, float[] centred, float[] sumDy, float[] sumDyXc, int n) {
        for (int i = 0; i < n; i++) {
            float dy = g[i] * positive(out[i]);
            sumDy[i] += dy;
            sumDyXc[i] += dy * centred[i];
        }
    }

    /** g = a * g where out > 0, else 0. */
    private static void gate(float[] g, float[] a, float[] out) {
        for (int i = 0; i < g.length; i++) {
            g[i] = a[i] * g[i] * positive(out[i]);
        }
    }

    /** Whether the top-left value is the largest. */
    private static void first(float[] m, float[] u, float[] e0, int n) {
        for (int i = 0; i < n; i++) {
            e0[i] = 1f - positive(m[i] - u[i]);
        }
    }

    /** Whether the top-right value is the largest and the top-left is not. */
    private static void second(float[] m, float[] u, float[] e0, float[] e1, int n) {
        for (int i = 0; i < n; i++) {
            e1[i] = (1f - positive(m[i] - u[i])) * (1f - e0[i]);
        }
    }

    /** Whether the bottom-left value is the largest and neither top one is. */
    private static void third(float[] m, float[] u, float[] e0, float[] e1, float[] e2, int n) {
        for (int i = 0; i < n; i++) {
            e2[i] = (1f - positive(m[i] - u[i])) * (1f - e0[i] - e1[i]);
        }
    }

    /** a*dy where the pick is the bottom-right value (none of the other three). */
    private static void fourth(float[] ady, float[] e0, float[] e1, float[] e2, float[] p3, int n) {
        for (int i = 0; i < n; i++) {
            p3[i] = ady[i] * (1f - e0[i] - e1[i] - e2[i]);
        }
    }

    private static void times(float[] a, float[] by, int n) {
        for (int i = 0; i < n; i++) {
            a[i] *= by[i];
        }
    }

    /** x = b*x + d + left + right: dx of a row, dy's shares from the windows' left and right places added. */
    private static void dense(float[] x, float[] b, float[] d, float[] left, float[] right) {
        for (int i = 0; i < x.length; i++) {
            x[i] = b[i] * x[i] + d[i] + left[i] + right[i];
        }
    }

    /** x = b*x + d: dx of a row the pooling dropped. */
    private static void dense(float[] x, float[] b, float[] d) {
        for (int i = 0; i < x.length; i++) {
            x[i] = b[i] * x[i] + d[i];
        }
    }

    /**
     * 1 for d > 0, 0 for d = 0 (d never negative), exactly and without a branch: the smallest positive
     * float is 2^-149, which the two factors take to 1 or more.
     */
    private static float positive(float d) {
        return Math.min(1f, d * 0x1p100f * 0x1p49f);
    }

    /** a * b per channel. */
    private static float[] product(float[] a, float[] b) {
        float[] p = new float[a.length];
        for (int j = 0; j < p.length; j++) {
            p[j] = a[j] * b[j];
        }
        return p;
    }

    private static float[] magnitudes(float[] v) {
        float[] m = new float[v.length];
        for (int j = 0; j < m.length; j++) {
            m[j] = Math.abs(v[j]);
        }
        return m;
    }

    /** Sums of a row's deviations from the shift and of their squares, per place of the row. */
    private static void deviations(float[] x, float[] shift, float[] s1, float[] s2) {
        for (int i = 0; i < x.length; i++) {
            float d = x[i] - shift[i];
            s1[i] += d;
            s2[i] += d * d;
        }
    }

    /** Adds a row's accumulators into per-channel doubles ({sum(d) for c channels, then sum(d * d)}) and clears them. */
    private static void flush(float[] s1, float[] s2, double[] total, int c) {
        for (int i = 0; i < s1.length; i += c) {
            for (int j = 0; j < c; j++) {
                total[j] += s1[i + j];
                total[c + j] += s2[i + j];
            }
        }
        java.util.Arrays.fill(s1, 0);
        java.util.Arrays.fill(s2, 0);
    }

    /** A per-channel vector repeated {@code times} times (one row of an NHWC tensor for {@code times} = its width). */
    private static float[] repeat(float[] perChannel, int times) {
        float[] t = new float[perChannel.length * times];
        for (int i = 0; i < times; i++) {
            System.arraycopy(perChannel, 0, t, i * perChannel.length, perChannel.length);
        }
        return t;
    }

    /** Sizes and offsets of a [N, H, W, C] input and its pooled rows (the units the sweeps split). */
    private record Geometry(int n, int h, int w, int c, int ho, int wo, int row, int pooledRow) {
        Geometry(INDArray x) {
            this((int) x.size(0), (int) x.size(1), (int) x.size(2), (int) x.size(3));
        }

        private Geometry(int n, int h, int w, int c) {
            this(n, h, w, c, h / 2, w / 2, w * c, w / 2 * c);
        }

        long units() {
            return (long) n * ho;
        }

        /** Offset of the first value of pooled row {@code u}'s first input row. */
        int firstInput(long u) {
            return (int) ((u / ho * h + 2 * (u % ho)) * row);
        }

        int firstPooled(long u) {
            return (int) u * pooledRow;
        }

        /** Input rows of pooled row {@code u}: two, three for the last of an odd height. */
        int inputRows(long u) {
            return u % ho == ho - 1 ? h - 2 * (int) (u % ho) : 2;
        }

        /** Places of a row that can be a window's top-left: those with a value c to their right in the windows. */
        int span() {
            return 2 * wo * c - c;
        }

        /** The values at the windows' top-left places of a row, side by side (a pooled row). */
        void gather(float[] rowValues, float[] pooled) {
            for (int q = 0; q < wo; q++) {
                System.arraycopy(rowValues, 2 * q * c, pooled, q * c, c);
            }
        }

        /** A pooled row's values at the windows' top-left places of a row (the other places untouched). */
        void spread(float[] pooled, float[] rowValues) {
            for (int q = 0; q < wo; q++) {
                System.arraycopy(pooled, q * c, rowValues, 2 * q * c, c);
            }
        }
    }
}
