package org.stealbench.model.train;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Mean squared error over every element: mean((out - target)^2), as torch's mse_loss. */
public final class MseLoss implements BatchLoss {

    @Override
    public double evaluate(INDArray out, INDArray target, INDArray gradOut) {
        gradOut.assign(out).subi(target);
        double loss = gradOut.norm2Number().doubleValue();
        loss = loss * loss / out.length();
        gradOut.muli(2.0 / out.length());
        return loss;
    }
}
