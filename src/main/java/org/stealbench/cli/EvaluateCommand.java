package org.stealbench.cli;

import org.stealbench.eval.Metrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.stealbench.data.DatasetRegistry;
import org.stealbench.data.format.DataFiles;
import org.stealbench.eval.DownstreamTask;
import org.stealbench.experiment.Protocol;
import org.stealbench.eval.EncoderEvaluation;
import org.stealbench.eval.Features;
import org.stealbench.eval.Fidelity;
import org.stealbench.eval.WatermarkVerifier;
import org.stealbench.model.Architecture;
import org.stealbench.model.Encoder;
import org.stealbench.model.EncoderIO;
import org.stealbench.model.EncoderSpec;
import org.stealbench.model.ImageEncoder;
import org.stealbench.model.nn.Network;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Downstream accuracy (linear probe, kNN) and watermark verification of an encoder. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Linear-probe and kNN accuracy of a saved encoder on downstream tasks (probe data disjoint from the "
                + "victim's), and rotation-watermark verification with a binomial test. Prints a Markdown table.")
final class EvaluateCommand implements Callable<Integer> {

    @ParentCommand
    StealBenchCommand top;

    @Spec
    CommandSpec spec;

    @Option(names = "--encoder", required = true, paramLabel = "FILE", description = "A saved encoder (e.g. OUT/victim.zip).")
    Path encoder;

    @Option(names = "--tasks", split = ",",
            description = "Downstream datasets (default: the victim's own dataset, then fashion-mnist, mnist, digits).")
    List<String> tasks;

    @Option(names = "--baselines", description = "Also evaluate a randomly initialised encoder of the same architecture and raw pixels.")
    boolean baselines;

    @Option(names = "--watermark-of", paramLabel = "VICTIM", description = "Verify the watermark of this victim in the encoder "
            + "(default: the encoder's own watermark MLP, if it has one).")
    Path watermarkOf;

    @Option(names = "--fidelity-to", paramLabel = "VICTIM", description = "Also measure fidelity to this encoder on the victim's "
            + "held-out images: mean cosine similarity and linear CKA (dimensions must match for the cosine).")
    Path fidelityTo;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the table to this Markdown file.")
    Path out;

    @Override
    public Integer call() throws Exception {
        DatasetRegistry registry = top.registry();
        EncoderIO.Opened saved = EncoderIO.open(encoder);
        Map<String, ImageEncoder> encoders = new LinkedHashMap<>();
        encoders.put(encoder.getFileName().toString(), saved.encoder());
        if (baselines) {
            ImageEncoder s = saved.encoder();
            // a random encoder of the same kind; for an imported DL4J model, the small CNN with its shapes
            EncoderSpec random = s instanceof Encoder own ? own.spec().withWatermark(false)
                    : new EncoderSpec(Architecture.SMALL_CNN.id(), s.channels(), s.height(), s.width(), s.repDim(), 0, 0, false, null);
            encoders.put("random init", new Encoder(random, seed + 1000));
        }
        Network mlp = watermarkOf != null ? EncoderIO.open(watermarkOf).encoder().watermark() : saved.encoder().watermark();
        if (watermarkOf != null && mlp == null) {
            throw new IllegalArgumentException(watermarkOf + " has no watermark MLP");
        }
        // whose images are whose: the victim named by --watermark-of or --fidelity-to, else what the encoder says it was
        // trained on (a victim's own record, or a stolen copy's record of its victim)
        Path victimFile = watermarkOf != null ? watermarkOf : fidelityTo;
        Protocol.VictimData vd = Protocol.VictimData.fromProvenance(victimFile != null ? EncoderIO.readProvenance(victimFile) : saved.provenance());
        Protocol protocol = vd != null ? new Protocol(vd, registry) : Protocol.withoutVictim(registry);
        if (vd == null && (mlp != null || fidelityTo != null)) {
            throw new IllegalArgumentException((victimFile != null ? victimFile : encoder)
                    + " does not record which images it was trained on, so its held-out images cannot be chosen");
        }
        if (tasks == null || tasks.isEmpty()) {
            tasks = protocol.defaultTasks().stream().filter(t -> registry.find(t).isPresent()).toList();
        }
        List<DownstreamTask> probes = protocol.tasks(tasks);
        Features cache = new Features();
        StringBuilder md = new StringBuilder("| encoder |");
        StringBuilder rule = new StringBuilder("|---|");
        for (String t : tasks) {
            md.append(' ').append(t).append(" linear | ").append(t).append(" kNN |");
            rule.append("---|---|");
        }
        if (mlp != null) {
            md.append(" watermark acc | p-value |");
            rule.append("---|---|");
        }
        ImageEncoder reference = fidelityTo != null ? EncoderIO.open(fidelityTo).encoder() : null;
        if (reference != null) {
            md.append(" cosine to reference | linear CKA |");
            rule.append("---|---|");
        }
        md.append('\n').append(rule).append('\n');
        var o = spec.commandLine().getOut();
        var heldOut = mlp != null || reference != null ? protocol.heldOut() : null;
        if (vd != null) {
            o.println("victim's data: " + vd.dataset() + " (" + protocol.victim().trainIndices().length + " training images; " + vd.source() + ")"
                    + (heldOut != null ? ", held-out images: " + heldOut.size() : ""));
        }
        for (Map.Entry<String, ImageEncoder> e : encoders.entrySet()) {
            md.append(row(e.getKey(), EncoderEvaluation.evaluate(e.getValue(), probes, cache, seed)));
            if (mlp != null) {
                WatermarkVerifier.Result w = WatermarkVerifier.verify(e.getValue(), mlp, heldOut, WatermarkVerifier.IMAGES, seed);
                md.append(String.format(Locale.ROOT, " %.1f | %s |", 100 * w.accuracy(),
                        Metrics.formatP(w.pValue())));
            }
            if (reference != null) {
                var mine = cache.of(e.getValue(), heldOut);
                var theirs = cache.of(reference, heldOut);
                String cos = mine.size(1) == theirs.size(1) ? String.format(Locale.ROOT, "%.3f", Fidelity.meanCosine(mine, theirs)) : "-";
                md.append(String.format(Locale.ROOT, " %s | %.3f |", cos, Fidelity.linearCka(mine, theirs)));
            }
            md.append('\n');
            o.print(md.substring(md.lastIndexOf("\n", md.length() - 2) + 1));
            o.flush();
        }
        if (baselines) {
            md.append(row("raw pixels", EncoderEvaluation.evaluate(null, probes, cache, seed)));
            if (mlp != null) {
                md.append(" - | - |");
            }
            if (reference != null) {
                md.append(" - | - |");
            }
            md.append('\n');
        }
        String table = md.toString();
        o.println();
        o.println(table);
        if (out != null) {
            byte[] bytes = table.getBytes(StandardCharsets.UTF_8);
            DataFiles.writeAtomically(out, os -> os.write(bytes));
        }
        return 0;
    }

    private static String row(String name, List<EncoderEvaluation.TaskResult> results) {
        List<String> cells = new ArrayList<>();
        for (EncoderEvaluation.TaskResult r : results) {
            cells.add(String.format(Locale.ROOT, "%.1f", 100 * r.linear()));
            cells.add(String.format(Locale.ROOT, "%.1f", 100 * r.knn()));
        }
        return "| " + name + " | " + String.join(" | ", cells) + " |";
    }
}
