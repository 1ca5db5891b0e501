package org.stealbench.model.train;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stealbench.model.nn.ParamSet;

/** SGD with momentum and L2 weight decay, as {@code torch.optim.SGD(momentum=, weight_decay=)}. */
public final class SgdOptimizer implements Optimizer {

    private final double momentum;
    private final double weightDecay;
    private final INDArray velocity;

    public SgdOptimizer(ParamSet params, double momentum, double weightDecay) {
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.velocity = org.stealbench.model.nn.NativeArrays.create(params.values().dataType(), params.values().length());
    }

    @Override
    public void step(ParamSet params, double lr, long step) {
        INDArray g = params.grads();
        var blas = Nd4j.getBlasWrapper().level1();
        if (weightDecay != 0) {
            blas.axpy(g.length(), weightDecay, params.values(), g);
        }
        if (momentum != 0) {
            velocity.muli(momentum).addi(g);
            blas.axpy(g.length(), -lr, velocity, params.values());
        } else {
            blas.axpy(g.length(), -lr, g, params.values());
        }
    }

    @Override
    public INDArray state() {
        return velocity;
    }
}
