/**
 * The victim behind an API: query accounting, budget, cost and the chain of output defences, through one interface
 * ({@link org.stealbench.api.EncoderApi}), in process here and over HTTP in {@code api.http}.
 */
package org.stealbench.api;
