package org.stealbench.model.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.stealbench.data.format.DataFiles;
import org.stealbench.model.nn.Network;
import org.stealbench.model.nn.NetworkState;

/**
 * The training loop every trainer shares (victim SimCLR, stealing, probes): seeded shuffling per
 * epoch, fixed-size batches (the last partial batch is dropped, as the reference's loaders do,
 * so batch-coupled losses always see the same batch size), warm-up + cosine learning rate, Adam
 * or SGD per network, cooperative cancel checked before every batch, events, and an atomically
 * written checkpoint after every epoch from which {@link #run} resumes the same run.
 */
public final class Trainer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrainConfig config;
    private final TrainingTask task;
    private final List<Optimizer> optimizers = new ArrayList<>();

    public Trainer(TrainConfig config, TrainingTask task) {
        this.config = config;
        this.task = task;
        for (Network n : task.networks()) {
            optimizers.add(config.optimizer().equals("sgd")
                    ? new SgdOptimizer(n.params(), config.momentum(), config.weightDecay())
                    : new AdamOptimizer(n.params(), config.weightDecay()));
        }
    }

    public int stepsPerEpoch() {
        int n = task.size();
        return n < config.batchSize() ? 1 : n / config.batchSize();
    }

    /**
     * Trains to the configured number of epochs, or until cancelled. Runs once: the optimisers'
     * state is freed when it returns.
     *
     * @param checkpoint file written after every epoch (null: none); if it exists, training
     *                   resumes after the epoch it holds
     */
    public TrainEvent.Finished run(TrainListener listener, Cancellation cancel, Path checkpoint) {
        long t0 = System.nanoTime();
        int spe = stepsPerEpoch();
        int batch = Math.min(config.batchSize(), task.size());
        int firstEpoch = 0;
        long examples = 0;
        try {
            if (checkpoint != null && Files.isRegularFile(checkpoint)) {
                firstEpoch = restore(checkpoint) + 1;
            }
            listener.on(new TrainEvent.Started(config.epochs(), spe, firstEpoch, batch));
            long totalSteps = (long) config.epochs() * spe;
            for (int epoch = firstEpoch; epoch < config.epochs(); epoch++) {
                int[] order = permutation(task.size(), mix(config.seed(), epoch));
                long e0 = System.nanoTime();
                double lossSum = 0;
                double lr = 0;
                for (int s = 0; s < spe; s++) {
                    if (cancel.isCancelled()) {
                        return finish(listener, TrainStatus.CANCELLED, epoch, examples, t0, "cancelled during epoch " + (epoch + 1));
                    }
                    long global = (long) epoch * spe + s;
                    int[] idx = java.util.Arrays.copyOfRange(order, s * batch, s * batch + batch);
                    for (Network n : task.networks()) {
                        n.params().zeroGrads();
                    }
                    long s0 = System.nanoTime();
                    double loss = task.step(idx, mix(config.seed() ^ 0x51ED27L, global));
                    if (!Double.isFinite(loss)) {
                        return finish(listener, TrainStatus.FAILED, epoch, examples, t0,
                                "the loss became " + loss + " at epoch " + (epoch + 1) + ", step " + (s + 1)
                                        + " (try a lower learning rate)");
                    }
                    lr = config.learningRateAt(global, totalSteps, spe);
                    for (int i = 0; i < optimizers.size(); i++) {
                        optimizers.get(i).step(task.networks().get(i).params(), lr, global);
                    }
                    lossSum += loss;
                    examples += batch;
                    double secs = (System.nanoTime() - s0) / 1e9;
                    listener.on(new TrainEvent.Progress(epoch, s, spe, loss, batch / Math.max(secs, 1e-9)));
                }
                double secs = (System.nanoTime() - e0) / 1e9;
                // listeners first (they may record the epoch), then the checkpoint: a kill between the two re-trains
                // this epoch on resume, deterministically, and the listener's record of it is replaced, never lost
                listener.on(new TrainEvent.EpochEnd(epoch, lossSum / spe, secs, (double) spe * batch / secs, lr));
                if (checkpoint != null) {
                    save(checkpoint, epoch);
                }
            }
            return finish(listener, TrainStatus.COMPLETED, config.epochs(), examples, t0, "completed");
        } catch (IOException | RuntimeException e) {
            // the message goes to the user; the stack trace to the log (a run's run.log)
            org.slf4j.LoggerFactory.getLogger(Trainer.class).error("training failed", e);
            return finish(listener, TrainStatus.FAILED, -1, examples, t0, String.valueOf(e.getMessage()));
        } finally {
            // the moments are done with however training ended: freed now, not when the collector finds them
            optimizers.forEach(Optimizer::close);
        }
    }

    private static TrainEvent.Finished finish(TrainListener l, TrainStatus status, int epochs, long examples, long t0, String msg) {
        TrainEvent.Finished f = new TrainEvent.Finished(status, Math.max(0, epochs), examples, (System.nanoTime() - t0) / 1e9, msg);
        l.on(f);
        return f;
    }

    static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    static long mix(long seed, long i) {
        long z = seed + 0x9E3779B97F4A7C15L * (i + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Writes networks, optimiser states and the finished epoch into one zip, atomically. */
    void save(Path file, int epoch) throws IOException {
        DataFiles.writeAtomically(file, raw -> {
            // stored, not deflated: float weights barely compress, and deflating them every epoch cost a
            // sixth of a demo theft's training time with the unbuffered writer (docs/benchmarks.md, demo theft)
            ZipOutputStream zip = new ZipOutputStream(new java.io.BufferedOutputStream(raw, 1 << 16));
            zip.setLevel(java.util.zip.Deflater.NO_COMPRESSION);
            zip.putNextEntry(new ZipEntry("checkpoint.json"));
            zip.write(JSON.writeValueAsBytes(Map.of("epoch", epoch, "config", config, "networks", optimizers.size())));
            zip.closeEntry();
            for (int i = 0; i < optimizers.size(); i++) {
                Network n = task.networks().get(i);
                put(zip, i + ".params", n.params().values());
                put(zip, i + ".state", n.params().state());
                put(zip, i + ".optimizer", optimizers.get(i).state());
            }
            zip.finish();
            zip.flush();
        });
    }

    private static void put(ZipOutputStream zip, String name, INDArray a) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        NetworkState.writeArray(a, zip);
        zip.closeEntry();
    }

    /** Loads a checkpoint into the networks and optimisers; returns the epoch it finished. */
    int restore(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Map<?, ?> meta = JSON.readValue(zip.getInputStream(entry(zip, "checkpoint.json")), Map.class);
            TrainConfig saved = JSON.convertValue(meta.get("config"), TrainConfig.class);
            if (saved.seed() != config.seed() || saved.batchSize() != config.batchSize() || saved.epochs() != config.epochs()) {
                throw new IllegalArgumentException(file + " belongs to another run (seed, batch size or epochs differ); "
                        + "delete it to start afresh");
            }
            for (int i = 0; i < optimizers.size(); i++) {
                Network n = task.networks().get(i);
                NetworkState.restore(n.params().values(), read(zip, i + ".params"), file + " network " + i);
                NetworkState.restore(n.params().state(), read(zip, i + ".state"), file + " network " + i + " state");
                NetworkState.restore(optimizers.get(i).state(), read(zip, i + ".optimizer"), file + " optimiser " + i);
            }
            return ((Number) meta.get("epoch")).intValue();
        }
    }

    private static ZipEntry entry(ZipFile zip, String name) {
        return NetworkState.entry(zip, name, "checkpoint");
    }

    private static INDArray read(ZipFile zip, String name) throws IOException {
        return NetworkState.readEntry(zip, name, "checkpoint");
    }
}
