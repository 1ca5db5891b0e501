package org.stealbench.experiment.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.stealbench.data.DatasetRegistry;
import org.stealbench.data.ImageDataset;
import org.stealbench.eval.EncoderEvaluation;
import org.stealbench.eval.Features;
import org.stealbench.eval.Fidelity;
import org.stealbench.eval.Metrics;
import org.stealbench.eval.WatermarkVerifier;
import org.stealbench.experiment.ExperimentConfig;
import org.stealbench.experiment.ExperimentResult;
import org.stealbench.experiment.ExperimentRunner;
import org.stealbench.experiment.Protocol;
import org.stealbench.experiment.VictimRun;
import org.stealbench.model.Encoder;
import org.stealbench.model.EncoderIO;
import org.stealbench.model.train.Cancellation;
import org.stealbench.model.train.TrainEvent;
import org.stealbench.ssl.SimClrConfig;

/**
 * Any victim, end to end (issue 13): victims trained on other data than the demo's (MNIST, and the
 * RGB shapes), each stolen with its own dataset and with Fashion-MNIST as stealing data and with
 * two losses; every figure measured on that victim's own images as its protocol assigns them,
 * with the roles' sizes beside the table.
 */
public final class AnyVictimBenchmark {

    /** A victim to train: its dataset, how many training images, epochs, and the two stealing datasets. */
    record Case(String dataset, int trainImages, int epochs, List<String> stealing) {
    }

    static final List<Case> CASES = List.of(
            new Case("mnist", 4000, 40, List.of("mnist", "fashion-mnist")),
            new Case("shapes", 4000, 40, List.of("shapes", "fashion-mnist")));
    static final List<String> LOSSES = List.of("mse", "infonce");
    /** Samples each copy trains on, as in the demo (2,000 queries x 32 epochs). */
    static final int SAMPLE_PASSES = 64_000;

    private AnyVictimBenchmark() {
    }

    /** @param work folder for the victims and the thefts' results (victims already there are reused) */
    public static String run(DatasetRegistry registry, Path work, Consumer<String> log) throws IOException {
        StringBuilder md = new StringBuilder("## Any victim: thefts measured on the victim's own data\n\n");
        md.append("Command: `scripts/stealbench bench --suite any-victim --work ").append(work).append("`. Machine: ")
                .append(BenchmarkReport.machine()).append(". Date: ").append(LocalDate.now()).append(".\n\n");
        md.append("Each victim: `scripts/stealbench train-victim --dataset D --train-images N --epochs E --out DIR` (small CNN, "
                + "watermarked, SimCLR's demo settings otherwise). Each copy: `scripts/stealbench steal --victim DIR/victim.zip "
                + "--dataset S --loss L --queries Q --epochs 64000/Q --tasks D`, Q a fifth of the victim's training images. Every "
                + "figure is on the victim's dataset D: linear probe and kNN on its probe splits, fidelity (mean cosine, with a random "
                + "encoder's floor), plug-in accuracy and agreement of the victim's own head, and the watermark on its held-out "
                + "images.\n\n");
        for (Case c : CASES) {
            Path dir = work.resolve("victim-" + c.dataset());
            Path file = dir.resolve(VictimRun.ENCODER_FILE);
            SimClrConfig cfg = SimClrConfig.demo().with(c.dataset(), c.trainImages(), c.epochs(), true);
            if (Files.isRegularFile(file)) {
                log.accept("reusing the victim in " + dir);
            } else {
                log.accept("training the " + c.dataset() + " victim (" + c.epochs() + " epochs) ...");
                VictimRun.Outcome o = VictimRun.run(cfg, registry, dir, "bench --suite any-victim", e -> { }, new Cancellation(),
                        (rec, enc) -> log.accept(String.format(Locale.ROOT, "  epoch %d: loss %.4f, %.1f s", rec.epoch() + 1, rec.loss(),
                                rec.seconds())));
                if (o.encoderFile() == null) {
                    throw new IOException("training the " + c.dataset() + " victim ended: " + o.result().finished().message());
                }
            }
            Protocol protocol = Protocol.forVictim(file, registry);
            EncoderIO.Saved victim = EncoderIO.load(file);
            ImageDataset heldOut = protocol.heldOut();
            Features cache = new Features();
            EncoderEvaluation.TaskResult own = EncoderEvaluation.evaluate(victim.encoder(), List.of(protocol.victimTask()), cache, 1).get(0);
            WatermarkVerifier.Result vw = WatermarkVerifier.verify(victim.encoder(), victim.encoder().watermark(), heldOut,
                    WatermarkVerifier.IMAGES, 7);
            INDArray victimHeld = cache.of(victim.encoder(), heldOut);
            Encoder random = new Encoder(victim.encoder().spec().withWatermark(false), 777);
            double floor = Fidelity.meanCosine(cache.of(random, heldOut), victimHeld);
            EncoderEvaluation.TaskResult rnd = EncoderEvaluation.evaluate(random, List.of(protocol.victimTask()), cache, 1).get(0);
            Map<String, Object> prov = victim.provenance();
            int queries = c.trainImages() / 5;
            md.append("### Victim on ").append(c.dataset()).append("\n\n");
            md.append(String.format(Locale.ROOT, "Trained on %,d %s training images for %s epochs in %s s. Queries per theft: %,d (a fifth "
                            + "of them), %d epochs each.%n%n", protocol.victim().trainIndices().length, protocol.victimDataset(),
                    prov.get("epochsCompleted"), prov.get("wallSeconds"), queries, SAMPLE_PASSES / queries));
            md.append("Roles of images (count per role and dataset; `results.json` of every run records the same):\n\n");
            md.append("| dataset | victim-train | honest-user | probe-train | attacker pool | probe-test | held-out |\n|---|---|---|---|---|---|---|\n");
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Integer>> roles = (Map<String, Map<String, Integer>>) protocol.describe(null, c.stealing()).get("roles");
            for (Map.Entry<String, Map<String, Integer>> r : roles.entrySet()) {
                Map<String, Integer> m = r.getValue();
                md.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %,d | %,d | %,d | %,d |%n", r.getKey(), m.get("victim-train"),
                        m.get("honest-user"), m.get("probe-train"), m.get("attacker-pool"), m.get("probe-test"), m.get("held-out")));
            }
            md.append("\n| encoder | stealing data | loss | linear | kNN | cosine (random floor) | plug-in acc / agreement | watermark | p-value |\n");
            md.append("|---|---|---|---|---|---|---|---|---|\n");
            md.append(String.format(Locale.ROOT, "| victim | - | - | %.1f | %.1f | 1.000 (%.3f) | - | %.1f%% | %s |%n", 100 * own.linear(),
                    100 * own.knn(), floor, 100 * vw.accuracy(), Metrics.formatP(vw.pValue())));
            md.append(String.format(Locale.ROOT, "| random init | - | - | %.1f | %.1f | %.3f | - | - | - |%n", 100 * rnd.linear(), 100 * rnd.knn(),
                    floor));
            for (String stealing : c.stealing()) {
                for (String loss : LOSSES) {
                    ExperimentConfig ec = new ExperimentConfig(ExperimentConfig.SCHEMA, file.toString(), stealing, queries, loss, "small-cnn",
                            SAMPLE_PASSES / queries, false, List.of(c.dataset()), List.of(), 1);
                    log.accept("stealing the " + c.dataset() + " victim with " + loss + " and " + stealing + " queries ...");
                    ExperimentResult r = ExperimentRunner.run(ec, registry, e -> {
                        if (e instanceof org.stealbench.experiment.ExperimentEvent.Training t && t.event() instanceof TrainEvent.Finished f) {
                            log.accept("  trained: " + f.message() + String.format(Locale.ROOT, " in %.0f s", f.seconds()));
                        }
                    }, new Cancellation(), work.resolve("results"));
                    if (!r.completed()) {
                        throw new IOException("the theft " + ec.label() + " ended: " + r.message());
                    }
                    EncoderEvaluation.TaskResult t = r.task(c.dataset());
                    String line = String.format(Locale.ROOT, "| stolen copy | %s | %s | %.1f | %.1f | %.3f (%.3f) | %.1f / %.1f | %.1f%% | %s |",
                            stealing, loss, 100 * t.linear(), 100 * t.knn(), r.cosine(), r.cosineFloor(), 100 * r.plugInAccuracy(),
                            100 * r.plugInAgreement(), 100 * r.watermarkAccuracy(), Metrics.formatP(r.watermarkP()));
                    log.accept(line);
                    md.append(line).append('\n');
                }
            }
            md.append('\n');
        }
        return md.toString();
    }
}
