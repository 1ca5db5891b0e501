package org.stealbench.model.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastCopyOp;
import org.nd4j.linalg.factory.Nd4j;

/** Mean over height and width: [N, H, W, C] to [N, C]. */
public final class GlobalAvgPool extends Layer {

    private long[] inputShape;

    @Override
    public long[] outputShape(long[] in) {
        return new long[] {in[2]};
    }

    @Override
    public INDArray forward(INDArray x, boolean training) {
        inputShape = x.shape();
        INDArray y = buffer("y", x.size(0), x.size(3));
        return y.assign(x.mean(1, 2));
    }

    @Override
    public INDArray backward(INDArray gy, boolean needInputGrad) {
        if (!needInputGrad) {
            consumed(gy);
            return null;
        }
        INDArray gx = gradientBuffer(inputShape);
        long n = inputShape[0];
        long hw = inputShape[1] * inputShape[2];
        long c = inputShape[3];
        INDArray gx3 = gx.reshape('c', n, hw, c);
        Nd4j.exec(new BroadcastCopyOp(gx3, gy, gx3, 0, 2));
        consumed(gy);
        return gx.divi(hw);
    }
}
