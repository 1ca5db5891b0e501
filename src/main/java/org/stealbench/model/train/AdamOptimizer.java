package org.stealbench.model.train;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.stealbench.model.nn.ParamSet;

/**
 * Adam with L2 weight decay added to the gradient, as {@code torch.optim.Adam(weight_decay=)}
 * (the reference's optimiser). The moment update runs as ND4J's native Adam updater over the
 * whole flat gradient vector in one call.
 */
public final class AdamOptimizer implements Optimizer {

    private final double weightDecay;
    private final Adam config;
    private final INDArray state;
    private final GradientUpdater<Adam> updater;

    public AdamOptimizer(ParamSet params, double weightDecay) {
        this(params, weightDecay, 0.9, 0.999, 1e-8);
    }

    public AdamOptimizer(ParamSet params, double weightDecay, double beta1, double beta2, double epsilon) {
        this.weightDecay = weightDecay;
        this.config = new Adam(1e-3, beta1, beta2, epsilon);
        long n = params.values().length();
        this.state = org.stealbench.model.nn.NativeArrays.create(params.values().dataType(), 1, 2 * n);
        this.updater = config.instantiate(state, true);
    }

    @Override
    public void step(ParamSet params, double lr, long step) {
        INDArray g = params.grads();
        if (weightDecay != 0) {
            Nd4j.getBlasWrapper().level1().axpy(g.length(), weightDecay, params.values(), g);
        }
        config.setLearningRate(lr);
        updater.applyUpdater(g, (int) step, 0);
        params.values().subi(g);
    }

    @Override
    public INDArray state() {
        return state;
    }
}
