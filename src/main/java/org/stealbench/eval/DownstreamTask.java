package org.stealbench.eval;

import org.stealbench.data.DatasetRegistry;
import org.stealbench.data.DatasetSplits;
import org.stealbench.data.ImageDataset;

/**
 * A downstream classification task: images to train a probe on and images to test it on,
 * disjoint from the victim's training images (PROTOCOL.md, demo scale): Fashion-MNIST trains on
 * training images 10,000-19,999 and tests on the last 2,000 test images; other datasets use their
 * own train and test splits, capped at 10,000 and 2,000.
 */
public record DownstreamTask(String name, ImageDataset train, ImageDataset test) {

    public static final int MAX_TRAIN = 10_000;
    public static final int MAX_TEST = 2_000;

    public static DownstreamTask of(String dataset, DatasetRegistry registry) {
        DatasetSplits s = registry.load(dataset);
        String id = dataset.contains("@") ? dataset.substring(0, dataset.indexOf('@')) : dataset;
        if (id.equals("fashion-mnist") && s.train().size() >= 2 * MAX_TRAIN) {
            ImageDataset test = s.test();
            return new DownstreamTask(dataset, s.train().slice(MAX_TRAIN, 2 * MAX_TRAIN),
                    test.slice(Math.max(0, test.size() - MAX_TEST), test.size()));
        }
        return new DownstreamTask(dataset, s.train().slice(0, Math.min(MAX_TRAIN, s.train().size())),
                s.test().slice(0, Math.min(MAX_TEST, s.test().size())));
    }
}
