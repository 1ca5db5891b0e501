package org.stealbench.api;

/**
 * One client's use of the API: images answered (each one query), images refused for the budget,
 * images refused by a defence, answered images a defence flagged (and answered with garbage, for
 * instance), and the victim's compute time spent answering.
 */
public record QueryAccount(String client, long answered, long refused, long denied, long flagged, double computeSeconds) {

    /** Images the client sent that a defence refused or flagged. */
    public long caught() {
        return denied + flagged;
    }
}
