package org.stealbench.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.stealbench.data.DatasetRegistry;
import org.stealbench.data.ImageDataset;
import org.stealbench.model.Dl4jEncoder;
import org.stealbench.model.Dl4jModels;

/**
 * A DL4J or Keras model made a victim: the model wrapped ({@link Dl4jModels#importModel}) with the
 * record the protocol needs, what it was trained on. A model from elsewhere does not carry that, so
 * the user says it: a dataset StealBench knows, and which of its training images (all of them when
 * not known: the safe assumption, since then no training image is taken for unseen; docs/protocol.md).
 * Held-out images come from the dataset's test split, which the model must not have been trained on.
 */
public final class VictimImport {

    private VictimImport() {
    }

    /**
     * @param trainedOn    the dataset id the model learnt from (a registry spec: {@code fashion-mnist}, {@code cifar10@user}, a folder)
     * @param trainIndices {@code all} (default: the whole training split), {@code first:N}, or a text file of indices (one per line,
     *                     or separated by commas or spaces)
     * @param input        the model's input; a null shape takes the dataset's image shape
     */
    public record Request(Path model, String trainedOn, String trainIndices, Dl4jEncoder.Layout layout, String layer, double pixelScale,
                          int[] inputShape) {
    }

    /** What was written. */
    public record Outcome(Dl4jModels.Imported model, Protocol.VictimData victimData, int trainImages) {

        /** One line for a terminal or a status bar. */
        public String summary(Path out) {
            Dl4jEncoder.Input in = model.input();
            return String.format(Locale.ROOT, "%s: a %s %s, %dx%dx%d images (%s%s) -> %d-d representation; trained on %s (%,d training "
                            + "images: %s)", out, model.format().equals("keras") ? "Keras" : "DL4J", model.type(), in.channels(), in.height(),
                    in.width(), in.layout().id(), in.layer() == null ? "" : ", layer " + in.layer(), model.repDim(), victimData.dataset(),
                    trainImages, victimData.wholeSplit() ? "the whole split, as said" : "the indices given");
        }
    }

    public static Outcome run(Request r, DatasetRegistry registry, Path out) throws IOException {
        if (!Files.isRegularFile(r.model())) {
            throw new IllegalArgumentException(r.model() + ": no such model file");
        }
        String pinned = registry.pinned(r.trainedOn());
        ImageDataset train = registry.load(pinned).train();
        String spec = r.trainIndices() == null ? Protocol.VictimData.ALL : r.trainIndices().trim();
        int[] indices = indices(spec, train.size());
        Protocol.VictimData vd = indices == null ? new Protocol.VictimData(pinned, new int[0], "imported: the whole training split", true)
                : new Protocol.VictimData(pinned, indices, "imported: indices given");
        // the layout of the victim's dataset checks the indices and that a probe and held-out images remain
        Protocol protocol = new Protocol(vd, registry);
        protocol.victimTask();
        protocol.heldOut();
        int[] shape = r.inputShape() != null ? r.inputShape() : new int[] {train.channels(), train.height(), train.width()};
        Dl4jEncoder.Input input = new Dl4jEncoder.Input(shape[0], shape[1], shape[2], r.layout(), r.layer(), r.pixelScale());
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("kind", "imported");
        prov.put("dataset", r.trainedOn());
        prov.put("datasetSpec", pinned);
        prov.put("trainIndices", indices == null ? Protocol.VictimData.ALL : indices);
        prov.put("trainImages", indices == null ? train.size() : indices.length);
        prov.put("importedAt", Instant.now().toString());
        Dl4jModels.Imported m = Dl4jModels.importModel(r.model(), input, prov, out);
        return new Outcome(m, vd, protocol.victim().trainIndices().length);
    }

    /** CxHxW as three positive numbers ({@code 1x32x32}, spaces allowed), or null for an empty or null text. */
    public static int[] shape(String text) {
        String s = text == null ? "" : text.trim();
        if (s.isEmpty()) {
            return null;
        }
        try {
            int[] dims = java.util.Arrays.stream(s.toLowerCase(Locale.ROOT).split("x")).map(String::trim).mapToInt(Integer::parseInt)
                    .toArray();
            if (dims.length == 3 && dims[0] > 0 && dims[1] > 0 && dims[2] > 0) {
                return dims;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("the input shape is CxHxW with positive numbers, e.g. 1x32x32, not '" + s + "'");
    }

    /** The indices a spec names, or null for the whole split. */
    static int[] indices(String spec, int trainSize) throws IOException {
        if (spec.equalsIgnoreCase(Protocol.VictimData.ALL)) {
            return null;
        }
        if (spec.startsWith("first:")) {
            int n;
            try {
                n = Integer.parseInt(spec.substring(6).replace(",", "").replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("training indices " + spec + ": first:N with a number N");
            }
            if (n < 1 || n > trainSize) {
                throw new IllegalArgumentException("training indices " + spec + ": the training split has " + trainSize + " images");
            }
            return n == trainSize ? null : IntStream.range(0, n).toArray();
        }
        Path file = Path.of(spec);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("training indices " + spec + ": 'all', 'first:N' or a file of indices");
        }
        String[] parts = Files.readString(file).trim().split("[\\s,]+");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + ": '" + parts[i] + "' is not an index");
            }
        }
        int[] sorted = out.clone();
        java.util.Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                throw new IllegalArgumentException(file + ": index " + sorted[i] + " is listed twice");
            }
        }
        return sorted.length == trainSize ? null : sorted;
    }
}
