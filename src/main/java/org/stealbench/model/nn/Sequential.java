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
                long t = Profiler.enabled() ? System.nanoTime() : 0;
                h = ((BatchNorm) l).forwardPoolRelu(h);
                if (Profiler.enabled()) {
                    Profiler.record(POOL_RELU, false, System.nanoTime() - t);
                }
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
            if (Profiler.enabled() && Profiler.isLeaf(l)) {
                long t = System.nanoTime();
                h = l.forward(h, training);
                Profiler.record(l.getClass().getSimpleName(), false, System.nanoTime() - t);
            } else {
                h = l.forward(h, training);
            }
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
        long t = System.nanoTime();
        INDArray y = l instanceof InputConv2d ic ? ic.forwardFolded(h, ss[0], ss[1]) : conv.forwardFolded(h, ss[0], ss[1]);
        if (Profiler.enabled()) {
            Profiler.record(l.getClass().getSimpleName() + "+BatchNorm (folded)", false, System.nanoTime() - t);
        }
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
                long t = Profiler.enabled() ? System.nanoTime() : 0;
                g = ((BatchNorm) layers.get(i - 2)).backwardPoolRelu(g, needInputGrad || i > 2);
                if (Profiler.enabled()) {
                    Profiler.record(POOL_RELU, true, System.nanoTime() - t);
                }
                i -= 2;
                continue;
            }
            if (Profiler.enabled() && Profiler.isLeaf(l)) {
                long t = System.nanoTime();
                g = l.backward(g, needInputGrad || i > 0);
                Profiler.record(l.getClass().getSimpleName(), true, System.nanoTime() - t);
            } else {
                g = l.backward(g, needInputGrad || i > 0);
            }
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
