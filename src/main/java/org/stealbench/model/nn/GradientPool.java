package org.stealbench.model.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Input-gradient buffers shared by the layers of one network. A layer's backward pass takes its
 * input gradient from here and hands back the gradient it was given once it has used it, so a
 * buffer lives from the layer that writes it to the layer before, which consumes it: a chain of
 * layers needs two or three buffers per shape instead of one per layer. A gradient needed twice
 * (a residual block's, by both branches) is retained once more and freed by its second consumer.
 * Buffers not from this pool (a loss's gradient, another network's) are ignored on release, and
 * {@link #reset} frees everything at the start of each backward pass, so a gradient handed out of
 * the network is valid until the network's next backward.
 */
public final class GradientPool {

    private static final class Entry {
        final INDArray array;
        int uses;

        Entry(INDArray array) {
            this.array = array;
        }
    }

    private final Map<String, List<Entry>> byShape = new java.util.HashMap<>();
    private final Map<DataBuffer, Entry> byBuffer = new IdentityHashMap<>();

    /** A free buffer of this shape (contents undefined), in use until released. */
    public INDArray acquire(long... shape) {
        String key = Arrays.toString(shape) + Precision.type();
        List<Entry> list = byShape.computeIfAbsent(key, k -> new ArrayList<>());
        for (Entry e : list) {
            if (e.uses == 0) {
                e.uses = 1;
                return e.array;
            }
        }
        Entry e = new Entry(NativeArrays.create(Precision.type(), shape));
        e.uses = 1;
        list.add(e);
        byBuffer.put(e.array.data(), e);
        return e.array;
    }

    /** One more consumer of {@code a} (a pool buffer); ignored for other arrays. */
    public void retain(INDArray a) {
        Entry e = a == null ? null : byBuffer.get(a.data());
        if (e != null && e.uses > 0) {
            e.uses++;
        }
    }

    /** A consumer is done with {@code a}; the buffer is free once every consumer is. Other arrays are ignored. */
    public void release(INDArray a) {
        Entry e = a == null ? null : byBuffer.get(a.data());
        if (e != null && e.uses > 0) {
            e.uses--;
        }
    }

    /** Frees every buffer for reuse (the start of a backward pass). */
    public void reset() {
        byBuffer.values().forEach(e -> e.uses = 0);
    }

    /** How many buffers the pool holds (tests). */
    int size() {
        return byBuffer.size();
    }

    /** Closes every buffer. */
    public void close() {
        byBuffer.values().forEach(e -> NativeArrays.close(e.array));
        byBuffer.clear();
        byShape.clear();
    }
}
