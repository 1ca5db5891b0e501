package org.stealbench.data;

import java.nio.file.Path;
import java.util.List;

/**
 * One dataset id: where it may be found and how to load it from there. Add a dataset by
 * implementing this and registering it in {@link DatasetRegistry#standard}.
 */
public interface DatasetSource {

    String id();

    /** One line for listings: what the data is. */
    String description();

    /** Where the data would be, in resolution order; existence is checked by {@link #isPresent}. */
    List<DatasetLocation> candidates(DatasetRegistry.Roots roots);

    /** Whether the files this source needs are at {@code location}. */
    boolean isPresent(DatasetLocation location);

    /** Loads both splits from a location where {@link #isPresent} holds. */
    DatasetSplits load(DatasetLocation location);

    /** How a user gets this data when it is not found: a package, a file, a folder layout. */
    String howToGet(DatasetRegistry.Roots roots);

    /** A folder under the user data directory, named after the id. */
    default Path userFolder(DatasetRegistry.Roots roots) {
        return roots.userDir().resolve(id());
    }
}
