package org.stealbench.model.nn;

import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A differentiable layer with an analytic backward pass, on libnd4j ops.
 *
 * <p>Image tensors are NHWC (batch, height, width, channels): libnd4j's oneDNN kernels run
 * convolutions fastest in that layout (docs/decisions/0004-training-engine.md). A layer keeps the
 * buffers it writes (outputs, input gradients) and reuses them while the batch size stays the
 * same, so a training step allocates nothing after the first. The price: a layer's output is
 * valid until its next forward call, and one forward must be followed by its backward before the
 * next forward (several forward/backward pairs per step accumulate gradients).
 */
public abstract class Layer {

    /** Shapes kept per buffer name. */
    static final int SHAPES = 2;

    private final Map<String, java.util.List<INDArray>> buffers = new HashMap<>();

    /** Shape of one output example for one input example's shape (no batch dimension). */
    public abstract long[] outputShape(long[] inputShape);

    /** Declares this layer's parameters; called once while the network is built. */
    public void declare(ParamSet params, long[] inputShape) {
    }

    /** Computes the output, remembering what backward needs when {@code training}. */
    public abstract INDArray forward(INDArray x, boolean training);

    /**
     * Adds this layer's parameter gradients for the last forward pass to the gradient vector and
     * returns the gradient with respect to its input (null when {@code needInputGrad} is false).
     */
    public abstract INDArray backward(INDArray gradOut, boolean needInputGrad);

    /**
     * A buffer of this layer for this shape, reused across steps. Each buffer name keeps the last
     * {@value #SHAPES} shapes it was asked for, so alternating batch sizes (SimCLR's 2N views, then
     * the watermark's N rotations; training batches, then evaluation batches) reallocate nothing:
     * allocating large off-heap arrays every step cost more than the step's compute. A third shape
     * closes the least recently used one, so a layer's buffers stay bounded whatever batch sizes it
     * sees.
     */
    protected INDArray buffer(String key, long... shape) {
        java.util.List<INDArray> kept = buffers.computeIfAbsent(key, k -> new java.util.ArrayList<>(SHAPES));
        for (int i = 0; i < kept.size(); i++) {
            INDArray b = kept.get(i);
            if (java.util.Arrays.equals(b.shape(), shape) && b.dataType() == Precision.type()) {
                if (i > 0) {
                    kept.remove(i);
                    kept.add(0, b);
                }
                return b;
            }
        }
        if (kept.size() == SHAPES) {
            NativeArrays.close(kept.remove(SHAPES - 1));
        }
        INDArray b = NativeArrays.create(Precision.type(), shape);
        kept.add(0, b);
        return b;
    }

    /** The network's shared input-gradient buffers, or null (a layer used alone keeps its own). */
    private GradientPool gradients;

    /** Joins a network's gradient pool; containers pass it on to their layers. */
    void attach(GradientPool pool) {
        this.gradients = pool;
    }

    /** A buffer for this layer's input gradient: from the network's pool, else this layer's own. */
    protected INDArray gradientBuffer(long... shape) {
        return scratch("gx", shape);
    }

    /** This layer is done with the gradient it was given (back to the pool, if it came from there). */
    protected void consumed(INDArray gy) {
        if (gradients != null) {
            gradients.release(gy);
        }
    }

    /**
     * A scratch buffer for the length of one call, from the network's pool (handed back with
     * {@link #consumed}), else this layer's own buffer {@code key}.
     */
    protected INDArray scratch(String key, long... shape) {
        return gradients != null ? gradients.acquire(shape) : buffer(key, shape);
    }

    /** Another consumer of {@code g} before it may be reused. */
    protected void retain(INDArray g) {
        if (gradients != null) {
            gradients.retain(g);
        }
    }

    /** Frees this layer's buffers at once (after training, before keeping the model around, or when it is closed). */
    public void releaseBuffers() {
        buffers.values().forEach(l -> l.forEach(NativeArrays::close));
        buffers.clear();
    }
}
