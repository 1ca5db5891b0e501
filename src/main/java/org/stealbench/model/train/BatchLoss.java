package org.stealbench.model.train;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A loss over a whole batch of network outputs (contrastive losses couple the rows, so it cannot
 * be per example). Implementations are analytic ({@link MseLoss}, {@link InfoNceLoss}) or defined
 * as a SameDiff graph ({@link SameDiffBatchLoss}); tests check each gradient against finite
 * differences.
 */
public interface BatchLoss {

    /**
     * The loss of {@code out} ([N, D]) against {@code target} (the victim's outputs, or null for
     * losses that need none), writing dLoss/dOut into {@code gradOut} (same shape as out).
     */
    double evaluate(INDArray out, INDArray target, INDArray gradOut);
}
