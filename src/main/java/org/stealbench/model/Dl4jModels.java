package org.stealbench.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.modelimport.keras.KerasModel;
import org.deeplearning4j.nn.modelimport.keras.utils.KerasModelBuilder;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.dataset.api.preprocessor.Normalizer;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;
import org.stealbench.data.Normalization;
import org.stealbench.model.nn.Dl4jExport;

/**
 * Encoders as DL4J models: {@link #export} writes an encoder's trunk (the representation) as a
 * {@link MultiLayerNetwork} with DL4J's {@link ModelSerializer}, with its input normalisation as a
 * {@link NormalizerStandardize} (per channel) in the same file, so a DL4J user does as usual:
 * {@code restoreMultiLayerNetwork(file)}, {@code restoreNormalizerFromFile(file).transform(x)},
 * {@code output(x)} on NCHW images in [0, 1].
 *
 * <p>And DL4J models as victims: {@link #importModel} takes a DL4J model file (a
 * MultiLayerNetwork or ComputationGraph written by ModelSerializer, with or without a normaliser)
 * or a Keras HDF5 file (through DL4J's Keras import, Sequential or functional), tries it on images
 * of the declared shape and writes an encoder file that carries the model's bytes untouched, how
 * images reach it ({@link Dl4jEncoder.Input}) and the caller's provenance (what it was trained on);
 * {@link EncoderIO#open} reads it back as a {@link Dl4jEncoder}.
 */
public final class Dl4jModels {

    private Dl4jModels() {
    }

    /** A DL4J model file and its normaliser, read back. */
    public record Loaded(MultiLayerNetwork network, NormalizerStandardize normalizer) {
    }

    /** Writes {@code encoder}'s trunk to {@code out} (a DL4J model zip), atomically. */
    public static void export(Encoder encoder, Path out) throws IOException {
        MultiLayerNetwork net = Dl4jExport.toMultiLayer(encoder.trunk());
        Path parent = out.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, ".dl4j-", ".zip");
        try {
            Normalization n = encoder.spec().normalization();
            NormalizerStandardize norm = null;
            if (n != null) {
                norm = new NormalizerStandardize(Nd4j.create(n.mean()).reshape(1, n.mean().length),
                        Nd4j.create(n.std()).reshape(1, n.std().length));
            }
            ModelSerializer.writeModel(net, tmp.toFile(), false);
            if (norm != null) {
                // writeModel(..., normalizer) fails in M2.1 ("stream is closed"); adding it to the written file works
                ModelSerializer.addNormalizerToModel(tmp.toFile(), norm);
            }
            try {
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the temporary file's permissions stay
            }
            Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
            net.close();
        }
    }

    /** The zip entry of an imported model's own file. */
    static final String MODEL_ENTRY = "model.dl4j";

    /** What an import found: the model's type and format, the settled input and the representation's size. */
    public record Imported(String type, String format, Dl4jEncoder.Input input, int repDim, String sha256) {
    }

    /**
     * Loads {@code model} (DL4J or Keras), tries it as an encoder of {@code input} images and writes
     * {@code out}: an encoder file with the model's bytes, the input settled (the layout found when
     * none was given) and {@code provenance}.
     */
    public static Imported importModel(Path model, Dl4jEncoder.Input input, Map<String, Object> provenance, Path out)
            throws IOException {
        byte[] bytes = Files.readAllBytes(model);
        String format = format(bytes, model);
        Dl4jEncoder.Input settled;
        String type;
        int rep;
        try (Dl4jEncoder e = new Dl4jEncoder(loadModel(model, format), normalizer(model, format), input)) {
            settled = e.input();
            type = e.network().getClass().getSimpleName();
            rep = e.repDim();
        }
        String sha = sha256(bytes);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("file", model.getFileName().toString());
        d.put("format", format);
        d.put("type", type);
        d.put("sha256", sha);
        d.put("channels", settled.channels());
        d.put("height", settled.height());
        d.put("width", settled.width());
        d.put("layout", settled.layout().id());
        d.put("layer", settled.layer());
        d.put("pixelScale", settled.pixelScale());
        d.put("repDim", rep);
        Map<String, Object> prov = new LinkedHashMap<>(provenance);
        prov.put("importedFrom", model.getFileName().toString());
        prov.put("modelFormat", format);
        prov.put("modelType", type);
        prov.put("modelSha256", sha);
        EncoderIO.writeImported(d, bytes, prov, out);
        return new Imported(type, format, settled, rep, sha);
    }

    /** The imported model of an encoder file's zip, as an encoder. */
    static Dl4jEncoder open(ZipFile zip, Map<String, Object> meta) throws IOException {
        if (!(meta.get(EncoderIO.KIND_DL4J) instanceof Map<?, ?> d)) {
            throw new IOException(zip.getName() + ": an imported model without its description");
        }
        Dl4jEncoder.Input input = new Dl4jEncoder.Input(((Number) d.get("channels")).intValue(), ((Number) d.get("height")).intValue(),
                ((Number) d.get("width")).intValue(), Dl4jEncoder.Layout.of(String.valueOf(d.get("layout"))),
                d.get("layer") == null ? null : String.valueOf(d.get("layer")), ((Number) d.get("pixelScale")).doubleValue());
        String format = String.valueOf(d.get("format"));
        Path tmp = Files.createTempFile("stealbench-model-", format.equals("keras") ? ".h5" : ".zip");
        try {
            var entry = zip.getEntry(MODEL_ENTRY);
            if (entry == null) {
                throw new IOException(zip.getName() + ": the imported model's file (" + MODEL_ENTRY + ") is missing");
            }
            try (InputStream in = zip.getInputStream(entry)) {
                Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            return new Dl4jEncoder(loadModel(tmp, format), normalizer(tmp, format), input);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** "dl4j" for a zip (ModelSerializer's format), "keras" for HDF5; anything else is refused. */
    private static String format(byte[] b, Path file) {
        if (b.length > 4 && b[0] == 'P' && b[1] == 'K') {
            return "dl4j";
        }
        if (b.length > 8 && (b[0] & 0xff) == 0x89 && b[1] == 'H' && b[2] == 'D' && b[3] == 'F') {
            return "keras";
        }
        throw new IllegalArgumentException(file + " is neither a DL4J model (a zip written by ModelSerializer) nor a Keras HDF5 file");
    }

    private static Model loadModel(Path file, String format) {
        try {
            return format.equals("keras") ? keras(file) : serialized(file);
        } catch (Exception e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new IllegalArgumentException(file.getFileName() + ": DL4J cannot load this " + (format.equals("keras") ? "Keras" : "DL4J")
                    + " model (" + m.lines().findFirst().orElse(m) + ")", e);
        }
    }

    /** A ModelSerializer zip: a MultiLayerNetwork, else a ComputationGraph (without the updater: an encoder only runs forward). */
    private static Model serialized(Path file) throws IOException {
        try {
            return ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
        } catch (Exception notMultiLayer) {
            try {
                return ModelSerializer.restoreComputationGraph(file.toFile(), false);
            } catch (Exception notGraph) {
                notGraph.addSuppressed(notMultiLayer);
                throw notGraph;
            }
        }
    }

    /**
     * A Keras HDF5 model: a Sequential one as a MultiLayerNetwork, a functional one as a ComputationGraph, read
     * once and its file closed on every path. DL4J's ModelGuesser tried the functional import first and, on a
     * Sequential model, left that attempt's HDF5 file open; HDF5 is not thread-safe and JavaCPP frees a
     * forgotten file on its own thread when the collector finds it, and the JVM died in HDF5 (at exit or
     * mid-run) about once in twenty test runs. The training configuration is not required: a victim only runs forward.
     */
    private static Model keras(Path file) throws Exception {
        // reads the model's configuration, or closes the file and throws
        KerasModelBuilder b = new KerasModel().modelBuilder().modelHdf5Filename(file.toString()).enforceTrainingConfig(false);
        try {
            String kind = new com.fasterxml.jackson.databind.ObjectMapper().readTree(b.getModelJson()).path("class_name").asText();
            // both build methods close the builder's file when they return
            return kind.equals("Sequential") ? b.buildSequential().getMultiLayerNetwork() : b.buildModel().getComputationGraph();
        } catch (Exception | Error e) {
            b.close();
            throw e;
        }
    }

    /** The normaliser a DL4J model file carries (null for none, and for Keras files). */
    private static DataNormalization normalizer(Path file, String format) throws IOException {
        if (!format.equals("dl4j")) {
            return null;
        }
        try (ZipFile z = new ZipFile(file.toFile())) {
            if (z.getEntry("normalizer.bin") == null) {
                return null;
            }
        }
        Normalizer<?> n = ModelSerializer.restoreNormalizerFromFile(file.toFile());
        if (n != null && !(n instanceof DataNormalization)) {
            throw new IllegalArgumentException(file.getFileName() + ": its normaliser (" + n.getClass().getSimpleName()
                    + ") does not transform feature arrays");
        }
        return (DataNormalization) n;
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a model written by {@link #export} (or any DL4J MultiLayerNetwork file; the normaliser is null when it has none). */
    public static Loaded load(Path file) throws IOException {
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
        NormalizerStandardize norm = ModelSerializer.restoreNormalizerFromFile(file.toFile());
        return new Loaded(net, norm);
    }
}
