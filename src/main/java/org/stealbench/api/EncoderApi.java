package org.stealbench.api;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A victim encoder sold as an API: a batch of images in, representations out, every image
 * counted as one query against the client's budget. Implementations: {@link InProcessEncoderApi}
 * (and, later, an HTTP server and client speaking the same interface).
 */
public interface EncoderApi {

    /**
     * Representations of {@code n} images (NCHW floats in [0,1] of the API's input shape) for
     * {@code client}. A request that would exceed the client's budget is refused whole with
     * {@link QueryRefusedException}, and nothing of it is counted as answered.
     */
    INDArray query(String client, float[] images, int n);

    /** What the client has been answered and refused so far. */
    QueryAccount account(String client);

    /** Input shape the API accepts: channels, height, width. */
    int[] inputShape();

    /** Length of each returned representation. */
    int outputDim();

    /** Queries each client may make (Long.MAX_VALUE: unlimited). */
    long budget();
}
