/**
 * The victim behind an API: query accounting, budget, cost and the chain of output defences, through one interface (in process now; HTTP to come).
 */
package org.stealbench.api;
