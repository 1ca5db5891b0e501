package org.stealbench.model.nn;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Batch norm's per-channel passes over float32 [M, C] activations (NHWC flattened), each a
 * single sweep that does what took libnd4j three or four full-size ops with temporaries: the
 * mean and the sum of squared deviations (forward), the two sums of the backward pass, and the input gradient
 * {@code dx = a*dy + b*(x - mean) + c}. Rows are split across the cores; each part copies a block
 * of rows that fits in the L2 cache into Java arrays (one bulk copy, which is a memcpy) and
 * works there, in loops the JIT vectorises. Sums are accumulated in float per position of the
 * block (each position sees M / rows-per-block values, a few hundred) and in double across
 * positions and parts. ND4J has no such fused op on the CPU (its
 * {@code batchnorm_bp} took 200 ms for a 128x32x32x64 tensor); decision 0013 has the measurements.
 *
 * <p>Only for row-major contiguous FLOAT arrays ({@link #applies}); the float64 path (gradient
 * checks) stays on libnd4j's ops and is the reference these kernels are tested against.
 */
final class BatchNormKernels {

    /** Floats per block: 64 KiB, so a block of each operand stays in L2. */
    private static final int BLOCK = 16_384;
    /** Below this many values per part, splitting costs more than it saves. */
    private static final long MIN_PER_PART = 65_536;
    private static final int PARTS = Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));
    private static final ExecutorService POOL = PARTS > 1 ? Executors.newFixedThreadPool(PARTS - 1, r -> {
        Thread t = new Thread(r, "stealbench-batchnorm");
        t.setDaemon(true);
        return t;
    }) : null;

    private BatchNormKernels() {
    }

    /** Java reads the arrays' memory directly: only where it is the host's (not CUDA's device memory). */
    private static final boolean HOST_MEMORY = Nd4j.getEnvironment().isCPU();

    /** Whether the kernels can read these arrays directly: host memory, float32, c-order, default strides. */
    static boolean applies(INDArray... arrays) {
        if (!HOST_MEMORY) {
            return false;
        }
        for (INDArray a : arrays) {
            if (a.dataType() != DataType.FLOAT || !rowMajorContiguous(a) || a.length() > Integer.MAX_VALUE - BLOCK) {
                return false;
            }
        }
        return true;
    }

    /** Elements laid out row-major without gaps (the stride of a dimension of size 1 does not matter). */
    private static boolean rowMajorContiguous(INDArray a) {
        long[] shape = a.shape();
        long[] stride = a.stride();
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }

    /**
     * Per channel, the mean and the sum of squared deviations from it over the rows of a [M, C]
     * matrix, in one read of it: sums of {@code x - k} and its squares, with {@code k} the first
     * row's value of the channel. Shifted by a value of the batch itself, the sums stay of the
     * order of the spread and the variance keeps its digits in float32 whatever the mean (the
     * unshifted E[x^2] - E[x]^2 loses them when the mean is large against the spread).
     *
     * @return {mean, sum of squared deviations}, each per channel
     */
    static double[][] moments(INDArray x2d) {
        int c = (int) x2d.size(1);
        long m = x2d.size(0);
        FloatBuffer x = floats(x2d);
        float[] first = new float[c];
        x.get(0, first, 0, c);
        float[] k = tile(first, c);
        List<double[]> parts = run(m, c, (from, to) -> {
            float[] xb = new float[k.length];
            float[] s1 = new float[k.length];
            float[] s2 = new float[k.length];
            for (long r = from; r < to; r += k.length / c) {
                int n = (int) Math.min(k.length / c, to - r) * c;
                x.get((int) (r * c), xb, 0, n);
                for (int i = 0; i < n; i++) {
                    float d = xb[i] - k[i];
                    s1[i] += d;
                    s2[i] += d * d;
                }
            }
            return channelSums(s1, s2, c);
        });
        return moments(sum(parts, 2 * c), first, null, m);
    }

    /**
     * {mean, sum of squared deviations} per channel from the sums of deviations from a shift and of their
     * squares ({@code sums}: c of each), over {@code m} values a channel; {@code sign} (null: all +1) says
     * which channels were summed negated, shift included.
     */
    static double[][] moments(double[] sums, float[] shift, float[] sign, long m) {
        int c = shift.length;
        double[] mean = new double[c];
        double[] ssd = new double[c];
        for (int j = 0; j < c; j++) {
            double shifted = sums[j] / m;
            mean[j] = shift[j] + (sign == null ? shifted : sign[j] * shifted);
            ssd[j] = Math.max(0, sums[c + j] - shifted * sums[j]);
        }
        return new double[][] {mean, ssd};
    }

    /**
     * Per channel, the backward pass's two sums for a [M, C] input and output gradient: sum(dy)
     * into {@code sumDy}, sum(dy * (x - mean)) into {@code sumDyXc}.
     */
    static void backwardSums(INDArray x2d, INDArray gy2d, float[] mean, double[] sumDy, double[] sumDyXc) {
        int c = (int) x2d.size(1);
        FloatBuffer x = floats(x2d);
        FloatBuffer g = floats(gy2d);
        float[] mu = tile(mean, c);
        List<double[]> parts = run(x2d.size(0), c, (from, to) -> {
            float[] xb = new float[mu.length];
            float[] gb = new float[mu.length];
            float[] sg = new float[mu.length];
            float[] sgx = new float[mu.length];
            for (long r = from; r < to; r += mu.length / c) {
                int n = (int) Math.min(mu.length / c, to - r) * c;
                x.get((int) (r * c), xb, 0, n);
                g.get((int) (r * c), gb, 0, n);
                for (int i = 0; i < n; i++) {
                    float dy = gb[i];
                    sg[i] += dy;
                    sgx[i] += dy * (xb[i] - mu[i]);
                }
            }
            return channelSums(sg, sgx, c);
        });
        double[] all = sum(parts, 2 * c);
        System.arraycopy(all, 0, sumDy, 0, c);
        System.arraycopy(all, c, sumDyXc, 0, c);
    }

    /** out = a*dy + b*(x - mean) + c per channel, for [M, C] matrices ({@code out} may not alias x). */
    static void inputGradient(INDArray x2d, INDArray gy2d, float[] mean, float[] a, float[] b, float[] cc, INDArray out2d) {
        int c = (int) x2d.size(1);
        FloatBuffer x = floats(x2d);
        FloatBuffer g = floats(gy2d);
        FloatBuffer o = floats(out2d);
        // a*dy + b*x + (c - b*mean): one multiply-add fewer per value
        float[] at = tile(a, c);
        float[] bt = tile(b, c);
        float[] dt = tile(offsets(cc, b, mean), c);
        run(x2d.size(0), c, (from, to) -> {
            float[] xb = new float[at.length];
            float[] gb = new float[at.length];
            for (long r = from; r < to; r += at.length / c) {
                int n = (int) Math.min(at.length / c, to - r) * c;
                int start = (int) (r * c);
                x.get(start, xb, 0, n);
                g.get(start, gb, 0, n);
                for (int i = 0; i < n; i++) {
                    xb[i] = at[i] * gb[i] + bt[i] * xb[i] + dt[i];
                }
                o.put(start, xb, 0, n);
            }
            return null;
        });
    }

    /** c - b * mean per channel: the constant of dx = a*dy + b*x + (c - b*mean). */
    static float[] offsets(float[] cc, float[] b, float[] mean) {
        float[] d = new float[cc.length];
        for (int j = 0; j < d.length; j++) {
            d[j] = cc[j] - b[j] * mean[j];
        }
        return d;
    }

    /**
     * A per-channel vector repeated over a block of rows: with it every loop above reads and writes
     * the same index of each array, the form the JIT vectorises (a per-channel accumulator indexed
     * apart from the data is not).
     */
    private static float[] tile(float[] perChannel, int c) {
        float[] t = new float[block(c)];
        for (int i = 0; i < t.length; i += c) {
            System.arraycopy(perChannel, 0, t, i, c);
        }
        return t;
    }

    /** Per-channel totals of two block-shaped accumulators, one after the other in one array. */
    static double[] channelSums(float[] a, float[] b, int c) {
        double[] both = new double[2 * c];
        System.arraycopy(channelSums(a, c), 0, both, 0, c);
        System.arraycopy(channelSums(b, c), 0, both, c, c);
        return both;
    }

    /** Per-channel totals of a block-shaped accumulator, in double. */
    private static double[] channelSums(float[] acc, int c) {
        double[] total = new double[c];
        for (int i = 0; i < acc.length; i += c) {
            for (int j = 0; j < c; j++) {
                total[j] += acc[i + j];
            }
        }
        return total;
    }

    /** A small vector's values (per-channel statistics, parameters, their gradients). */
    static float[] read(INDArray v) {
        float[] out = new float[(int) v.length()];
        floats(v).get(0, out, 0, out.length);
        return out;
    }

    /** Overwrites a small vector's values. */
    static void write(INDArray v, float[] values) {
        floats(v).put(0, values, 0, values.length);
    }

    /** Values per block of a [M, C] sweep: whole rows, about {@link #BLOCK} values. */
    static int block(int c) {
        return Math.max(c, BLOCK / c * c);
    }

    /** The array's elements as a buffer starting at its first element. */
    static FloatBuffer floats(INDArray a) {
        FloatBuffer all = a.data().asNioFloat();
        int offset = (int) a.offset();
        return offset == 0 ? all : all.position(offset).slice();
    }

    interface Part<T> {
        T rows(long from, long to);
    }

    /**
     * Runs {@code part} over row ranges that split [0, m) (rows of {@code c} values), on the caller and the
     * pool; results in order.
     */
    static <T> List<T> run(long m, int c, Part<T> part) {
        int parts = (int) Math.max(1, Math.min(PARTS, m * c / MIN_PER_PART));
        List<T> out = new ArrayList<>(parts);
        if (parts == 1) {
            out.add(part.rows(0, m));
            return out;
        }
        List<Future<T>> futures = new ArrayList<>(parts - 1);
        for (int p = 1; p < parts; p++) {
            long from = m * p / parts;
            long to = m * (p + 1) / parts;
            futures.add(POOL.submit(() -> part.rows(from, to)));
        }
        out.add(part.rows(0, m / parts));
        // wait for every part even when interrupted: they write into arrays the caller may close next
        boolean interrupted = false;
        try {
            for (Future<T> f : futures) {
                while (true) {
                    try {
                        out.add(f.get());
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("batch norm kernel failed", e.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return out;
    }

    static double[] sum(List<double[]> parts, int n) {
        double[] s = new double[n];
        for (double[] p : parts) {
            for (int j = 0; j < n; j++) {
                s[j] += p[j];
            }
        }
        return s;
    }
}
