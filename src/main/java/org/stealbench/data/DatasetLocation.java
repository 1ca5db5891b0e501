package org.stealbench.data;

import java.nio.file.Path;

/**
 * Where a dataset can be loaded from.
 *
 * @param origin which kind of place (the resolution order is the enum's order)
 * @param path the folder or file, or null for generated data
 */
public record DatasetLocation(Origin origin, Path path) {

    /** Kinds of place a dataset comes from, in the order the registry tries them. */
    public enum Origin {
        /** A subset shipped in the project's sample-data/ folder. */
        BUNDLED,
        /** A system-wide install, e.g. a Debian or npm package. */
        SYSTEM,
        /** The user's data directory (--data-dir or STEALBENCH_DATA). */
        USER,
        /** Generated procedurally from a seed, nothing to find. */
        GENERATED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public String describe() {
        return path == null ? origin.label() : origin.label() + " " + path;
    }
}
