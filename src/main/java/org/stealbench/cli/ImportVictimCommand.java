package org.stealbench.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.stealbench.experiment.VictimImport;
import org.stealbench.model.Dl4jEncoder;
import org.stealbench.model.NativeBackend;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code import-victim}: a DL4J or Keras model as a victim file that every stealing command takes. */
@Command(name = "import-victim", mixinStandardHelpOptions = true,
        description = {"Make a DL4J model (a MultiLayerNetwork or ComputationGraph written by ModelSerializer, with or without its "
                + "normaliser) or a Keras HDF5 model (through DL4J's Keras import) a victim: steal it, serve it, defend it, evaluate it.",
                "A model from elsewhere does not say what it was trained on: --trained-on names the dataset, --train-indices which of "
                        + "its training images (default all: then no training image counts as unseen; held-out images come from the "
                        + "test split, which the model must not have seen)."})
public final class ImportVictimCommand implements Callable<Integer> {

    @ParentCommand
    StealBenchCommand top;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "MODEL", description = "The DL4J model zip or Keras .h5 file.")
    Path model;

    @Option(names = "--trained-on", required = true, paramLabel = "DATASET",
            description = "The dataset the model learnt from (an id as `datasets` lists it, e.g. fashion-mnist, cifar10).")
    String trainedOn;

    @Option(names = "--train-indices", defaultValue = "all", paramLabel = "all|first:N|FILE",
            description = "Which training images it learnt from: all (default), the first N, or a file of indices.")
    String trainIndices;

    @Option(names = "--input", paramLabel = "CxHxW", description = "The image shape the model takes (default: the dataset's, e.g. 1x28x28).")
    String input;

    @Option(names = "--layout", defaultValue = "auto", paramLabel = "auto|nchw|nhwc|flat",
            description = "How the model takes a batch (default auto: the first that gives one vector per image; Keras models are often nhwc).")
    String layout;

    @Option(names = "--layer", paramLabel = "NAME|INDEX",
            description = "Take this layer's activations as the representation instead of the model's output.")
    String layer;

    @Option(names = "--pixel-scale", defaultValue = "1", paramLabel = "S",
            description = "Multiply [0,1] pixels by this first (255 for a model trained on raw pixel values; default ${DEFAULT-VALUE}).")
    double pixelScale;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The victim file to write (.zip).")
    Path out;

    @Override
    public Integer call() throws Exception {
        NativeBackend.configure();
        int[] shape;
        try {
            shape = VictimImport.shape(input);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--input: " + e.getMessage());
        }
        Dl4jEncoder.Layout l = Dl4jEncoder.Layout.parse(layout);
        VictimImport.Outcome o = VictimImport.run(new VictimImport.Request(model, trainedOn, trainIndices, l, layer, pixelScale, shape),
                top.registry(), out);
        PrintWriter w = spec.commandLine().getOut();
        w.println("wrote " + o.summary(out));
        w.println("steal it: scripts/stealbench steal --victim " + out);
        w.flush();
        return 0;
    }
}
