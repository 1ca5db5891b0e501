package org.stealbench.attack;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.stealbench.api.EncoderApi;
import org.stealbench.data.ImageDataset;
import org.stealbench.data.format.DataFiles;
import org.stealbench.data.transform.BatchAugmenter;
import org.stealbench.data.transform.ImageAdapters;
import org.stealbench.data.transform.SimClrAugmentation;
import org.stealbench.model.Architecture;
import org.stealbench.model.Encoder;
import org.stealbench.model.EncoderSpec;
import org.stealbench.model.nn.Network;
import org.stealbench.model.nn.NetworkState;
import org.stealbench.model.train.BatchLoss;
import org.stealbench.model.train.Cancellation;
import org.stealbench.model.train.TrainConfig;
import org.stealbench.model.train.TrainEvent;
import org.stealbench.model.train.TrainListener;
import org.stealbench.model.train.TrainStatus;
import org.stealbench.model.train.Trainer;
import org.stealbench.model.train.TrainingTask;

/**
 * Steals an encoder through its API. By default the query images (adapted to the API's input
 * shape) are sent once, in batches, and the answers kept as a bank; with re-querying, each
 * training batch is augmented and sent again. A fresh encoder of the chosen architecture is
 * trained so its outputs match the answers under the chosen loss. The stolen encoder normalises
 * its inputs with the query set's own statistics: the attacker never sees the victim's.
 *
 * <p>With a checkpoint folder, the bank (and the count of queries it cost) and the trainer's
 * state after every epoch are kept there, so an interrupted theft resumes without querying again.
 */
public final class StealingTrainer {

    static final int QUERY_BATCH = 250;
    private static final ObjectMapper JSON = new ObjectMapper();

    private StealingTrainer() {
    }

    /** The stolen encoder, how training ended, and the queries the API answered (earlier sessions of a resumed theft included). */
    public record Result(Encoder stolen, TrainEvent.Finished finished, long queriesUsed, List<Double> epochLoss, Attacker attacker) {
    }

    public static Result steal(StealConfig cfg, EncoderApi api, ImageDataset queryImages, TrainListener listener, Cancellation cancel) {
        return steal(cfg, api, queryImages, listener, cancel, null);
    }

    /**
     * @param checkpointDir folder for the bank and per-epoch checkpoints (null: none); if it holds
     *                      a checkpoint of this theft, training resumes from it
     */
    public static Result steal(StealConfig cfg, EncoderApi api, ImageDataset queryImages, TrainListener listener, Cancellation cancel,
                               Path checkpointDir) {
        return steal(cfg, api, queryImages, listener, cancel, checkpointDir, (e, q) -> { });
    }

    /**
     * As above; {@code onStart} receives the encoder being trained and the count of queries used so
     * far (a resumed theft's earlier ones included) before training starts, for live evaluation.
     */
    public static Result steal(StealConfig cfg, EncoderApi api, ImageDataset queryImages, TrainListener listener, Cancellation cancel,
                               Path checkpointDir, java.util.function.BiConsumer<Encoder, java.util.function.LongSupplier> onStart) {
        int[] shape = api.inputShape();
        ImageDataset all = ImageAdapters.fit(queryImages, shape[0], shape[1], shape[2]);
        long[] earlier = {0};
        Attacker attacker = new Attacker(api, cfg.sybils());
        Attacker.Bank answered;
        try {
            answered = cfg.requery() ? null : bank(attacker, api, all, cancel, checkpointDir, earlier);
            if (cfg.requery() && checkpointDir != null) {
                earlier[0] = readCount(checkpointDir);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot use the checkpoint folder " + checkpointDir + ": " + e.getMessage(), e);
        }
        if (answered != null && (answered.cancelled() || answered.indices().length < 2)) {
            TrainEvent.Finished f = answered.cancelled()
                    ? new TrainEvent.Finished(TrainStatus.CANCELLED, 0, 0, 0, "cancelled while querying the API")
                    : new TrainEvent.Finished(TrainStatus.FAILED, 0, 0, 0, "the API answered " + answered.indices().length + " of "
                            + all.size() + " queries: " + String.join("; ", attacker.refusals()));
            listener.on(f);
            if (answered.answers() != null) {
                answered.answers().close();
            }
            return new Result(null, f, used(attacker, earlier), List.of(), attacker);
        }
        // what the attacker trains on: the images the API answered (all of them unless a defence refused some)
        ImageDataset queries = answered == null || answered.complete(all.size()) ? all : all.select(answered.indices());
        INDArray bank = answered == null ? null : answered.answers();
        long[] batches = {0};
        Encoder stolen = new Encoder(stolenSpec(cfg, api, queries), cfg.seed());
        onStart.accept(stolen, () -> used(attacker, earlier));
        BatchLoss loss = cfg.lossKind().create();
        int[] labels = queries.labels();
        BatchAugmenter views = new BatchAugmenter(SimClrAugmentation.of(StealConfig.REQUERY_STRENGTH, 0.2, 0.0));
        TrainingTask task = new TrainingTask() {
            private INDArray grad;

            @Override
            public List<Network> networks() {
                return List.of(stolen.trunk());
            }

            @Override
            public int size() {
                return queries.size();
            }

            @Override
            public double step(int[] idx, long seed) {
                float[] images = queries.batch(idx);
                INDArray target;
                if (bank == null) {
                    images = views.apply(images, idx.length, shape[0], shape[1], shape[2], seed);
                    target = attacker.query(images, idx.length, batches[0]++);
                } else {
                    target = Nd4j.pullRows(bank, 1, idx);
                }
                INDArray x = stolen.input(images, idx.length);
                INDArray out = stolen.trunk().forward(x, true);
                x.close();
                if (grad == null || grad.size(0) != idx.length) {
                    grad = out.ulike();
                }
                if (loss instanceof PairedContrastiveLoss p && p.usesLabels()) {
                    int[] l = new int[idx.length];
                    for (int i = 0; i < idx.length; i++) {
                        l[i] = labels[idx[i]];
                    }
                    p.setLabels(l);
                }
                INDArray t = target.castTo(out.dataType());
                double value = loss.evaluate(out, t, grad);
                stolen.trunk().backward(grad);
                // per-step arrays freed now: left to the collector they piled up off-heap between its rare visits
                if (t != target) {
                    t.close();
                }
                target.close();
                return value;
            }
        };
        TrainConfig tc = trainConfig(cfg);
        List<Double> losses = new ArrayList<>();
        Path ckpt = checkpointDir == null ? null : checkpointDir.resolve("trainer.ckpt");
        TrainEvent.Finished f = new Trainer(tc, task).run(e -> {
            if (e instanceof TrainEvent.EpochEnd end) {
                losses.add(end.meanLoss());
                if (cfg.requery() && checkpointDir != null) {
                    writeCountQuietly(checkpointDir, used(attacker, earlier));
                }
            }
            if (e instanceof TrainEvent.Finished && cfg.requery() && checkpointDir != null) {
                writeCountQuietly(checkpointDir, used(attacker, earlier));
            }
            listener.on(e);
        }, cancel, ckpt);
        if (bank != null) {
            bank.close();
        }
        // the training batch's buffers are done with; evaluation allocates its own
        stolen.trunk().releaseBuffers();
        return new Result(stolen, f, used(attacker, earlier), losses, attacker);
    }

    /** How the copy is trained: the loss's (or the overridden) optimiser, weight decay 1e-4, SGD momentum 0.9, cosine decay to 0. */
    public static TrainConfig trainConfig(StealConfig cfg) {
        String opt = cfg.effectiveOptimizer();
        return new TrainConfig(cfg.epochs(), cfg.effectiveBatchSize(), cfg.effectiveLearningRate(), 1e-4, opt,
                opt.equals("sgd") ? 0.9 : 0, 0, true, cfg.seed());
    }

    /** The stolen encoder's shape: the chosen architecture on the API's input and output, normalised with the queries' statistics. */
    public static EncoderSpec stolenSpec(StealConfig cfg, EncoderApi api, ImageDataset queryImages) {
        int[] shape = api.inputShape();
        ImageDataset queries = ImageAdapters.fit(queryImages, shape[0], shape[1], shape[2]);
        return new EncoderSpec(Architecture.of(cfg.architecture()).id(), shape[0], shape[1], shape[2], api.outputDim(), 0, 0, false,
                queries.normalization());
    }

    private static long used(Attacker attacker, long[] earlier) {
        return earlier[0] + attacker.answered();
    }

    /** The bank of answers: read from the checkpoint folder if a complete one is there, else queried (and kept there). */
    private static Attacker.Bank bank(Attacker attacker, EncoderApi api, ImageDataset queries, Cancellation cancel, Path dir, long[] earlier)
            throws IOException {
        // through defences the bank is asked for again on resume (deterministic: the defences are seeded), never reused
        Path file = dir == null || api.defended() ? null : dir.resolve("bank.bin");
        if (file != null && Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                INDArray b = NetworkState.readArray(in);
                if (b.size(0) == queries.size() && b.size(1) == api.outputDim()) {
                    earlier[0] = readCount(dir);
                    return new Attacker.Bank(java.util.stream.IntStream.range(0, queries.size()).toArray(), b, false);
                }
            }
        }
        Attacker.Bank b = attacker.queryBank(queries, QUERY_BATCH, cancel);
        // only a complete bank is kept: a resumed theft through a defence that refused some queries asks again
        if (file != null && b.complete(queries.size())) {
            Files.createDirectories(dir);
            DataFiles.writeAtomically(file, out -> NetworkState.writeArray(b.answers(), out));
            writeCount(dir, attacker.answered());
        }
        return b;
    }

    private static long readCount(Path dir) throws IOException {
        Path f = dir.resolve("queries.json");
        return Files.isRegularFile(f) ? ((Number) JSON.readValue(f.toFile(), Map.class).get("answered")).longValue() : 0;
    }

    private static void writeCount(Path dir, long answered) throws IOException {
        Files.createDirectories(dir);
        byte[] b = JSON.writeValueAsBytes(Map.of("answered", answered));
        DataFiles.writeAtomically(dir.resolve("queries.json"), out -> out.write(b));
    }

    private static void writeCountQuietly(Path dir, long answered) {
        try {
            writeCount(dir, answered);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
