package org.stealbench.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.concurrent.Callable;
import org.stealbench.experiment.ExperimentParameters;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Prints the experiment file's JSON Schema, made from the fields' one declaration. */
@Command(name = "schema", mixinStandardHelpOptions = true,
        description = "Print the JSON Schema of experiment files (what --config and Experiment > Open read).")
final class SchemaCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        spec.commandLine().getOut().println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(ExperimentParameters.jsonSchema()));
        return 0;
    }
}
