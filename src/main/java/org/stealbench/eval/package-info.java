/**
 * Downstream evaluation of frozen encoders: linear probe, kNN, fidelity to the victim (cosine, CKA), and the statistical tests behind verdicts.
 */
package org.stealbench.eval;
