package org.stealbench.model.train;

import java.util.concurrent.atomic.AtomicBoolean;

/** A cooperative cancel flag: set from any thread, checked by the trainer before every batch. */
public final class Cancellation {

    private final AtomicBoolean cancelled = new AtomicBoolean();

    public void cancel() {
        cancelled.set(true);
    }

    public boolean isCancelled() {
        return cancelled.get();
    }
}
