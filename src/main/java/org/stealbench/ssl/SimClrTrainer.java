package org.stealbench.ssl;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stealbench.data.DatasetRegistry;
import org.stealbench.data.DatasetSplits;
import org.stealbench.data.ImageDataset;
import org.stealbench.data.Roles;
import org.stealbench.data.transform.BatchAugmenter;
import org.stealbench.data.transform.ImageAdapters;
import org.stealbench.data.transform.SimClrAugmentation;
import org.stealbench.model.Architecture;
import org.stealbench.model.Encoder;
import org.stealbench.model.EncoderSpec;
import org.stealbench.model.NativeBackend;
import org.stealbench.model.train.Cancellation;
import org.stealbench.model.train.TrainConfig;
import org.stealbench.model.train.TrainEvent;
import org.stealbench.model.train.TrainListener;
import org.stealbench.model.train.Trainer;

/** Trains a victim encoder with SimCLR (and optionally the rotation watermark), with its cost. */
public final class SimClrTrainer {

    private SimClrTrainer() {
    }

    /** One epoch's figures. watermarkAccuracy is the MLP's training accuracy (NaN without a watermark). */
    public record EpochRecord(int epoch, double loss, double seconds, double imagesPerSecond, double learningRate,
                              double watermarkAccuracy) {
    }

    /** The trained encoder, how the run ended, its history and provenance (including cost). */
    public record Result(Encoder encoder, TrainEvent.Finished finished, List<EpochRecord> history, Map<String, Object> provenance) {
    }

    /** Called after every epoch with the encoder as it stands (e.g. to evaluate it); on the training thread. */
    @FunctionalInterface
    public interface EpochHook {
        void after(EpochRecord record, Encoder encoder);
    }

    /** Which training images the victim learns from: a class-balanced draw of {@code trainImages} (all if fewer), seeded. */
    public static int[] trainingIndices(SimClrConfig cfg, DatasetRegistry registry) {
        return Roles.victimTraining(registry.load(cfg.dataset()).train().labels(), cfg.trainImages(), cfg.seed());
    }

    /** The training images at {@code indices}, adapted to the input size. */
    static ImageDataset trainingImages(SimClrConfig cfg, DatasetRegistry registry, int[] indices) {
        DatasetSplits splits = registry.load(cfg.dataset());
        ImageDataset subset = splits.train().select(indices);
        return ImageAdapters.fit(subset, subset.channels(), cfg.imageSize(), cfg.imageSize());
    }

    public static Result train(SimClrConfig cfg, DatasetRegistry registry, TrainListener listener, Cancellation cancel,
                               Path checkpoint, EpochHook hook) {
        int[] indices = trainingIndices(cfg, registry);
        ImageDataset data = trainingImages(cfg, registry, indices);
        Architecture arch = Architecture.of(cfg.architecture());
        EncoderSpec spec = EncoderSpec.of(arch, data.channels(), data.height(), data.width(), data.normalization())
                .withWatermark(cfg.watermark());
        Encoder encoder = new Encoder(spec, cfg.seed());
        SimClrTask task = new SimClrTask(encoder, data, cfg,
                new BatchAugmenter(SimClrAugmentation.of(cfg.augmentationStrength(), cfg.cropScaleMin(), cfg.blurProbability())));
        TrainConfig tc = new TrainConfig(cfg.epochs(), cfg.batchSize(), cfg.learningRate(), cfg.weightDecay(), "adam", 0,
                Math.min(cfg.warmupEpochs(), Math.max(0, cfg.epochs() - 1)), true, cfg.seed());
        List<EpochRecord> history = new ArrayList<>();
        Instant started = Instant.now();
        TrainEvent.Finished finished = new Trainer(tc, task).run(event -> {
            if (event instanceof TrainEvent.EpochEnd e) {
                EpochRecord r = new EpochRecord(e.epoch(), e.meanLoss(), e.seconds(), e.imagesPerSecond(), e.learningRate(),
                        task.takeWatermarkAccuracy());
                history.add(r);
                if (hook != null) {
                    hook.after(r, encoder);
                }
            }
            listener.on(event);
        }, cancel, checkpoint);
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("kind", "victim (SimCLR" + (cfg.watermark() ? " + rotation watermark" : "") + ")");
        prov.put("config", cfg);
        prov.put("dataset", cfg.dataset());
        // what the protocol reads back to keep every other role off the victim's images
        prov.put("datasetSpec", registry.pinned(cfg.dataset()));
        prov.put("datasetLocation", data.origin());
        prov.put("trainImages", data.size());
        prov.put("trainIndices", indices);
        prov.put("status", finished.status().name());
        prov.put("epochsCompleted", finished.epochsCompleted());
        prov.put("wallSeconds", Math.round(finished.seconds() * 10) / 10.0);
        prov.put("examplesProcessed", finished.examplesProcessed());
        prov.put("imagesThroughEncoder", task.imagesProcessed);
        prov.put("backend", NativeBackend.describe());
        prov.put("java", System.getProperty("java.version"));
        prov.put("started", started.toString());
        prov.put("finished", Instant.now().toString());
        NativeBackend.releaseMemory();
        return new Result(encoder, finished, history, prov);
    }
}
