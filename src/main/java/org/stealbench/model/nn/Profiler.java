package org.stealbench.model.nn;

import java.util.Map;
import java.util.TreeMap;

/**
 * Optional per-layer-type timing of forward and backward passes, for finding where a training
 * step's time goes ({@code bench --profile}). Off by default; when off it costs one branch.
 * Single-threaded use only (training steps are).
 */
public final class Profiler {

    private static boolean enabled;
    private static final Map<String, double[]> TIMES = new TreeMap<>();

    private Profiler() {
    }

    public static void enable(boolean on) {
        enabled = on;
    }

    public static boolean enabled() {
        return enabled;
    }

    public static void reset() {
        TIMES.clear();
    }

    static void record(String what, boolean backward, long nanos) {
        TIMES.computeIfAbsent(what, k -> new double[2])[backward ? 1 : 0] += nanos / 1e6;
    }

    /** Milliseconds per kind of layer: {forward, backward}, summed since the last reset. */
    public static Map<String, double[]> times() {
        Map<String, double[]> copy = new TreeMap<>();
        TIMES.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    static boolean isLeaf(Layer l) {
        return !(l instanceof Sequential) && !(l instanceof ResidualBlock);
    }
}
