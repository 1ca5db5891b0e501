package org.stealbench.model.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One parameter tensor: a view into the network's flat value vector and a view of the same
 * shape into its flat gradient vector. Non-trainable state (batch-norm running statistics)
 * lives in {@link ParamSet#state()} instead.
 */
public final class Param {
    final String name;
    final long[] shape;
    final Init init;
    INDArray value;
    INDArray grad;

    Param(String name, long[] shape, Init init) {
        this.name = name;
        this.shape = shape.clone();
        this.init = init;
    }

    public String name() {
        return name;
    }

    public INDArray value() {
        return value;
    }

    public INDArray grad() {
        return grad;
    }

    public long length() {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    /** How a parameter starts. */
    public interface Init {
        /** Fills {@code values} (row-major, {@code length} long) from {@code random}. */
        void fill(float[] values, java.util.SplittableRandom random);

        /** PyTorch's default for conv and linear layers: U(-1/sqrt(fanIn), 1/sqrt(fanIn)). */
        static Init uniformFanIn(long fanIn) {
            double bound = 1.0 / Math.sqrt(fanIn);
            return (v, r) -> {
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) ((r.nextDouble() * 2 - 1) * bound);
                }
            };
        }

        static Init constant(float c) {
            return (v, r) -> java.util.Arrays.fill(v, c);
        }
    }
}
