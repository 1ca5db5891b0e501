package org.stealbench.api;

/**
 * A hashcash puzzle from the API (docs/protocol.md, calibrated proof of work): for each of the
 * request's {@code images} images, find a nonce such that SHA-256 over the challenge's id, the image's
 * index and the nonce starts with {@code bits} zero bits. Single-use, valid until {@code expiresAtMillis}
 * (the API's clock).
 */
public record Challenge(String id, int bits, int images, long expiresAtMillis) {
}
