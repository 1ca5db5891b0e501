package org.stealbench.experiment;

/** Receives {@link ExperimentEvent}s; must be quick, it runs on the experiment's thread. */
@FunctionalInterface
public interface ExperimentListener {

    ExperimentListener NONE = e -> { };

    void on(ExperimentEvent e);
}
