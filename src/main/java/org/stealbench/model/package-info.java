/**
 * Encoder architectures and heads on DL4J/ND4J, saving and loading encoders with their metadata, and the choice of the native ND4J backend (CPU build or CUDA). Depends only on {@code data}.
 */
package org.stealbench.model;
