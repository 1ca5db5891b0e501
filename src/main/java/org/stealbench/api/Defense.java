package org.stealbench.api;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One defence in the API's chain (package {@code defense} holds them). For every request the API
 * first asks each defence, in order, to {@link #admit} it (a defence refuses by throwing
 * {@link QueryRefusedException}: a flagged client, a missing or wrong proof of work); then the victim
 * computes the representations, and each defence in order may change them in {@link #answer}
 * (noise, garbage for flagged queries, a per-client transformation). State is kept per client key.
 * Requests reach a defence one at a time (the API serialises them).
 */
public interface Defense {

    /** The defence's id with its parameters, as written in an experiment ({@code prada:threshold=0.9}). */
    String name();

    /** Before the victim answers: refuse the whole request by throwing {@link QueryRefusedException}. */
    default void admit(String client, Request request) {
    }

    /**
     * After the victim answered: what is sent for each of the request's images ({@code representations}
     * may be changed in place and returned). {@code flagged[i]} is set for images the defence treated as
     * suspicious (answered with garbage, for instance); the API counts them per client.
     */
    INDArray answer(String client, Request request, INDArray representations, boolean[] flagged);

    /**
     * The puzzle a client must solve before its next request of {@code n} images, or null when this
     * defence asks for none (only proof-of-work defences do).
     */
    default Challenge challenge(String client, int n) {
        return null;
    }

    /** What the defence knows of a client now, by name (for the live view and the results): W, difficulty, coverage... */
    default Map<String, Double> state(String client) {
        return Map.of();
    }

    /**
     * A request: {@code n} images (NCHW floats in [0,1] of the API's input shape), the proof of work sent
     * with them (if any), and once the victim has answered, its own representations ({@code clean},
     * read-only; null in {@link #admit}): defences that measure a client's traffic use these, not what
     * earlier defences in the chain made of them.
     */
    record Request(float[] images, int n, Proof proof, INDArray clean) {
        public Request(float[] images, int n, Proof proof) {
            this(images, n, proof, null);
        }

        /** The victim's representations if known, else {@code fallback}. */
        public INDArray cleanOr(INDArray fallback) {
            return clean != null ? clean : fallback;
        }
    }
}
