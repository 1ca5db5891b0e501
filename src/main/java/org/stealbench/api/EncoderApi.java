package org.stealbench.api;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A victim encoder sold as an API: a batch of images in, representations out, every image
 * counted as one query against the client's budget, behind a chain of {@link Defense}s.
 * Implementations: {@link InProcessEncoderApi} (and, later, an HTTP server and client speaking the
 * same interface). Clients normally go through {@link ApiClient}, which solves proof-of-work puzzles.
 */
public interface EncoderApi {

    /**
     * Representations of {@code n} images (NCHW floats in [0,1] of the API's input shape) for
     * {@code client}, with the proof of work of its last {@link #challenge} (null when none was asked).
     * A request that would exceed the client's budget, or that a defence refuses, is refused whole
     * with {@link QueryRefusedException}, and nothing of it is counted as answered.
     */
    INDArray query(String client, float[] images, int n, Proof proof);

    /** {@link #query(String, float[], int, Proof)} without a proof of work. */
    default INDArray query(String client, float[] images, int n) {
        return query(client, images, n, null);
    }

    /** The puzzle the client must solve before a request of {@code n} images, or null when no defence asks for one. */
    Challenge challenge(String client, int n);

    /** What the client has been answered and refused so far. */
    QueryAccount account(String client);

    /** What each defence knows of the client now: defence name -> quantity -> value. */
    Map<String, Map<String, Double>> defenseState(String client);

    /**
     * True when defences answer (their answers depend on each client's history): a client that
     * resumes must ask again rather than reuse answers kept from before, so that the defences see
     * the same traffic and the work they ask for is paid again.
     */
    default boolean defended() {
        return false;
    }

    /** Input shape the API accepts: channels, height, width. */
    int[] inputShape();

    /** Length of each returned representation. */
    int outputDim();

    /** Queries each client may make (Long.MAX_VALUE: unlimited). */
    long budget();
}
