package org.stealbench.api;

/**
 * One client's use of the API: images answered (each one query), images refused for the budget,
 * and the victim's compute time spent answering.
 */
public record QueryAccount(String client, long answered, long refused, double computeSeconds) {
}
