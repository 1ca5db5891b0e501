/**
 * Immutable experiment configurations (records with a schema version and a seed, round-tripping through JSON), the runner, the run events it reports, and the atomically written results folders with provenance.
 */
package org.stealbench.experiment;
