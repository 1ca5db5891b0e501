package org.stealbench.api.http;

import java.util.function.LongSupplier;

/**
 * A per-key rate limit of {@code perMinute} images a minute: a bucket of that many tokens, refilled
 * continuously, one token per image. A request takes its images' tokens whole or none, and when
 * it cannot, says how many seconds until it could (the Retry-After). Written here rather than
 * taken from a library: the limiters at hand (resilience4j's) count permits per fixed period and do
 * not report the wait for a request of n permits (docs/decisions/0014-http-api.md).
 */
final class TokenBucket {

    private final double capacity;
    private final double perNano;
    private final LongSupplier clock;
    private double tokens;
    private long last;

    TokenBucket(long perMinute, LongSupplier nanoClock) {
        this.capacity = perMinute;
        this.perNano = perMinute / 60e9;
        this.clock = nanoClock;
        this.tokens = perMinute;
        this.last = nanoClock.getAsLong();
    }

    /** Takes {@code n} tokens and returns 0, or takes none and returns the whole seconds until {@code n} are there. */
    synchronized long take(int n) {
        long now = clock.getAsLong();
        tokens = Math.min(capacity, tokens + (now - last) * perNano);
        last = now;
        if (tokens >= n) {
            tokens -= n;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((n - tokens) / perNano / 1e9));
    }
}
