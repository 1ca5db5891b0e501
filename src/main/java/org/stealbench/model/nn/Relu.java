package org.stealbench.model.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.factory.Nd4j;

/** max(x, 0). Backward masks by the output (y > 0 exactly where x > 0). */
public final class Relu extends Layer {

    private INDArray output;

    @Override
    public long[] outputShape(long[] in) {
        return in.clone();
    }

    @Override
    public INDArray forward(INDArray x, boolean training) {
        INDArray y = buffer("y", x.shape());
        Nd4j.exec(new RectifiedLinear(x, y, 0.0));
        output = y;
        return y;
    }

    @Override
    public INDArray backward(INDArray gy, boolean needInputGrad) {
        if (!needInputGrad) {
            return null;
        }
        return reluBackward(output, gy, buffer("gx", gy.shape()));
    }

    /** gx = gy where y > 0, else 0. */
    static INDArray reluBackward(INDArray y, INDArray gy, INDArray gx) {
        Nd4j.exec(DynamicCustomOp.builder("relu_bp").addInputs(y, gy).addOutputs(gx).addFloatingPointArguments(0.0).build());
        return gx;
    }
}
