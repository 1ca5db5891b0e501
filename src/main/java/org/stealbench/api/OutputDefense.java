package org.stealbench.api;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A defence applied to the API's answers before they leave (noise, similarity detection, ...):
 * it sees the client, the query images and the representations, and returns what is sent
 * (possibly the same array, modified). Defences run in order; the defence issue adds them.
 */
public interface OutputDefense {

    String name();

    INDArray apply(String client, float[] images, int n, INDArray representations);
}
