package org.stealbench.experiment.bench;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.stealbench.data.DatasetRegistry;
import org.stealbench.data.DatasetSplits;
import org.stealbench.data.ImageDataset;
import org.stealbench.data.transform.BatchAugmenter;
import org.stealbench.data.transform.ImageAdapters;
import org.stealbench.data.transform.Rotations;
import org.stealbench.data.transform.SimClrAugmentation;

/**
 * The data suite: how long loading takes (the full Fashion-MNIST must load in seconds) and how
 * many images per second the augmentations produce, to compare with training throughput.
 */
public final class DataBenchmark {

    private DataBenchmark() {
    }

    /** Runs the suite and returns its Markdown section. */
    public static String run(DatasetRegistry.Roots roots, int repeats, Consumer<String> log) {
        StringBuilder md = new StringBuilder();
        md.append("## Data: loading and augmentation\n\n");
        md.append("Command: `scripts/stealbench bench --suite data`. Machine: ").append(BenchmarkReport.machine())
                .append(". Date: ").append(LocalDate.now()).append(".\n\n");
        md.append("| dataset | location | train + test images | load time (median of ").append(repeats).append(", fresh registry each) |\n");
        md.append("|---|---|---|---|\n");
        for (String spec : List.of("fashion-mnist@system", "fashion-mnist@bundled", "mnist@system", "mnist@bundled",
                "digits@system", "digits@bundled", "shapes")) {
            DatasetRegistry probe = DatasetRegistry.standard(roots);
            if (probe.find(spec).isEmpty()) {
                md.append("| ").append(spec).append(" | not on this machine | - | - |\n");
                continue;
            }
            double[] secs = new double[repeats];
            DatasetSplits last = null;
            for (int r = 0; r < repeats; r++) {
                DatasetRegistry fresh = DatasetRegistry.standard(roots);
                long t0 = System.nanoTime();
                last = fresh.load(spec);
                secs[r] = (System.nanoTime() - t0) / 1e9;
            }
            Arrays.sort(secs);
            String line = String.format(Locale.ROOT, "| %s | %s | %,d | %.2f s |", spec, last.location().describe(),
                    last.train().size() + last.test().size(), secs[repeats / 2]);
            log.accept(line);
            md.append(line).append('\n');
        }

        md.append("\nAugmentation throughput, batches of 256 (SimCLR = crop, flip, jitter p 0.8, grayscale p 0.2, blur; "
                + "a SimCLR step needs two views per image):\n\n");
        md.append("| input | transform | images/s |\n|---|---|---|\n");
        DatasetRegistry reg = DatasetRegistry.standard(roots);
        List<Object[]> inputs = new ArrayList<>();
        inputs.add(new Object[] {"fashion-mnist padded to 1x32x32", ImageAdapters.fit(reg.load("fashion-mnist").train().slice(0, 2048), 1, 32, 32)});
        inputs.add(new Object[] {"shapes 3x32x32", reg.load("shapes").train().slice(0, 2048)});
        for (Object[] in : inputs) {
            ImageDataset ds = (ImageDataset) in[1];
            int n = 256;
            float[] batch = ds.batch(0, n);
            BatchAugmenter simclr = new BatchAugmenter(SimClrAugmentation.reference());
            double simclrRate = rate(() -> simclr.apply(batch, n, ds.channels(), ds.height(), ds.width(), 7), n);
            Rotations.RotationTask task = Rotations.watermarkTask(n, 3);
            double rotRate = rate(() -> Rotations.rotate(batch, n, ds.channels(), ds.height(), ds.width(), task.anglesDegrees()), n);
            for (String row : List.of(
                    String.format(Locale.ROOT, "| %s | SimCLR view | %,.0f |", in[0], simclrRate),
                    String.format(Locale.ROOT, "| %s | watermark rotation | %,.0f |", in[0], rotRate))) {
                log.accept(row);
                md.append(row).append('\n');
            }
        }
        md.append("\nFor scale: the PyTorch peer trains a 3-conv CNN at 1,330-1,850 images/s on this kind of machine "
                + "(issue 3), so SimCLR's two views need about 3,700 augmented images/s to keep up.\n");
        return md.toString();
    }

    /** Images per second of {@code task} over batches of {@code n}, after warm-up, for about 2 seconds. */
    private static double rate(Runnable task, int n) {
        long warmEnd = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < warmEnd) {
            task.run();
        }
        int iters = 0;
        long t0 = System.nanoTime();
        long end = t0 + 2_000_000_000L;
        while (System.nanoTime() < end) {
            task.run();
            iters++;
        }
        return iters * (double) n / ((System.nanoTime() - t0) / 1e9);
    }
}
