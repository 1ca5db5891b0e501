package org.stealbench.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The hashcash puzzle of {@link Challenge}: SHA-256 (the JDK's) over UTF-8 challenge id, image index
 * (4 bytes, big-endian) and nonce (8 bytes, big-endian) must start with {@code bits} zero bits. The
 * client searches nonces from 0 upwards; the server checks one hash per image.
 */
public final class Hashcash {

    private Hashcash() {
    }

    /** Work a client did: hashes computed and seconds spent. */
    public record Work(long hashes, double seconds) {
        public Work plus(Work o) {
            return new Work(hashes + o.hashes, seconds + o.seconds);
        }
    }

    /** Whether {@code nonce} solves image {@code index} of the challenge {@code id} at {@code bits}. */
    public static boolean valid(String id, int index, long nonce, int bits) {
        return leadingZeroBits(hash(digest(), id.getBytes(StandardCharsets.UTF_8), index, nonce)) >= bits;
    }

    /** Solves every image of the challenge; {@code work[0]} receives the hashes computed. */
    public static Proof solve(Challenge c, long[] hashes) {
        MessageDigest md = digest();
        byte[] id = c.id().getBytes(StandardCharsets.UTF_8);
        long[] nonces = new long[c.images()];
        long count = 0;
        for (int i = 0; i < c.images(); i++) {
            long nonce = 0;
            while (true) {
                count++;
                if (leadingZeroBits(hash(md, id, i, nonce)) >= c.bits()) {
                    break;
                }
                nonce++;
            }
            nonces[i] = nonce;
        }
        hashes[0] += count;
        return new Proof(c.id(), nonces);
    }

    static byte[] hash(MessageDigest md, byte[] id, int index, long nonce) {
        md.reset();
        md.update(id);
        md.update(ByteBuffer.allocate(12).putInt(index).putLong(nonce).array());
        return md.digest();
    }

    static int leadingZeroBits(byte[] h) {
        int bits = 0;
        for (byte b : h) {
            if (b == 0) {
                bits += 8;
                continue;
            }
            return bits + Integer.numberOfLeadingZeros(b & 0xff) - 24;
        }
        return bits;
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256", e);
        }
    }
}
