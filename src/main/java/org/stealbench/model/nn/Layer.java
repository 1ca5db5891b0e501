package org.stealbench.model.nn;

import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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

    private final Map<String, INDArray> buffers = new HashMap<>();

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
     * A buffer of this layer for this shape, reused across steps. Buffers are kept per shape, so
     * alternating batch sizes (SimCLR's 2N views, then the watermark's N rotations) reallocate
     * nothing: allocating large off-heap arrays every step cost more than the step's compute.
     */
    protected INDArray buffer(String key, long... shape) {
        String k = key + java.util.Arrays.toString(shape);
        INDArray b = buffers.get(k);
        if (b == null || b.dataType() != Precision.type()) {
            b = Nd4j.create(Precision.type(), shape);
            buffers.put(k, b);
        }
        return b;
    }

    /** Releases buffers (e.g. after training, before keeping the model around). */
    public void releaseBuffers() {
        buffers.clear();
    }
}
