package org.stealbench.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A theft's results.json, the typed record every other file of its results folder is derived
 * from: the result (with its configuration), the roles of images the protocol assigned (their
 * sizes per dataset), the provenance, and every trained epoch once (loss and, when measured
 * live, kNN, fidelity and watermark).
 */
public record TheftRecord(int schema, ExperimentResult result, Map<String, Object> protocol, RunProvenance provenance,
                          List<ExperimentEvent.EpochMetrics> epochs,
                          @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                          ExperimentEvent.Baselines baselines) {

    public static final int SCHEMA = 1;
    public static final String FILE = "results.json";
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public TheftRecord {
        epochs = List.copyOf(epochs);
        protocol = protocol == null ? Map.of() : protocol;
    }

    public byte[] toJson() throws IOException {
        return JSON.writeValueAsBytes(this);
    }

    /** Reads a results.json; the result's folder is the one it was read from. */
    public static TheftRecord read(Path file) throws IOException {
        TheftRecord r = JSON.readValue(file.toFile(), TheftRecord.class);
        if (r.schema() != SCHEMA) {
            throw new IOException(file + ": results schema " + r.schema() + "; this version reads " + SCHEMA);
        }
        return new TheftRecord(r.schema, r.result.withFolder(file.toAbsolutePath().getParent()), r.protocol, r.provenance, r.epochs,
                r.baselines);
    }
}
