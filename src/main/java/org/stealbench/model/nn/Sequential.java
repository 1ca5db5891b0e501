package org.stealbench.model.nn;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Layers applied in order; backward runs them in reverse. */
public final class Sequential extends Layer {

    private final List<Layer> layers;
    /** The first indices of batch norm, pooling and ReLU triples the last training forward pass ran fused. */
    private final java.util.BitSet fused = new java.util.BitSet();

    public Sequential(List<Layer> layers) {
        this.layers = List.copyOf(layers);
    }

    public Sequential(Layer... layers) {
        this(List.of(layers));
    }

    public List<Layer> layers() {
        return layers;
    }

    @Override
    public long[] outputShape(long[] in) {
        long[] s = in;
        for (Layer l : layers) {
            s = l.outputShape(s);
        }
        return s;
    }

    @Override
    public void declare(ParamSet params, long[] in) {
        long[] s = in;
        for (Layer l : layers) {
            l.declare(params, s);
            s = l.outputShape(s);
        }
    }

    @Override
    public INDArray forward(INDArray x, boolean training) {
        INDArray h = x;
        fused.clear();
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            if (training && poolReluAfter(i, h)) {
                INDArray in = h;
                h = timed(POOL_RELU, false, () -> ((BatchNorm) l).forwardPoolRelu(in));
                fused.set(i);
                i += 2;
                continue;
            }
            if (!training && i + 1 < layers.size() && layers.get(i + 1) instanceof BatchNorm bn) {
                INDArray folded = folded(l, bn, h);
                if (folded != null) {
                    h = folded;
                    i++;
                    continue;
                }
            }
            INDArray in = h;
            h = Profiler.isLeaf(l) ? timed(l.getClass().getSimpleName(), false, () -> l.forward(in, training)) : l.forward(in, training);
        }
        return h;
    }

    /**
     * Evaluation mode: a convolution and the batch norm after it as one convolution with the batch
     * norm's scale and shift folded into its weights and bias (about a sixth of the small CNN's
     * evaluation pass was batch norm); null where they cannot be folded (not float32 host arrays).
     */
    private static INDArray folded(Layer l, BatchNorm bn, INDArray h) {
        Conv2d conv = l instanceof Conv2d c ? c : l instanceof InputConv2d ic ? ic.conv : null;
        if (conv == null || !conv.foldable()) {
            return null;
        }
        float[][] ss = bn.evalScaleShift();
        if (ss == null) {
            return null;
        }
        return timed(l.getClass().getSimpleName() + "+BatchNorm (folded)", false,
                () -> l instanceof InputConv2d ic ? ic.forwardFolded(h, ss[0], ss[1]) : conv.forwardFolded(h, ss[0], ss[1]));
    }

    /** {@code call}'s result, its time recorded under {@code what} when the profiler is on. */
    private static INDArray timed(String what, boolean backward, java.util.function.Supplier<INDArray> call) {
        if (!Profiler.enabled()) {
            return call.get();
        }
        long t = System.nanoTime();
        INDArray y = call.get();
        Profiler.record(what, backward, System.nanoTime() - t);
        return y;
    }

    /** The first indices of the triples the last forward pass ran fused (tests). */
    java.util.BitSet fusedInLastPass() {
        return (java.util.BitSet) fused.clone();
    }

    /** The profiler's name for a fused batch norm, pooling and ReLU. */
    private static final String POOL_RELU = "BatchNorm+MaxPool2d+Relu (fused)";

    /**
     * Whether layers i, i+1, i+2 are batch norm, 2x2 max pooling and ReLU that can run as one
     * ({@link BatchNorm#forwardPoolRelu}: float32 host arrays), as in the small CNN's blocks.
     */
    private boolean poolReluAfter(int i, INDArray h) {
        return i + 2 < layers.size() && layers.get(i) instanceof BatchNorm bn && layers.get(i + 1) instanceof MaxPool2d pool && pool.size == 2
                && layers.get(i + 2) instanceof Relu && bn.poolReluFusable(h);
    }

    @Override
    public INDArray backward(INDArray gy, boolean needInputGrad) {
        INDArray g = gy;
        for (int i = layers.size() - 1; i >= 0; i--) {
            Layer l = layers.get(i);
            if (i >= 2 && fused.get(i - 2)) {
                BatchNorm bn = (BatchNorm) layers.get(i - 2);
                INDArray out = g;
                boolean need = needInputGrad || i > 2;
                g = timed(POOL_RELU, true, () -> bn.backwardPoolRelu(out, need));
                i -= 2;
                continue;
            }
            INDArray out = g;
            boolean need = needInputGrad || i > 0;
            g = Profiler.isLeaf(l) ? timed(l.getClass().getSimpleName(), true, () -> l.backward(out, need)) : l.backward(out, need);
        }
        return g;
    }

    @Override
    void attach(GradientPool pool) {
        super.attach(pool);
        layers.forEach(l -> l.attach(pool));
    }

    @Override
    public void releaseBuffers() {
        super.releaseBuffers();
        layers.forEach(Layer::releaseBuffers);
    }
}
