package org.stealbench.model.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * All parameters of a network in one flat float vector (and one flat gradient vector of the same
 * layout), so the optimiser updates everything with a few native calls instead of one per tensor.
 * Layers declare their tensors while the network is built; {@link #allocate} then lays them out
 * and hands every {@link Param} its views. Running statistics are kept in a second flat vector,
 * {@link #state()}, saved with the parameters but never trained.
 */
public final class ParamSet {

    private final List<Param> params = new ArrayList<>();
    private final List<Param> states = new ArrayList<>();
    private INDArray values;
    private INDArray grads;
    private INDArray state;

    public Param declare(String name, long[] shape, Param.Init init) {
        checkOpen();
        Param p = new Param(name, shape, init);
        params.add(p);
        return p;
    }

    /** A non-trainable tensor (e.g. running mean), initialised by {@code init}. */
    public Param declareState(String name, long[] shape, Param.Init init) {
        checkOpen();
        Param p = new Param(name, shape, init);
        states.add(p);
        return p;
    }

    private void checkOpen() {
        if (values != null) {
            throw new IllegalStateException("parameters already allocated");
        }
    }

    /** Lays out every declared tensor and initialises it from {@code seed}. */
    public void allocate(long seed) {
        values = layout(params, true, seed);
        grads = NativeArrays.create(Precision.type(), Math.max(1, totalLength(params)));
        for (Param p : params) {
            p.grad = view(grads, offsetOf(params, p), p);
        }
        state = layout(states, false, seed ^ 0x5DEECE66DL);
    }

    private static long totalLength(List<Param> ps) {
        long n = 0;
        for (Param p : ps) {
            n += p.length();
        }
        return n;
    }

    private static long offsetOf(List<Param> ps, Param target) {
        long off = 0;
        for (Param p : ps) {
            if (p == target) {
                return off;
            }
            off += p.length();
        }
        throw new IllegalArgumentException("not declared here: " + target.name);
    }

    private static INDArray layout(List<Param> ps, boolean trainable, long seed) {
        long total = totalLength(ps);
        float[] flat = new float[(int) Math.max(1, total)];
        SplittableRandom r = new SplittableRandom(seed);
        long off = 0;
        for (Param p : ps) {
            float[] v = new float[(int) p.length()];
            p.init.fill(v, r.split());
            System.arraycopy(v, 0, flat, (int) off, v.length);
            off += v.length;
        }
        INDArray arr = NativeArrays.adopt(Ops.floats(flat, flat.length).castTo(Precision.type()));
        off = 0;
        for (Param p : ps) {
            p.value = view(arr, off, p);
            off += p.length();
        }
        return arr;
    }

    private static INDArray view(INDArray flat, long offset, Param p) {
        return flat.get(NDArrayIndex.interval(offset, offset + p.length())).reshape('c', p.shape);
    }

    public List<Param> params() {
        return Collections.unmodifiableList(params);
    }

    public List<Param> states() {
        return Collections.unmodifiableList(states);
    }

    /** Flat vector of every trainable value. */
    public INDArray values() {
        return values;
    }

    /** Flat vector of every gradient, laid out like {@link #values()}. */
    public INDArray grads() {
        return grads;
    }

    /** Flat vector of non-trainable state. */
    public INDArray state() {
        return state;
    }

    public long size() {
        return totalLength(params);
    }

    /** Frees the values, gradients and state (the network is done with). */
    public void close() {
        NativeArrays.close(values);
        NativeArrays.close(grads);
        NativeArrays.close(state);
    }

    public void zeroGrads() {
        grads.assign(0);
    }
}
