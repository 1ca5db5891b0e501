/**
 * Self-supervised training of the victim encoder (SimCLR with NT-Xent), optionally with the rotation watermark embedded as a jointly trained task.
 */
package org.stealbench.ssl;
