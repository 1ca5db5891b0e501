package org.stealbench.model.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/** Max pooling with a square window equal to its stride (2x2, stride 2 by default), NHWC. */
public final class MaxPool2d extends Layer {

    final int size;
    private INDArray input;

    public MaxPool2d(int size) {
        this.size = size;
    }

    @Override
    public long[] outputShape(long[] in) {
        return new long[] {in[0] / size, in[1] / size, in[2]};
    }

    private int[] intArgs() {
        // kH, kW, sH, sW, pH, pW, dH, dW, sameMode, extra, isNHWC
        return new int[] {size, size, size, size, 0, 0, 1, 1, 0, 0, 1};
    }

    @Override
    public INDArray forward(INDArray x, boolean training) {
        INDArray y = buffer("y", x.size(0), x.size(1) / size, x.size(2) / size, x.size(3));
        Nd4j.exec(DynamicCustomOp.builder("maxpool2d").addInputs(x).addOutputs(y).addIntegerArguments(intArgs()).build());
        input = training ? x : null;
        return y;
    }

    @Override
    public INDArray backward(INDArray gy, boolean needInputGrad) {
        if (!needInputGrad) {
            consumed(gy);
            return null;
        }
        INDArray gx = gradientBuffer(input.shape());
        Nd4j.exec(DynamicCustomOp.builder("maxpool2d_bp").addInputs(input, gy).addOutputs(gx).addIntegerArguments(intArgs()).build());
        consumed(gy);
        return gx;
    }
}
