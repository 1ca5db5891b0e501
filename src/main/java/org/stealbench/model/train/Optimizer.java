package org.stealbench.model.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.stealbench.model.nn.ParamSet;

/** Updates a network's flat parameter vector from its flat gradient vector. */
public interface Optimizer {

    /** One update with learning rate {@code lr}; {@code step} counts from 0. Gradients are consumed. */
    void step(ParamSet params, double lr, long step);

    /** The optimiser's state (moments, velocities) as one flat vector, for checkpoints. */
    INDArray state();

    /** Frees the state off-heap at once; the optimiser cannot be used afterwards. */
    default void close() {
        org.stealbench.model.nn.NativeArrays.close(state());
    }
}
