/**
 * Experiments and the jobs that run them: immutable configurations whose fields are declared once
 * ({@code ExperimentParameters}: checks, defaults, command-line options, the form, the JSON Schema),
 * the protocol that decides which images play which role for a victim ({@code Protocol}, over
 * {@code data.Roles}), one job model for thefts and victim training ({@code Job}) with typed events
 * and composable listeners, the runner, and results folders written atomically with a typed
 * record, provenance, derived CSV files and a run log; benchmark suites in {@code experiment.bench}.
 */
package org.stealbench.experiment;
