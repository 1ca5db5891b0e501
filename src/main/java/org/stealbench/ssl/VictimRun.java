package org.stealbench.ssl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.stealbench.data.DatasetRegistry;
import org.stealbench.data.format.DataFiles;
import org.stealbench.model.EncoderIO;
import org.stealbench.model.train.Cancellation;
import org.stealbench.model.train.TrainListener;
import org.stealbench.model.train.TrainStatus;

/**
 * Trains a victim into a folder, the way both the CLI and the workbench do it: config.json first,
 * a checkpoint after every epoch (a second run with the same folder resumes), metrics.csv, then
 * victim.zip and provenance.json, each written atomically; the checkpoint goes when it is done.
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

    /**
     * @param command the command line (or "workbench") recorded in the provenance
     * @param hook    extra per-epoch work (printing, live charts); may be a no-op
     */
    public static Outcome run(SimClrConfig cfg, DatasetRegistry registry, Path out, String command, TrainListener listener,
                              Cancellation cancel, SimClrTrainer.EpochHook hook) throws IOException {
        Files.createDirectories(out);
        byte[] cfgJson = JSON.writeValueAsBytes(cfg);
        DataFiles.writeAtomically(out.resolve("config.json"), o -> o.write(cfgJson));
        StringBuilder csv = new StringBuilder("epoch,loss,seconds,images_per_second,learning_rate,watermark_train_accuracy\n");
        SimClrTrainer.Result r = SimClrTrainer.train(cfg, registry, listener, cancel, out.resolve(CHECKPOINT_FILE), (rec, enc) -> {
            csv.append(String.format(Locale.ROOT, "%d,%.5f,%.2f,%.1f,%.6g,%s%n", rec.epoch() + 1, rec.loss(), rec.seconds(),
                    rec.imagesPerSecond(), rec.learningRate(), Double.isNaN(rec.watermarkAccuracy()) ? ""
                            : String.format(Locale.ROOT, "%.4f", rec.watermarkAccuracy())));
            hook.after(rec, enc);
        });
        byte[] csvBytes = csv.toString().getBytes(StandardCharsets.UTF_8);
        DataFiles.writeAtomically(out.resolve("metrics.csv"), o -> o.write(csvBytes));
        if (r.finished().status() != TrainStatus.COMPLETED) {
            return new Outcome(r, null);
        }
        Map<String, Object> prov = new LinkedHashMap<>(r.provenance());
        prov.put("command", command);
        byte[] provJson = JSON.writeValueAsBytes(prov);
        Path file = out.resolve(ENCODER_FILE);
        EncoderIO.save(r.encoder(), prov, file);
        DataFiles.writeAtomically(out.resolve("provenance.json"), o -> o.write(provJson));
        Files.deleteIfExists(out.resolve(CHECKPOINT_FILE));
        return new Outcome(r, file);
    }
}
