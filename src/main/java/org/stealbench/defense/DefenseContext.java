package org.stealbench.defense;

import java.util.function.LongSupplier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a defence may know when it is built: the victim's representations of the defender's own
 * images (the victim's training images: the owner has them; never the attacker's, the honest
 * user's or any test image), used to calibrate what honest traffic looks like; a seed for the
 * defence's own randomness (hash planes, per-client transformations, noise); and the clock
 * that challenges expire by.
 */
public record DefenseContext(INDArray defenderRepresentations, long seed, LongSupplier clockMillis) {

    public DefenseContext {
        if (defenderRepresentations == null || defenderRepresentations.rank() != 2 || defenderRepresentations.size(0) < 2) {
            throw new IllegalArgumentException("a defence needs the victim's representations of at least two of the defender's images");
        }
    }

    public DefenseContext(INDArray defenderRepresentations, long seed) {
        this(defenderRepresentations, seed, System::currentTimeMillis);
    }

    public int dim() {
        return (int) defenderRepresentations.size(1);
    }
}
