package org.stealbench.model.nn;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * The floating-point type networks are built in: float32 for training, float64 for gradient
 * checks against finite differences (float32 central differences are too noisy to catch a
 * wrong backward pass). Read when a network or buffer is created.
 */
public final class Precision {

    private static volatile DataType type = DataType.FLOAT;

    private Precision() {
    }

    public static DataType type() {
        return type;
    }

    /** Sets the type for networks built from now on; returns the previous one. */
    public static DataType set(DataType t) {
        if (t != DataType.FLOAT && t != DataType.DOUBLE) {
            throw new IllegalArgumentException("float32 or float64 only, not " + t);
        }
        DataType old = type;
        type = t;
        return old;
    }
}
