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
    private volatile long since = System.nanoTime();
    private final java.util.List<String> stalls = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    public void start() {
        if (running) {
            return;
        }
        running = true;
        listenToGc();
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
                        if (stalls.size() < 200) {
                            stalls.add(String.format(java.util.Locale.ROOT, "%.1fs:%.0fms", (posted - since) / 1e9, late / 1e6));
                        }
                    }
                    done.countDown();
                });
                try {
                    int waited = 0;
                    while (!done.await(SAMPLE_AFTER_MS, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                        waited += SAMPLE_AFTER_MS;
                        sample(waited);
                    }
                    Thread.sleep(PERIOD_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "fx-stall-meter");
        t.setDaemon(true);
        t.start();
    }

    /** When a probe is this late, the FX thread's stack is sampled (to find what keeps it busy). */
    static final int SAMPLE_AFTER_MS = 40;
    private final java.util.Map<String, Integer> busyStacks = new java.util.concurrent.ConcurrentHashMap<>();

    private void sample(int waitedMs) {
        for (java.util.Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            String name = e.getKey().getName();
            if (name.equals("JavaFX Application Thread") || name.startsWith("QuantumRenderer")) {
                StringBuilder sb = new StringBuilder("  [" + name + "]\n");
                StackTraceElement[] st = e.getValue();
                for (int i = 0; i < Math.min(12, st.length); i++) {
                    sb.append("    at ").append(st[i]).append('\n');
                }
                busyStacks.merge(sb.toString(), 1, Integer::sum);
            }
        }
    }

    /** The FX thread's stacks sampled during stalls, most frequent first, with their counts. */
    public String busyStacks(int top) {
        StringBuilder sb = new StringBuilder();
        busyStacks.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(top)
                .forEach(e -> sb.append(e.getValue()).append(" samples:\n").append(e.getKey()));
        return sb.toString();
    }

    private final AtomicLong worstGcPauseMicros = new AtomicLong();
    private volatile boolean gcListening;

    /**
     * Records every GC pause from the JVM's notifications: a stop-the-world pause freezes the FX
     * thread and the probe's thread alike, so probes alone miss it. Concurrent cycles are not pauses.
     */
    private void listenToGc() {
        if (gcListening) {
            return;
        }
        gcListening = true;
        for (java.lang.management.GarbageCollectorMXBean gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof javax.management.NotificationEmitter emitter) {
                emitter.addNotificationListener((n, h) -> {
                    if (!n.getType().equals(com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                        return;
                    }
                    var info = com.sun.management.GarbageCollectionNotificationInfo.from(
                            (javax.management.openmbean.CompositeData) n.getUserData());
                    String name = info.getGcName();
                    if (name.contains("Cycles") || name.contains("Concurrent")) {
                        return;
                    }
                    worstGcPauseMicros.accumulateAndGet(info.getGcInfo().getDuration() * 1000, Math::max);
                }, null, null);
            }
        }
    }

    /** The longest GC pause since the last reset, in milliseconds (whole milliseconds, as the JVM reports them). */
    public double worstGcPauseMillis() {
        return worstGcPauseMicros.get() / 1000.0;
    }

    public void stop() {
        running = false;
    }

    /** Resets the statistics (e.g. after start-up, to measure a run alone). */
    public void reset() {
        worstNanos.set(0);
        probes.set(0);
        over50.set(0);
        busyStacks.clear();
        stalls.clear();
        worstGcPauseMicros.set(0);
        since = System.nanoTime();
    }

    /** When (seconds since the last reset) each stall over 50 ms began, and how long it was. */
    public java.util.List<String> stalls() {
        synchronized (stalls) {
            return java.util.List.copyOf(stalls);
        }
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
        return String.format(java.util.Locale.ROOT, "longest FX-thread stall %.1f ms over %,d probes (%d over 50 ms); longest GC pause %.0f ms",
                worstMillis(), probes(), probesOver50ms(), worstGcPauseMillis());
    }
}
