package org.stealbench.data;

/** A loaded dataset: its train and test splits and where they were found. */
public record DatasetSplits(ImageDataset train, ImageDataset test, DatasetLocation location) {

    public ImageDataset split(Split split) {
        return split == Split.TRAIN ? train : test;
    }
}
