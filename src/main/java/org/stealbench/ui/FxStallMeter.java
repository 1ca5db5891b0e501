package org.stealbench.ui;

import java.util.concurrent.atomic.AtomicLong;
import javafx.application.Platform;

/**
 * Measures how long the FX thread is unable to respond: a daemon thread posts a probe every
 * {@value #PERIOD_MS} ms and records how late each one runs. The worst delay is the longest busy
 * stretch of the FX thread (to within the period), reported in the About view, the UI test's
 * log and the ui benchmark.
 */
public final class FxStallMeter {

    static final int PERIOD_MS = 10;

    private final AtomicLong worstNanos = new AtomicLong();
    private final AtomicLong probes = new AtomicLong();
    private final AtomicLong over50 = new AtomicLong();
    private volatile boolean running;

    public void start() {
        if (running) {
            return;
        }
        running = true;
        Thread t = new Thread(() -> {
            while (running) {
                long posted = System.nanoTime();
                java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
                Platform.runLater(() -> {
                    long late = System.nanoTime() - posted;
                    worstNanos.accumulateAndGet(late, Math::max);
                    probes.incrementAndGet();
                    if (late > 50_000_000L) {
                        over50.incrementAndGet();
                    }
                    done.countDown();
                });
                try {
                    done.await();
                    Thread.sleep(PERIOD_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "fx-stall-meter");
        t.setDaemon(true);
        t.start();
    }

    public void stop() {
        running = false;
    }

    /** Resets the statistics (e.g. after start-up, to measure a run alone). */
    public void reset() {
        worstNanos.set(0);
        probes.set(0);
        over50.set(0);
    }

    public double worstMillis() {
        return worstNanos.get() / 1e6;
    }

    public long probes() {
        return probes.get();
    }

    public long probesOver50ms() {
        return over50.get();
    }

    public String summary() {
        return String.format(java.util.Locale.ROOT, "longest FX-thread stall %.1f ms over %,d probes (%d over 50 ms)", worstMillis(), probes(),
                probesOver50ms());
    }
}
