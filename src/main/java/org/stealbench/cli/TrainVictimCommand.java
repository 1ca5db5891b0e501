package org.stealbench.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.stealbench.experiment.ExperimentEvent;
import org.stealbench.experiment.ExperimentListener;
import org.stealbench.experiment.Job;
import org.stealbench.experiment.VictimRun;
import org.stealbench.model.train.Cancellation;
import org.stealbench.ssl.SimClrConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Trains a victim encoder with SimCLR, optionally watermarked, and writes it with its provenance. */
@Command(name = "train-victim", mixinStandardHelpOptions = true,
        description = "Train a victim encoder with SimCLR (docs/protocol.md), optionally with the rotation watermark. "
                + "Writes OUT/victim.zip, config.json, provenance.json (with the cost), results.json and metrics.csv, "
                + "all at once when training completes; Ctrl-C keeps the last finished epoch in .checkpoints/ beside OUT, and "
                + "running the same command again resumes from it.")
final class TrainVictimCommand implements Callable<Integer> {

    @ParentCommand
    StealBenchCommand top;

    @Spec
    CommandSpec spec;

    @Option(names = "--dataset", defaultValue = "fashion-mnist", description = "Dataset id (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--train-images", defaultValue = "10000", description = "First N training images (default: ${DEFAULT-VALUE}).")
    int trainImages;

    @Option(names = "--arch", defaultValue = "small-cnn", description = "small-cnn or resnet18 (default: ${DEFAULT-VALUE}).")
    String arch;

    @Option(names = "--image-size", defaultValue = "32", description = "Images are padded or resized to this (default: ${DEFAULT-VALUE}).")
    int imageSize;

    @Option(names = "--epochs", defaultValue = "" + SimClrConfig.DEMO_EPOCHS, description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "256", description = "Images per batch; each gives two views (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--weight-decay", defaultValue = "1e-4", description = "Adam weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--temperature", defaultValue = "0.2", description = "NT-Xent temperature (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--strength", defaultValue = "1.0", description = "Colour-jitter strength (default: ${DEFAULT-VALUE}).")
    double strength;

    @Option(names = "--crop-min", defaultValue = "0.2", description = "Smallest random-crop area, a fraction of the image (default: ${DEFAULT-VALUE}).")
    double cropMin;

    @Option(names = "--blur", defaultValue = "1.0", description = "Probability of the Gaussian blur (default: ${DEFAULT-VALUE}).")
    double blur;

    @Option(names = "--watermark", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Embed the rotation watermark (default: ${DEFAULT-VALUE}; --no-watermark to train without).")
    boolean watermark;

    @Option(names = "--wm-weight", defaultValue = "1.0", description = "Watermark loss weight (default: ${DEFAULT-VALUE}).")
    double wmWeight;

    @Option(names = "--wm-fraction", defaultValue = "1.0", description = "Fraction of steps that train the watermark (default: ${DEFAULT-VALUE}).")
    double wmFraction;

    @Option(names = "--warmup", defaultValue = "1", description = "Warm-up epochs before the cosine decay (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Override
    public Integer call() throws Exception {
        SimClrConfig cfg = new SimClrConfig(dataset, trainImages, arch, imageSize, epochs, batch, lr, weightDecay, temperature,
                strength, cropMin, blur, watermark, wmWeight, wmFraction, warmup, seed);
        Cancellation cancel = new Cancellation();
        Thread hook = new Thread(cancel::cancel);
        Runtime.getRuntime().addShutdownHook(hook);
        var err = spec.commandLine().getErr();
        String command = "stealbench " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        ConsoleProgress progress = new ConsoleProgress(System.err, "SimCLR");
        ExperimentListener epochs = e -> {
            if (e instanceof ExperimentEvent.VictimEpoch v) {
                progress.line(String.format(Locale.ROOT, "epoch %d: loss %.4f%s", v.epoch() + 1, v.loss(), Double.isNaN(v.watermarkAccuracy()) ? ""
                        : String.format(Locale.ROOT, ", watermark train accuracy %.1f%%", 100 * v.watermarkAccuracy())));
            }
        };
        Job.Outcome outcome;
        try {
            outcome = new Job.VictimTraining(cfg, out, command).run(top.registry(), out.toAbsolutePath().getParent(),
                    ExperimentListener.all(progress, epochs), cancel);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already
            }
        }
        if (!outcome.completed()) {
            err.println("training " + outcome.status().name().toLowerCase(Locale.ROOT) + ": " + outcome.message());
            return 1;
        }
        spec.commandLine().getOut().printf(Locale.ROOT, "trained %s; wrote %s%n", cfg.architecture(),
                outcome.folder().resolve(VictimRun.ENCODER_FILE));
        return 0;
    }
}
