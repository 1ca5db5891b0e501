package org.stealbench.api;

/** The answer to a {@link Challenge}: its id and one nonce per image of the request. */
public record Proof(String challengeId, long[] nonces) {
}
