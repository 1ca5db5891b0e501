package org.stealbench.model.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ResNet's basic block: relu(bn(conv3x3(relu(bn(conv3x3(x))))) + shortcut(x)), where the
 * shortcut is identity, or a strided 1x1 convolution with batch norm when the shape changes.
 */
public final class ResidualBlock extends Layer {

    final Sequential main;
    final Sequential shortcut;
    private INDArray output;

    public ResidualBlock(int inC, int outC, int stride) {
        main = new Sequential(new Conv2d(inC, outC, 3, stride, 1, false), new BatchNorm(outC), new Relu(),
                new Conv2d(outC, outC, 3, 1, 1, false), new BatchNorm(outC));
        shortcut = stride != 1 || inC != outC
                ? new Sequential(new Conv2d(inC, outC, 1, stride, 0, false), new BatchNorm(outC))
                : null;
    }

    @Override
    public long[] outputShape(long[] in) {
        return main.outputShape(in);
    }

    @Override
    public void declare(ParamSet params, long[] in) {
        main.declare(params, in);
        if (shortcut != null) {
            shortcut.declare(params, in);
        }
    }

    @Override
    public INDArray forward(INDArray x, boolean training) {
        INDArray a = main.forward(x, training);
        INDArray s = shortcut != null ? shortcut.forward(x, training) : x;
        long t = System.nanoTime();
        // the sum goes over the main branch's output (its last batch norm never reads its own output again)
        INDArray y = a;
        Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp(a, s, y));
        Nd4j.exec(new RectifiedLinear(y, y, 0.0));
        if (Profiler.enabled()) {
            Profiler.record("ResidualAdd+Relu", false, System.nanoTime() - t);
        }
        output = y;
        return y;
    }

    @Override
    public INDArray backward(INDArray gy, boolean needInputGrad) {
        long t = System.nanoTime();
        INDArray g = Relu.reluBackward(output, gy, gradientBuffer(gy.shape()));
        consumed(gy);
        if (Profiler.enabled()) {
            Profiler.record("ResidualAdd+Relu", true, System.nanoTime() - t);
        }
        // both branches consume g: the main one, then the shortcut (or the identity's sum below)
        retain(g);
        INDArray gx = main.backward(g, needInputGrad);
        INDArray gs = shortcut != null ? shortcut.backward(g, needInputGrad) : g;
        if (needInputGrad) {
            gx.addi(gs);
        }
        if (shortcut == null) {
            consumed(g);
        } else {
            consumed(gs);
        }
        return needInputGrad ? gx : null;
    }

    @Override
    void attach(GradientPool pool) {
        super.attach(pool);
        main.attach(pool);
        if (shortcut != null) {
            shortcut.attach(pool);
        }
    }

    @Override
    public void releaseBuffers() {
        super.releaseBuffers();
        main.releaseBuffers();
        if (shortcut != null) {
            shortcut.releaseBuffers();
        }
    }
}
