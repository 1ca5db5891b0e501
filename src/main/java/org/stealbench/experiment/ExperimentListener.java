package org.stealbench.experiment;

/** Receives {@link ExperimentEvent}s; must be quick, it runs on the experiment's thread. */
@FunctionalInterface
public interface ExperimentListener {

    ExperimentListener NONE = e -> { };

    void on(ExperimentEvent e);

    /** Every listener in turn, in order (a chart, a log, a progress bar ...: after DJL's composable training listeners). */
    static ExperimentListener all(ExperimentListener... listeners) {
        ExperimentListener[] ls = listeners.clone();
        return e -> {
            for (ExperimentListener l : ls) {
                l.on(e);
            }
        };
    }
}
