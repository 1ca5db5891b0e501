package org.stealbench.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.csv.CSVPrinter;
import org.stealbench.data.DatasetRegistry;
import org.stealbench.data.format.DataFiles;
import org.stealbench.model.EncoderIO;
import org.stealbench.model.train.Cancellation;
import org.stealbench.model.train.TrainListener;
import org.stealbench.model.train.TrainStatus;
import org.stealbench.ssl.SimClrConfig;
import org.stealbench.ssl.SimClrTrainer;

/**
 * Trains a victim into a results folder, the way both the CLI and the workbench do it. While it
 * trains, its per-epoch checkpoint lives in {@code .checkpoints/victim-<hash of the config>} beside
 * the target folder (running the same configuration again resumes from it); when it completes,
 * victim.zip, config.json, provenance.json, results.json and metrics.csv are written through
 * {@link ResultsFolder} as one folder, and the checkpoint goes.
 */
public final class VictimRun {

    public static final String ENCODER_FILE = "victim.zip";
    public static final String CHECKPOINT_FILE = "checkpoint.zip";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private VictimRun() {
    }

    /** How it ended, and the encoder file if it completed. */
    public record Outcome(SimClrTrainer.Result result, Path encoderFile) {
    }

    /** A victim training's results.json: its configuration, provenance and epochs. */
    public record VictimRecord(int schema, SimClrConfig config, RunProvenance provenance, Map<String, Object> training,
                               List<SimClrTrainer.EpochRecord> epochs) {
    }

    /** Where an unfinished training of {@code cfg} into {@code out} keeps its checkpoint. */
    public static Path checkpointDir(SimClrConfig cfg, Path out) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(JSON.writeValueAsBytes(cfg));
            Path parent = out.toAbsolutePath().normalize().getParent();
            return parent.resolve(ExperimentRunner.CHECKPOINTS).resolve("victim-" + HexFormat.of().formatHex(md.digest(), 0, 8));
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param out     the folder to create (must not exist, or be empty)
     * @param command the command line (or "workbench") recorded in the provenance
     * @param hook    extra per-epoch work (printing, live charts); may be a no-op
     */
    public static Outcome run(SimClrConfig cfg, DatasetRegistry registry, Path out, String command, TrainListener listener,
                              Cancellation cancel, SimClrTrainer.EpochHook hook) throws IOException {
        Path target = out.toAbsolutePath().normalize();
        if (Files.isRegularFile(target.resolve(ENCODER_FILE))) {
            throw new IOException(target + " already holds a trained victim; choose another --out");
        }
        ResultsFolder.removeStale(target.getParent());
        Path ckpt = checkpointDir(cfg, target);
        Files.createDirectories(ckpt);
        try (RunLog log = RunLog.open(ckpt.resolve(ExperimentRunner.RUN_LOG))) {
            LOG.info("victim training {} into {}", JSON.writeValueAsString(cfg), target);
            try {
                return train(cfg, registry, target, ckpt, command, listener, cancel, hook, log);
            } catch (IOException | RuntimeException e) {
                LOG.error("victim training failed", e);
                throw new IllegalStateException(e.getMessage() + " (details in " + log.file() + ")", e);
            }
        }
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(VictimRun.class);

    private static Outcome train(SimClrConfig cfg, DatasetRegistry registry, Path target, Path ckpt, String command, TrainListener listener,
                                 Cancellation cancel, SimClrTrainer.EpochHook hook, RunLog log) throws IOException {
        RunProvenance.Recorder clock = new RunProvenance.Recorder("victim training", command, cfg.seed(), cfg.seed());
        clock.phase("training");
        // every epoch once, also across a resume: kept beside the checkpoint, written before it
        Path historyFile = ckpt.resolve(ExperimentRunner.HISTORY);
        TreeMap<Integer, SimClrTrainer.EpochRecord> history = new TreeMap<>();
        if (Files.isRegularFile(historyFile)) {
            for (SimClrTrainer.EpochRecord e : JSON.readValue(historyFile.toFile(), SimClrTrainer.EpochRecord[].class)) {
                history.put(e.epoch(), e);
            }
        }
        SimClrTrainer.Result r = SimClrTrainer.train(cfg, registry, listener, cancel, ckpt.resolve(CHECKPOINT_FILE), (rec, enc) -> {
            history.put(rec.epoch(), rec);
            LOG.info(String.format(Locale.ROOT, "epoch %d: loss %.5f, %.1f s", rec.epoch() + 1, rec.loss(), rec.seconds()));
            try {
                byte[] b = JSON.writeValueAsBytes(history.values());
                DataFiles.writeAtomically(historyFile, o -> o.write(b));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            hook.after(rec, enc);
        });
        if (r.finished().status() != TrainStatus.COMPLETED) {
            LOG.info("training {}: {}", r.finished().status().name().toLowerCase(Locale.ROOT), r.finished().message());
            if (r.finished().status() == TrainStatus.FAILED) {
                // a failed run cannot resume; its log stays for reading
                Files.deleteIfExists(ckpt.resolve(CHECKPOINT_FILE));
                Files.deleteIfExists(historyFile);
            }
            return new Outcome(r, null);
        }
        clock.phase("writing");
        Map<String, Object> prov = new LinkedHashMap<>(r.provenance());
        prov.put("command", command);
        RunProvenance run = clock.finish(0, 0, ((Number) r.provenance().getOrDefault("imagesThroughEncoder", 0L)).longValue());
        // the record without the index list, which the encoder's provenance keeps
        Map<String, Object> training = new LinkedHashMap<>(prov);
        training.remove("trainIndices");
        training.remove("config");
        VictimRecord record = new VictimRecord(1, cfg, run, training, List.copyOf(history.values()));
        Map<String, DataFiles.Writer> files = new LinkedHashMap<>();
        files.put(ENCODER_FILE, o -> EncoderIO.write(r.encoder(), prov, o));
        files.put("config.json", o -> o.write(JSON.writeValueAsBytes(cfg)));
        files.put("provenance.json", o -> o.write(JSON.writeValueAsBytes(training)));
        files.put(TheftRecord.FILE, o -> o.write(JSON.writeValueAsBytes(record)));
        String csv = metricsCsv(List.copyOf(history.values()));
        files.put("metrics.csv", o -> o.write(csv.getBytes(StandardCharsets.UTF_8)));
        LOG.info("writing {}", target);
        byte[] runLog = log.contents();
        files.put(ExperimentRunner.RUN_LOG, o -> o.write(runLog));
        Path folder = ResultsFolder.createAt(target, files);
        ExperimentRunner.deleteTree(ckpt);
        return new Outcome(r, folder.resolve(ENCODER_FILE));
    }

    static String metricsCsv(List<SimClrTrainer.EpochRecord> history) throws IOException {
        StringWriter w = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(w, ResultSummary.CSV)) {
            p.printRecord("epoch", "loss", "seconds", "images_per_second", "learning_rate", "watermark_train_accuracy");
            for (SimClrTrainer.EpochRecord rec : history) {
                p.printRecord(rec.epoch() + 1, String.format(Locale.ROOT, "%.5f", rec.loss()), String.format(Locale.ROOT, "%.2f", rec.seconds()),
                        String.format(Locale.ROOT, "%.1f", rec.imagesPerSecond()), String.format(Locale.ROOT, "%.6g", rec.learningRate()),
                        Double.isNaN(rec.watermarkAccuracy()) ? "" : String.format(Locale.ROOT, "%.4f", rec.watermarkAccuracy()));
            }
        }
        return w.toString();
    }

}
