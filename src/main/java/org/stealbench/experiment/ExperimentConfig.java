package org.stealbench.experiment;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.stealbench.attack.StealConfig;

/**
 * One stealing experiment, immutable and validated: the victim (a saved encoder, "bundled" for the
 * one in sample-data), the stealing dataset and query budget, the loss, the stolen architecture,
 * epochs over the answers, whether to re-query with augmented views every epoch (each view counted
 * as a query), the downstream tasks, the defences (none yet), the seed, and optional overrides of
 * the loss's reference optimiser, learning rate and batch size (null / 0: the loss's default;
 * written to JSON only when set, so configurations without them read and hash as before).
 * Round-trips through JSON unchanged; {@link #SCHEMA} versions the format.
 */
public record ExperimentConfig(int schema, String victim, String stealingDataset, int queries, String loss,
                               String stolenArchitecture, int epochs, boolean requery, List<String> tasks, List<String> defenses,
                               long seed,
                               @JsonInclude(JsonInclude.Include.NON_DEFAULT) String optimizer,
                               @JsonInclude(JsonInclude.Include.NON_DEFAULT) double learningRate,
                               @JsonInclude(JsonInclude.Include.NON_DEFAULT) int batchSize,
                               @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = ExperimentConfig.OneKey.class) int sybils,
                               @JsonInclude(JsonInclude.Include.NON_NULL) String api) {

    public static final int SCHEMA = 1;
    public static final String BUNDLED = "bundled";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public ExperimentConfig {
        if (schema != SCHEMA) {
            throw new IllegalArgumentException("experiment schema " + schema + "; this version reads " + SCHEMA);
        }
        sybils = sybils == 0 ? 1 : sybils; // files from before the field: one key
        api = api == null || api.isBlank() ? null : api.trim();
        tasks = List.copyOf(tasks == null ? List.of() : tasks);
        defenses = List.copyOf(defenses == null ? List.of() : defenses);
        // every field against its one declaration (ExperimentParameters), in the record's order
        Object[] values = {victim, stealingDataset, (long) queries, loss, stolenArchitecture, (long) epochs, requery, tasks, defenses, seed,
                optimizer, learningRate, (long) batchSize, (long) sybils, api};
        for (int i = 0; i < values.length; i++) {
            String why = ExperimentParameters.ALL.get(i).checkObject(values[i]);
            if (why != null) {
                throw new IllegalArgumentException(why);
            }
        }
        if (api != null && !defenses.isEmpty()) {
            throw new IllegalArgumentException("a theft from a remote API meets that server's defences; the experiment's own defences ("
                    + String.join(", ", defenses) + ") apply to an in-process victim only");
        }
        // the same checks as the theft's own configuration, reported before anything runs
        new StealConfig(stealingDataset, queries, loss, stolenArchitecture, epochs, batchSize, learningRate, optimizer, requery, seed, sybils);
    }

    /** Leaves {@code sybils} out of the JSON at its default (one key), so configurations without sybils read and hash as before. */
    public static final class OneKey {
        @Override
        public boolean equals(Object o) {
            return o instanceof Integer i && (i == 1 || i == 0);
        }

        @Override
        public int hashCode() {
            return 1;
        }
    }

    /** The configuration without optimiser overrides, as {@code new ExperimentConfig(...)} before they existed. */
    public ExperimentConfig(int schema, String victim, String stealingDataset, int queries, String loss, String stolenArchitecture,
                            int epochs, boolean requery, List<String> tasks, List<String> defenses, long seed) {
        this(schema, victim, stealingDataset, queries, loss, stolenArchitecture, epochs, requery, tasks, defenses, seed, null, 0, 0, 1, null);
    }

    /** Every field at its declared default ({@link ExperimentParameters}): the demo experiment. */
    public static ExperimentConfig defaults() {
        return JSON.convertValue(ExperimentParameters.defaults(), ExperimentConfig.class);
    }

    /** The demo default with another loss: the bundled victim, 2,000 Fashion-MNIST queries, 64k sample passes. */
    public static ExperimentConfig demo(String loss) {
        return defaults().withLoss(loss);
    }

    public ExperimentConfig withVictim(String v) {
        return new ExperimentConfig(schema, v, stealingDataset, queries, loss, stolenArchitecture, epochs, requery, tasks, defenses, seed,
                optimizer, learningRate, batchSize, sybils, api);
    }

    public ExperimentConfig withStealingDataset(String d) {
        return new ExperimentConfig(schema, victim, d, queries, loss, stolenArchitecture, epochs, requery, tasks, defenses, seed,
                optimizer, learningRate, batchSize, sybils, api);
    }

    public ExperimentConfig withQueries(int n) {
        return new ExperimentConfig(schema, victim, stealingDataset, n, loss, stolenArchitecture, epochs, requery, tasks, defenses, seed,
                optimizer, learningRate, batchSize, sybils, api);
    }

    public ExperimentConfig withLoss(String l) {
        return new ExperimentConfig(schema, victim, stealingDataset, queries, l, stolenArchitecture, epochs, requery, tasks, defenses, seed,
                optimizer, learningRate, batchSize, sybils, api);
    }

    public ExperimentConfig withArchitecture(String a) {
        return new ExperimentConfig(schema, victim, stealingDataset, queries, loss, a, epochs, requery, tasks, defenses, seed,
                optimizer, learningRate, batchSize, sybils, api);
    }

    public ExperimentConfig withEpochs(int e) {
        return new ExperimentConfig(schema, victim, stealingDataset, queries, loss, stolenArchitecture, e, requery, tasks, defenses, seed,
                optimizer, learningRate, batchSize, sybils, api);
    }

    public ExperimentConfig withRequery(boolean r) {
        return new ExperimentConfig(schema, victim, stealingDataset, queries, loss, stolenArchitecture, epochs, r, tasks, defenses, seed,
                optimizer, learningRate, batchSize, sybils, api);
    }

    public ExperimentConfig withTasks(List<String> t) {
        return new ExperimentConfig(schema, victim, stealingDataset, queries, loss, stolenArchitecture, epochs, requery, t, defenses, seed,
                optimizer, learningRate, batchSize, sybils, api);
    }

    public ExperimentConfig withSeed(long s) {
        return new ExperimentConfig(schema, victim, stealingDataset, queries, loss, stolenArchitecture, epochs, requery, tasks, defenses, s,
                optimizer, learningRate, batchSize, sybils, api);
    }

    /** The same experiment with the loss's optimiser, learning rate and batch size overridden (null / 0: its default). */
    public ExperimentConfig withTraining(String opt, double lr, int batch) {
        return new ExperimentConfig(schema, victim, stealingDataset, queries, loss, stolenArchitecture, epochs, requery, tasks, defenses, seed,
                opt, lr, batch, sybils, api);
    }

    public ExperimentConfig withDefenses(List<String> d) {
        return new ExperimentConfig(schema, victim, stealingDataset, queries, loss, stolenArchitecture, epochs, requery, tasks, d, seed,
                optimizer, learningRate, batchSize, sybils, api);
    }

    public ExperimentConfig withSybils(int k) {
        return new ExperimentConfig(schema, victim, stealingDataset, queries, loss, stolenArchitecture, epochs, requery, tasks, defenses, seed,
                optimizer, learningRate, batchSize, k, api);
    }

    /** The same experiment stealing from the API server at {@code url} (null: the victim in process). */
    public ExperimentConfig withApi(String url) {
        return new ExperimentConfig(schema, victim, stealingDataset, queries, loss, stolenArchitecture, epochs, requery, tasks, defenses, seed,
                optimizer, learningRate, batchSize, sybils, url);
    }

    public StealConfig stealConfig() {
        return new StealConfig(stealingDataset, queries, loss, stolenArchitecture, epochs, batchSize, learningRate, optimizer, requery, seed, sybils);
    }

    /** True when the loss's reference optimiser, learning rate or batch size is overridden. */
    public boolean overridesTraining() {
        return optimizer != null || learningRate > 0 || batchSize > 0;
    }

    /** A short human-readable label: loss, stealing data, queries (and "re-query"). */
    public String label() {
        StealConfig sc = stealConfig();
        return loss + " · " + stealingDataset + " · " + queries + (requery ? " · re-query" : "")
                + (defenses.isEmpty() ? "" : " · " + String.join("+", defenses)) + (sybils > 1 ? " · " + sybils + " keys" : "")
                + (overridesTraining() ? String.format(java.util.Locale.ROOT, " · %s %.3g, batch %d", sc.effectiveOptimizer(),
                        sc.effectiveLearningRate(), sc.effectiveBatchSize()) : "");
    }

    /** The fields as JSON holds them (name -> value). */
    @SuppressWarnings("unchecked")
    public java.util.Map<String, Object> toFields() {
        return new java.util.LinkedHashMap<>(JSON.convertValue(this, java.util.Map.class));
    }

    /** A configuration from its fields (name -> value), every one checked; unknown names are refused. */
    public static ExperimentConfig fromFields(java.util.Map<String, Object> fields) {
        try {
            return JSON.convertValue(fields, ExperimentConfig.class);
        } catch (IllegalArgumentException e) {
            Throwable c = e;
            while (c.getCause() != null && c.getCause() != c) {
                c = c.getCause();
            }
            throw new IllegalArgumentException(c.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ExperimentConfig fromJson(String json) {
        try {
            return JSON.readValue(json, ExperimentConfig.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // Jackson's message ends with its own location and source excerpt: say the line and column once, plainly
            String what = e.getCause() instanceof IllegalArgumentException iae ? iae.getMessage() : e.getOriginalMessage();
            var loc = e.getLocation();
            String where = loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
            throw new IllegalArgumentException("not a valid experiment" + where + ": " + what.lines().findFirst().orElse(""), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a valid experiment: " + e.getMessage(), e);
        }
    }

    public static ExperimentConfig read(Path file) throws IOException {
        String json;
        try {
            json = java.nio.file.Files.readString(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException("no experiment file at " + file.toAbsolutePath());
        }
        try {
            return fromJson(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }
}
