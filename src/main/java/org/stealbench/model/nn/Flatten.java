package org.stealbench.model.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** [N, H, W, C] to [N, H*W*C] (a view: activations are contiguous). */
public final class Flatten extends Layer {

    private long[] inputShape;

    @Override
    public long[] outputShape(long[] in) {
        long n = 1;
        for (long s : in) {
            n *= s;
        }
        return new long[] {n};
    }

    @Override
    public INDArray forward(INDArray x, boolean training) {
        inputShape = x.shape();
        return x.reshape('c', x.size(0), x.length() / x.size(0));
    }

    @Override
    public INDArray backward(INDArray gy, boolean needInputGrad) {
        return needInputGrad ? gy.reshape('c', inputShape) : null;
    }
}
