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
    private static final String CLIENT = "attacker";
    private static final ObjectMapper JSON = new ObjectMapper();

    private StealingTrainer() {
    }

    /** The stolen encoder, how training ended, and the queries the API answered (earlier sessions of a resumed theft included). */
    public record Result(Encoder stolen, TrainEvent.Finished finished, long queriesUsed, List<Double> epochLoss) {
    }

    /** Queries the API for every image of {@code queries} (already in its input shape), as one bank. */
    public static INDArray queryBank(EncoderApi api, String client, ImageDataset queries, Cancellation cancel) {
        INDArray bank = Nd4j.create(org.stealbench.model.nn.Precision.type(), queries.size(), api.outputDim());
        for (int from = 0; from < queries.size(); from += QUERY_BATCH) {
            if (cancel.isCancelled()) {
                return bank.get(NDArrayIndex.interval(0, from), NDArrayIndex.all());
            }
            int to = Math.min(queries.size(), from + QUERY_BATCH);
            bank.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).assign(api.query(client, queries.batch(from, to), to - from));
        }
        return bank;
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
        ImageDataset queries = ImageAdapters.fit(queryImages, shape[0], shape[1], shape[2]);
        long[] earlier = {0};
        INDArray bank;
        try {
            bank = cfg.requery() ? null : bank(api, queries, cancel, checkpointDir, earlier);
            if (cfg.requery() && checkpointDir != null) {
                earlier[0] = readCount(checkpointDir);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot use the checkpoint folder " + checkpointDir + ": " + e.getMessage(), e);
        }
        if (bank != null && bank.size(0) < queries.size()) {
            TrainEvent.Finished f = new TrainEvent.Finished(TrainStatus.CANCELLED, 0, 0, 0, "cancelled while querying the API");
            listener.on(f);
            return new Result(null, f, used(api, earlier), List.of());
        }
        Encoder stolen = new Encoder(stolenSpec(cfg, api, queries), cfg.seed());
        onStart.accept(stolen, () -> used(api, earlier));
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
                    target = api.query(CLIENT, images, idx.length);
                } else {
                    target = Nd4j.pullRows(bank, 1, idx);
                }
                INDArray out = stolen.trunk().forward(stolen.input(images, idx.length), true);
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
                double value = loss.evaluate(out, target.castTo(out.dataType()), grad);
                stolen.trunk().backward(grad);
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
                    writeCountQuietly(checkpointDir, used(api, earlier));
                }
            }
            if (e instanceof TrainEvent.Finished && cfg.requery() && checkpointDir != null) {
                writeCountQuietly(checkpointDir, used(api, earlier));
            }
            listener.on(e);
        }, cancel, ckpt);
        return new Result(stolen, f, used(api, earlier), losses);
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

    private static long used(EncoderApi api, long[] earlier) {
        return earlier[0] + api.account(CLIENT).answered();
    }

    /** The bank of answers: read from the checkpoint folder if a complete one is there, else queried (and kept there). */
    private static INDArray bank(EncoderApi api, ImageDataset queries, Cancellation cancel, Path dir, long[] earlier) throws IOException {
        Path file = dir == null ? null : dir.resolve("bank.bin");
        if (file != null && Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                INDArray b = NetworkState.readArray(in);
                if (b.size(0) == queries.size() && b.size(1) == api.outputDim()) {
                    earlier[0] = readCount(dir);
                    return b;
                }
            }
        }
        INDArray b = queryBank(api, CLIENT, queries, cancel);
        if (file != null && b.size(0) == queries.size()) {
            Files.createDirectories(dir);
            DataFiles.writeAtomically(file, out -> NetworkState.writeArray(b, out));
            writeCount(dir, api.account(CLIENT).answered());
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
