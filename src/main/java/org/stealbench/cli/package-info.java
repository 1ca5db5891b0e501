/**
 * The headless command line (picocli): thin commands over the experiment engine and the data layer, for batch runs and scripts.
 */
package org.stealbench.cli;
