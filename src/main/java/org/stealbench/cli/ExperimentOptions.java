package org.stealbench.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stealbench.experiment.ExperimentConfig;
import org.stealbench.experiment.ExperimentParameters;
import org.stealbench.experiment.ExperimentParameters.Parameter;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The stealing commands' experiment options, made from the fields' one declaration
 * ({@link ExperimentParameters}): name, type, help and allowed values come from there, and so
 * does every check. A value given on the command line overrides the --config file's, which
 * overrides the declared default.
 */
final class ExperimentOptions {

    private ExperimentOptions() {
    }

    /** Adds an option per field to {@code spec}, but for the fields the command sweeps itself, and --results. */
    static void install(CommandSpec spec, Parameter<?>... swept) {
        java.util.Set<Parameter<?>> skip = java.util.Set.of(swept);
        for (Parameter<?> p : ExperimentParameters.ALL) {
            if (skip.contains(p)) {
                continue;
            }
            spec.addOption(option(p));
        }
        spec.addOption(option(ExperimentParameters.RESULTS));
    }

    private static OptionSpec option(Parameter<?> p) {
        OptionSpec.Builder b = OptionSpec.builder(p.option()).description(p.help().replace("%", "%%"));
        if (p instanceof ExperimentParameters.Flag) {
            b.type(boolean.class).arity("0");
        } else if (p instanceof ExperimentParameters.Names) {
            b.type(List.class).auxiliaryTypes(String.class).splitRegex(",(?![A-Za-z]+=)").splitRegexSynopsisLabel(",").paramLabel("NAMES");
        } else if (p instanceof ExperimentParameters.Whole) {
            b.type(Long.class).paramLabel("N");
        } else if (p instanceof ExperimentParameters.Real) {
            b.type(Double.class).paramLabel("X");
        } else {
            b.type(String.class).paramLabel(p instanceof ExperimentParameters.Text t && !t.choices().isEmpty()
                    ? String.join("|", t.choices()) : p.option().substring(2).toUpperCase(java.util.Locale.ROOT));
        }
        return b.build();
    }

    /** The fields the user gave on the command line (JSON name -> value). */
    static Map<String, Object> given(CommandSpec spec) {
        Map<String, Object> out = new LinkedHashMap<>();
        CommandLine.ParseResult pr = spec.commandLine().getParseResult();
        for (Parameter<?> p : ExperimentParameters.ALL) {
            if (pr.hasMatchedOption(p.option())) {
                Object v = pr.matchedOptionValue(p.option(), null);
                out.put(p.name(), v);
            }
        }
        return out;
    }

    /** The results folder: --results, else the shared default (see {@link ExperimentParameters#defaultResultsRoot}). */
    static Path results(CommandSpec spec) {
        String v = spec.commandLine().getParseResult().matchedOptionValue(ExperimentParameters.RESULTS.option(), null);
        return v != null ? Path.of(v).toAbsolutePath() : ExperimentParameters.defaultResultsRoot();
    }

    /** {@code base}'s fields with {@code overrides} on top, checked by the declarations. */
    static ExperimentConfig merge(ExperimentConfig base, Map<String, Object> overrides) {
        Map<String, Object> fields = base.toFields();
        fields.putAll(overrides);
        return ExperimentConfig.fromFields(fields);
    }
}
