package org.stealbench.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.stealbench.data.DatasetRegistry;
import org.stealbench.data.SampleDataBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Rebuilds sample-data/ from the system packages (scripts/build-sample-data.sh installs them, then calls this). */
@Command(name = "build-sample-data", mixinStandardHelpOptions = true,
        description = "Write the bundled dataset subsets (gzipped IDX) and their README with checksums from the "
                + "full datasets installed on this machine. scripts/build-sample-data.sh installs the packages first.")
final class BuildSampleDataCommand implements Callable<Integer> {

    @ParentCommand
    StealBenchCommand top;

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: the project's sample-data).")
    Path out;

    @Override
    public Integer call() throws Exception {
        DatasetRegistry registry = top.registry();
        Path dir = out != null ? out : registry.roots().sampleData();
        SampleDataBuilder.build(registry, SampleDataBuilder.standard(), dir);
        spec.commandLine().getOut().println("wrote " + String.join(", ", SampleDataBuilder.ids(SampleDataBuilder.standard()))
                + " and README.md to " + dir.toAbsolutePath());
        return 0;
    }
}
