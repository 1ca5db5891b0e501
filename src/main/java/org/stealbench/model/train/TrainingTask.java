package org.stealbench.model.train;

import java.util.List;
import org.stealbench.model.nn.Network;

/**
 * What is trained and on what: the networks updated together, the number of examples in an
 * epoch, and one step's forward and backward passes. The trainer owns everything else (order,
 * schedule, optimiser, events, cancel, checkpoints).
 */
public interface TrainingTask {

    /** The networks trained jointly (each gets its own optimiser state). */
    List<Network> networks();

    /** Examples per epoch. */
    int size();

    /**
     * Forward and backward passes for the examples at {@code indices}, accumulating gradients
     * (they are zeroed before); returns the batch's loss. {@code seed} is this step's own
     * seed (for augmentations), the same when a resumed run replays the step.
     */
    double step(int[] indices, long seed);
}
