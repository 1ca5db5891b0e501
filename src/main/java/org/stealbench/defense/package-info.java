/**
 * Defences against stealing: output noise, similarity detection, PRADA, calibrated proof-of-work, and verification of the rotation watermark in a suspect encoder.
 */
package org.stealbench.defense;
