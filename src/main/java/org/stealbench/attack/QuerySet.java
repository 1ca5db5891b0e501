package org.stealbench.attack;

import org.stealbench.data.DatasetRegistry;
import org.stealbench.data.DatasetSplits;
import org.stealbench.data.ImageDataset;

/**
 * The attacker's query images (PROTOCOL.md, demo scale): Fashion-MNIST test images from the start
 * (never the last 2,000, which test the probes), or the training split of any other dataset.
 */
public final class QuerySet {

    public static final int HELD_OUT = 2_000;

    private QuerySet() {
    }

    public static ImageDataset draw(String dataset, int n, DatasetRegistry registry) {
        ImageDataset pool = pool(dataset, registry);
        if (n > pool.size()) {
            throw new IllegalArgumentException(dataset + " offers " + pool.size() + " query images, fewer than the " + n + " asked for");
        }
        return pool.slice(0, n);
    }

    /** How many query images {@code dataset} offers (the most a query budget can use without re-querying). */
    public static int capacity(String dataset, DatasetRegistry registry) {
        return pool(dataset, registry).size();
    }

    private static ImageDataset pool(String dataset, DatasetRegistry registry) {
        DatasetSplits s = registry.load(dataset);
        String id = dataset.contains("@") ? dataset.substring(0, dataset.indexOf('@')) : dataset;
        return id.equals("fashion-mnist") ? s.test().slice(0, Math.max(0, s.test().size() - HELD_OUT)) : s.train();
    }
}
