/**
 * Defences in the API's chain ({@link org.stealbench.api.Defense}), declared once in
 * {@link org.stealbench.defense.DefenseCatalog}: prediction poisoning, similarity detection, PRADA,
 * calibrated proof-of-work and the coverage-based active defence (B4B). State is kept per client key.
 */
package org.stealbench.defense;
