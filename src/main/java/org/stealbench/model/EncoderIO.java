package org.stealbench.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.stealbench.data.format.DataFiles;
import org.stealbench.model.nn.Network;
import org.stealbench.model.nn.NetworkState;

/**
 * Saves an encoder as one zip: {@code encoder.json} (format version, spec, provenance) and the
 * parameter and state vectors of the trunk, the projection head and the watermark MLP (when
 * present). Written atomically.
 */
public final class EncoderIO {

    public static final int FORMAT = 1;
    /** 1980-01-01T00:00:00Z, the earliest time a zip entry holds. */
    private static final long FIXED_TIME = 315532800000L;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private EncoderIO() {
    }

    /** What a saved encoder says about itself. */
    public record Saved(Encoder encoder, Map<String, Object> provenance) {
    }

    /** Any encoder file opened as a victim: StealBench's own or an imported DL4J/Keras model ({@link Dl4jModels}). */
    public record Opened(ImageEncoder encoder, Map<String, Object> provenance) {
    }

    /** The {@code kind} of an imported DL4J or Keras model in encoder.json; StealBench's own encoders have none. */
    static final String KIND_DL4J = "dl4j";

    public static void save(Encoder e, Map<String, Object> provenance, Path file) throws IOException {
        DataFiles.writeAtomically(file, raw -> write(e, provenance, raw));
    }

    /** Writes the encoder's zip to {@code raw} (not closed), e.g. into a results folder being assembled. */
    public static void write(Encoder e, Map<String, Object> provenance, java.io.OutputStream raw) throws IOException {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("spec", e.spec());
        meta.put("provenance", provenance == null ? Map.of() : provenance);
        ZipOutputStream zip = new ZipOutputStream(raw);
        zip.putNextEntry(entry("encoder.json"));
        zip.write(JSON.writeValueAsBytes(meta));
        zip.closeEntry();
        put(zip, "trunk", e.trunk());
        if (e.head() != null) {
            put(zip, "head", e.head());
        }
        if (e.watermark() != null) {
            put(zip, "watermark", e.watermark());
        }
        zip.finish();
    }

    /** Entries carry a fixed time, so the same encoder always gives the same bytes (results can be compared and hashed). */
    private static ZipEntry entry(String name) {
        ZipEntry z = new ZipEntry(name);
        z.setTime(FIXED_TIME);
        return z;
    }

    private static void put(ZipOutputStream zip, String name, Network n) throws IOException {
        zip.putNextEntry(entry(name + ".params"));
        NetworkState.writeArray(n.params().values(), zip);
        zip.closeEntry();
        zip.putNextEntry(entry(name + ".state"));
        NetworkState.writeArray(n.params().state(), zip);
        zip.closeEntry();
    }

    /** The provenance a saved encoder carries, without loading its weights. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> readProvenance(Path file) {
        return read(file, (zip, meta) -> (Map<String, Object>) meta.getOrDefault("provenance", Map.of()));
    }

    @SuppressWarnings("unchecked")
    public static Saved load(Path file) {
        return read(file, (zip, meta) -> {
            if (KIND_DL4J.equals(meta.get("kind"))) {
                throw new IllegalArgumentException(file + " is an imported DL4J model: it can be a victim (stolen, served, evaluated), "
                        + "not trained on or exported");
            }
            int format = ((Number) meta.getOrDefault("format", -1)).intValue();
            if (format != FORMAT) {
                throw new IllegalArgumentException(file + ": encoder format " + format + ", this version reads " + FORMAT);
            }
            EncoderSpec spec = JSON.convertValue(meta.get("spec"), EncoderSpec.class);
            Encoder e = new Encoder(spec, 0);
            restore(zip, "trunk", e.trunk());
            if (spec.hasHead()) {
                restore(zip, "head", e.head());
            }
            if (spec.watermark()) {
                restore(zip, "watermark", e.watermark());
            }
            return new Saved(e, (Map<String, Object>) meta.getOrDefault("provenance", Map.of()));
        });
    }

    /** Opens any encoder file: StealBench's own, or a DL4J or Keras model imported by {@link Dl4jModels#importModel}. */
    @SuppressWarnings("unchecked")
    public static Opened open(Path file) {
        if (isImported(file)) {
            return read(file, (zip, meta) -> new Opened(Dl4jModels.open(zip, meta),
                    (Map<String, Object>) meta.getOrDefault("provenance", Map.of())));
        }
        Saved s = load(file);
        return new Opened(s.encoder(), s.provenance());
    }

    /** Whether {@code file} holds an imported DL4J or Keras model rather than one of StealBench's own encoders. */
    public static boolean isImported(Path file) {
        return read(file, (zip, meta) -> KIND_DL4J.equals(meta.get("kind")));
    }

    /** Writes an encoder file around an imported model's bytes (see {@link Dl4jModels#importModel}). */
    static void writeImported(Map<String, Object> description, byte[] model, Map<String, Object> provenance, Path file)
            throws IOException {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("kind", KIND_DL4J);
        meta.put(KIND_DL4J, description);
        meta.put("provenance", provenance == null ? Map.of() : provenance);
        DataFiles.writeAtomically(file, raw -> {
            ZipOutputStream zip = new ZipOutputStream(raw);
            zip.putNextEntry(entry("encoder.json"));
            zip.write(JSON.writeValueAsBytes(meta));
            zip.closeEntry();
            zip.putNextEntry(entry(Dl4jModels.MODEL_ENTRY));
            zip.write(model);
            zip.closeEntry();
            zip.finish();
        });
    }

    /** What to make of an opened encoder file and its encoder.json. */
    @FunctionalInterface
    private interface Reader<T> {
        T read(ZipFile zip, Map<String, Object> meta) throws IOException;
    }

    /** Opens {@code file}, reads its encoder.json and hands both on; every error names the file and what is wrong. */
    @SuppressWarnings("unchecked")
    private static <T> T read(Path file, Reader<T> reader) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Map<String, Object> meta = JSON.readValue(zip.getInputStream(entry(zip, "encoder.json")), Map.class);
            return reader.read(zip, meta);
        } catch (NoSuchFileException ex) {
            throw new IllegalArgumentException(file + ": no such encoder file");
        } catch (ZipException ex) {
            throw new IllegalArgumentException(file + ": not a StealBench encoder (not a zip: " + ex.getMessage() + ")");
        } catch (IOException ex) {
            throw new IllegalArgumentException(file + ": cannot read encoder.json (" + ex.getMessage() + ")", ex);
        }
    }

    private static void restore(ZipFile zip, String name, Network n) throws IOException {
        NetworkState.restore(n.params().values(), read(zip, name + ".params"), zip.getName() + " " + name);
        NetworkState.restore(n.params().state(), read(zip, name + ".state"), zip.getName() + " " + name + " state");
    }

    private static ZipEntry entry(ZipFile zip, String name) {
        return NetworkState.entry(zip, name, "encoder");
    }

    private static INDArray read(ZipFile zip, String name) throws IOException {
        return NetworkState.readEntry(zip, name, "encoder");
    }

}
