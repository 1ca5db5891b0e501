package org.stealbench.model.train;

/** Receives a run's events on the training thread; keep it quick (the UI batches onto its own thread). */
@FunctionalInterface
public interface TrainListener {

    void on(TrainEvent event);

    TrainListener NONE = e -> { };
}
