package org.stealbench.model.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A layer graph with its parameters: the unit the optimiser trains and the encoder wraps.
 * Inputs are NCHW float batches (the data layer's layout), converted once to NHWC here.
 */
public final class Network implements AutoCloseable {

    private final Layer root;
    private final ParamSet params = new ParamSet();
    private final long[] inputShape;
    private final long[] outputShape;
    private final java.util.Map<Long, INDArray> nhwc = new java.util.HashMap<>();
    private final GradientPool gradients = new GradientPool();

    /**
     * @param inputShape one example, NCHW without batch: {channels, height, width} or {features}
     */
    public Network(Layer root, long[] inputShape, long seed) {
        this.root = root;
        this.inputShape = inputShape.clone();
        long[] internal = inputShape.length == 3 ? new long[] {inputShape[1], inputShape[2], inputShape[0]} : inputShape;
        this.outputShape = root.outputShape(internal);
        root.declare(params, internal);
        params.allocate(seed);
        root.attach(gradients);
    }

    public ParamSet params() {
        return params;
    }

    public Layer root() {
        return root;
    }

    public long[] inputShape() {
        return inputShape.clone();
    }

    public long[] outputShape() {
        return outputShape.clone();
    }

    /** Forward pass on an NCHW batch (image inputs) or [N, features]. */
    public INDArray forward(INDArray x, boolean training) {
        return root.forward(toInternal(x), training);
    }

    /** Backward pass of the last forward; gradients accumulate into {@link ParamSet#grads()}. */
    public void backward(INDArray gradOut) {
        gradients.reset();
        root.backward(gradOut, false);
    }

    /**
     * Backward pass that also returns the gradient with respect to the input, for a network fed
     * by another one (a projection head on an encoder). Vector inputs only.
     */
    public INDArray backwardToInput(INDArray gradOut) {
        if (inputShape.length == 3) {
            throw new UnsupportedOperationException("input gradients of image networks are not computed");
        }
        gradients.reset();
        return root.backward(gradOut, true);
    }

    private INDArray toInternal(INDArray x) {
        if (inputShape.length != 3) {
            return x;
        }
        if (x.rank() != 4 || x.size(1) != inputShape[0] || x.size(2) != inputShape[1] || x.size(3) != inputShape[2]) {
            throw new IllegalArgumentException("expected a batch of " + java.util.Arrays.toString(inputShape)
                    + " images (NCHW), got " + java.util.Arrays.toString(x.shape()));
        }
        long n = x.size(0);
        INDArray buf = nhwc.get(n);
        if (buf == null || buf.dataType() != Precision.type()) {
            if (nhwc.size() >= 2) {
                // bounded like the layers' buffers: a third batch size replaces the others
                releaseInputs();
            }
            NativeArrays.close(buf);
            buf = NativeArrays.create(Precision.type(), n, inputShape[1], inputShape[2], inputShape[0]);
            nhwc.put(n, buf);
        }
        return buf.assign(x.permute(0, 2, 3, 1));
    }

    /** How many input-gradient buffers the network's layers share (tests). */
    int gradientBuffers() {
        return gradients.size();
    }

    /** Frees the layers' buffers at once; the next forward pass allocates them again. */
    public void releaseBuffers() {
        root.releaseBuffers();
        releaseInputs();
        gradients.close();
    }

    private void releaseInputs() {
        nhwc.values().forEach(NativeArrays::close);
        nhwc.clear();
    }

    /** Frees everything this network holds off-heap (buffers, parameters, gradients, state); it cannot be used afterwards. */
    @Override
    public void close() {
        releaseBuffers();
        params.close();
    }
}
