package org.stealbench.attack;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.stealbench.api.EncoderApi;
import org.stealbench.data.ImageDataset;
import org.stealbench.data.transform.ImageAdapters;
import org.stealbench.model.Architecture;
import org.stealbench.model.Encoder;
import org.stealbench.model.EncoderSpec;
import org.stealbench.model.nn.Network;
import org.stealbench.model.train.BatchLoss;
import org.stealbench.model.train.Cancellation;
import org.stealbench.model.train.TrainConfig;
import org.stealbench.model.train.TrainEvent;
import org.stealbench.model.train.TrainListener;
import org.stealbench.model.train.Trainer;
import org.stealbench.model.train.TrainingTask;

/**
 * Steals an encoder through its API: the query images (adapted to the API's input shape) are sent
 * once, in batches, and the answers kept as a bank; a fresh encoder of the chosen architecture is
 * then trained so its outputs match the bank under the chosen loss. The stolen encoder normalises
 * its inputs with the query set's own statistics: the attacker never sees the victim's.
 */
public final class StealingTrainer {

    static final int QUERY_BATCH = 250;

    private StealingTrainer() {
    }

    /** The stolen encoder, how training ended, and the queries the API answered. */
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
        int[] shape = api.inputShape();
        ImageDataset queries = ImageAdapters.fit(queryImages, shape[0], shape[1], shape[2]);
        String client = "attacker";
        INDArray bank = queryBank(api, client, queries, cancel);
        long used = api.account(client).answered();
        Architecture arch = Architecture.of(cfg.architecture());
        int rep = api.outputDim();
        EncoderSpec spec = new EncoderSpec(arch.id(), shape[0], shape[1], shape[2], rep, 0, 0, false, queries.normalization());
        Encoder stolen = new Encoder(spec, cfg.seed());
        BatchLoss loss = cfg.lossKind().create();
        int[] labels = queries.labels();
        TrainingTask task = new TrainingTask() {
            private INDArray grad;

            @Override
            public List<Network> networks() {
                return List.of(stolen.trunk());
            }

            @Override
            public int size() {
                return (int) bank.size(0);
            }

            @Override
            public double step(int[] idx, long seed) {
                INDArray out = stolen.trunk().forward(stolen.input(queries.batch(idx), idx.length), true);
                INDArray target = Nd4j.pullRows(bank, 1, idx);
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
                double value = loss.evaluate(out, target, grad);
                stolen.trunk().backward(grad);
                return value;
            }
        };
        String opt = cfg.lossKind().defaultOptimizer();
        TrainConfig tc = new TrainConfig(cfg.epochs(), cfg.effectiveBatchSize(), cfg.effectiveLearningRate(), 1e-4, opt,
                opt.equals("sgd") ? 0.9 : 0, 0, true, cfg.seed());
        List<Double> losses = new ArrayList<>();
        TrainEvent.Finished f = new Trainer(tc, task).run(e -> {
            if (e instanceof TrainEvent.EpochEnd end) {
                losses.add(end.meanLoss());
            }
            listener.on(e);
        }, cancel, null);
        return new Result(stolen, f, used, losses);
    }
}
