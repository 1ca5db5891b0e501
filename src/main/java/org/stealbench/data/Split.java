package org.stealbench.data;

/** Which part of a dataset: the split its publisher meant for training or for testing. */
public enum Split {
    TRAIN, TEST;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
