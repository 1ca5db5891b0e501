package org.stealbench.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.stealbench.data.DatasetException;
import org.stealbench.data.DatasetRegistry;
import org.stealbench.data.DatasetSplits;
import org.stealbench.data.ImageDataset;
import org.stealbench.data.Split;
import org.stealbench.data.preview.SampleGrid;
import org.stealbench.data.transform.BatchAugmenter;
import org.stealbench.data.transform.SimClrAugmentation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Lists the datasets this machine has, and draws samples of one. */
@Command(name = "datasets", mixinStandardHelpOptions = true,
        description = "List every dataset id: where it was found (bundled sample-data, system install, user data "
                + "directory, or generated), its splits, image shape and classes. '*' marks the location an id "
                + "resolves to; pin another with ID@bundled|system|user.",
        subcommands = DatasetsCommand.Show.class)
final class DatasetsCommand implements Callable<Integer> {

    @ParentCommand
    StealBenchCommand top;

    @Spec
    CommandSpec spec;

    @Option(names = "--no-load", description = "Only say where each dataset is; do not load it to count images.")
    boolean noLoad;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        DatasetRegistry registry = top.registry();
        String fmt = "%-14s %-10s %7s %7s  %-9s %7s  %s%n";
        out.printf(fmt, "ID", "SOURCE", "TRAIN", "TEST", "SHAPE", "CLASSES", "LOCATION");
        String lastMissing = null;
        for (DatasetRegistry.Entry e : registry.entries()) {
            String id = e.source().id();
            if (!e.present()) {
                boolean anyPresent = registry.entries().stream().anyMatch(x -> x.source() == e.source() && x.present());
                if (!anyPresent && !id.equals(lastMissing)) {
                    out.printf(fmt, id, "-", "-", "-", "-", "-", "not found: " + e.source().howToGet(registry.roots()));
                    lastMissing = id;
                }
                continue;
            }
            String origin = e.location().origin().label() + (e.selected() ? "*" : "");
            String pin = e.selected() ? id : id + "@" + e.location().origin().label();
            String where = e.location().path() == null ? e.source().description() : e.location().path().toString();
            if (noLoad) {
                out.printf(fmt, id, origin, "?", "?", "?", "?", where);
                continue;
            }
            try {
                DatasetSplits s = registry.load(pin);
                ImageDataset t = s.train();
                out.printf(fmt, id, origin, t.size(), s.test().size(), t.channels() + "x" + t.height() + "x" + t.width(),
                        t.numClasses(), where);
            } catch (DatasetException ex) {
                out.printf(fmt, id, origin, "!", "!", "-", "-", "unreadable: " + ex.getMessage());
            }
        }
        out.flush();
        return 0;
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Write a PNG grid of labelled samples of a dataset, beside the same samples augmented "
                    + "as SimCLR training sees them.")
    static final class Show implements Callable<Integer> {

        @ParentCommand
        DatasetsCommand parent;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "ID", description = "Dataset id, e.g. fashion-mnist, shapes, fashion-mnist@system, folder:DIR.")
        String id;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "PNG file to write.")
        Path out;

        @Option(names = "--split", defaultValue = "train", description = "train or test (default: ${DEFAULT-VALUE}).")
        String split;

        @Option(names = "--per-class", defaultValue = "8", description = "Samples per class (default: ${DEFAULT-VALUE}).")
        int perClass;

        @Option(names = "--max-classes", defaultValue = "10", description = "At most this many class rows (default: ${DEFAULT-VALUE}).")
        int maxClasses;

        @Option(names = "--no-augment", description = "Draw only the original images.")
        boolean noAugment;

        @Option(names = "--strength", defaultValue = "1.0", description = "Colour-jitter strength of the augmentation (default: ${DEFAULT-VALUE}).")
        double strength;

        @Option(names = "--seed", defaultValue = "1", description = "Seed for picking samples and augmenting them (default: ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() throws Exception {
            if (perClass < 1 || perClass > 32 || maxClasses < 1) {
                throw new IllegalArgumentException("--per-class must lie in 1..32 and --max-classes be at least 1");
            }
            Split sp = switch (split) {
                case "train" -> Split.TRAIN;
                case "test" -> Split.TEST;
                default -> throw new IllegalArgumentException("--split must be train or test, not '" + split + "'");
            };
            ImageDataset ds = parent.top.registry().load(id).split(sp);
            BatchAugmenter aug = noAugment ? null : new BatchAugmenter(SimClrAugmentation.withStrength(strength));
            SampleGrid.writePng(SampleGrid.render(ds, perClass, maxClasses, aug, seed), out);
            spec.commandLine().getOut().println("wrote " + out.toAbsolutePath() + " (" + ds + ")");
            return 0;
        }
    }
}
