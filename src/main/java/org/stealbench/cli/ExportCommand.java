package org.stealbench.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.stealbench.experiment.ExperimentConfig;
import org.stealbench.experiment.ExperimentRunner;
import org.stealbench.model.Dl4jModels;
import org.stealbench.model.Encoder;
import org.stealbench.model.EncoderIO;
import org.stealbench.model.NativeBackend;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code export-dl4j}: an encoder (a victim, a stolen copy's stolen.zip) as a DL4J model file. */
@Command(name = "export-dl4j", mixinStandardHelpOptions = true,
        description = {"Write an encoder's representation network as a DL4J MultiLayerNetwork (ModelSerializer), with its input "
                + "normalisation as the file's normaliser.",
                "In DL4J: ModelSerializer.restoreMultiLayerNetwork(file), restoreNormalizerFromFile(file).transform(x), output(x) on NCHW "
                        + "images in [0, 1]. The small CNN exports; ResNet-18 does not yet."})
public final class ExportCommand implements Callable<Integer> {

    @ParentCommand
    StealBenchCommand top;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "ENCODER", description = "An encoder file (a results folder's stolen.zip, a victim), or 'bundled'.")
    String encoder;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The DL4J model file to write (.zip).")
    Path out;

    @Override
    public Integer call() throws Exception {
        NativeBackend.configure();
        Path file = ExperimentRunner.victimFile(ExperimentConfig.defaults().withVictim(encoder), top.registry());
        try (Encoder e = EncoderIO.load(file).encoder()) {
            Dl4jModels.export(e, out);
            PrintWriter w = spec.commandLine().getOut();
            w.printf("wrote %s: %s, %dx%dx%d in, %d-d representation out (DL4J MultiLayerNetwork with its normaliser)%n", out,
                    e.spec().architecture(), e.spec().channels(), e.spec().height(), e.spec().width(), e.spec().repDim());
            w.flush();
        }
        return 0;
    }
}
