package org.stealbench.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
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

    /** Reads a model written by {@link #export} (or any DL4J MultiLayerNetwork file; the normaliser is null when it has none). */
    public static Loaded load(Path file) throws IOException {
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
        NormalizerStandardize norm = ModelSerializer.restoreNormalizerFromFile(file.toFile());
        return new Loaded(net, norm);
    }
}
