/**
 * The victim behind an API: representations for a batch of images, exact per-client query accounting, the query budget, cost, and the chain of output defences; in-process and HTTP implementations of one interface.
 */
package org.stealbench.api;
