package org.stealbench.experiment;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.stealbench.attack.StealingLoss;
import org.stealbench.model.Architecture;

/**
 * Every field of an experiment, declared once (after MZmine's parameters): its JSON name, its
 * command-line option, its default, what it means, and which values it takes. {@link ExperimentConfig}
 * validates with these declarations, the stealing commands build their options from them, the
 * workbench's experiment form takes its defaults, ranges, choices and tooltips from them, and
 * {@link #jsonSchema()} writes them as a JSON Schema ({@code scripts/stealbench schema}).
 */
public final class ExperimentParameters {

    private ExperimentParameters() {
    }

    /** One declared field. {@code check} returns null when a value is allowed, else why not. */
    public sealed interface Parameter<T> permits Text, Url, Whole, Real, Flag, Names {
        /** The field's name in the experiment's JSON (and in {@link ExperimentConfig}). */
        String name();

        /** Its command-line option. */
        String option();

        String description();

        T defaultValue();

        Class<?> type();

        String check(T value);

        /** The field as a JSON Schema property. */
        Map<String, Object> schema();

        /** The description with the default, for help texts and tooltips. */
        default String help() {
            Object d = defaultValue();
            boolean none = d == null || d.equals(0L) || d.equals(0.0) || d.equals(Boolean.FALSE) || d instanceof List<?> l0 && l0.isEmpty();
            return description() + (none ? "" : " (default: "
                    + (d instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList()) : d) + ")");
        }

        @SuppressWarnings("unchecked")
        default String checkObject(Object value) {
            return check((T) value);
        }
    }

    /** A text field: free, or one of {@code choices}; {@code optional}: null means "the default". */
    public record Text(String name, String option, String description, String defaultValue, List<String> choices, boolean optional)
            implements Parameter<String> {
        @Override
        public Class<?> type() {
            return String.class;
        }

        @Override
        public String check(String v) {
            if (v == null || v.isBlank()) {
                return optional ? null : name + " is required";
            }
            return choices.isEmpty() || choices.contains(v) ? null
                    : name + " must be one of " + String.join(", ", choices) + ", not '" + v + "'";
        }

        @Override
        public Map<String, Object> schema() {
            Map<String, Object> m = base(this, optional ? List.of("string", "null") : "string");
            if (!choices.isEmpty()) {
                m.put("enum", choices);
            }
            return m;
        }
    }

    /** An optional http(s) URL; null means "not set". */
    public record Url(String name, String option, String description) implements Parameter<String> {
        @Override
        public String defaultValue() {
            return null;
        }

        @Override
        public Class<?> type() {
            return String.class;
        }

        @Override
        public String check(String v) {
            if (v == null || v.isBlank()) {
                return null;
            }
            try {
                java.net.URI u = new java.net.URI(v.trim());
                return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null ? null
                        : name + " must be an http:// or https:// URL with a host, not '" + v + "'";
            } catch (java.net.URISyntaxException e) {
                return name + " must be a URL, not '" + v + "'";
            }
        }

        @Override
        public Map<String, Object> schema() {
            Map<String, Object> m = base(this, List.of("string", "null"));
            m.put("format", "uri");
            return m;
        }
    }

    /** A whole number in [min, max]. */
    public record Whole(String name, String option, String description, Long defaultValue, long min, long max) implements Parameter<Long> {
        @Override
        public Class<?> type() {
            return Long.class;
        }

        @Override
        public String check(Long v) {
            return v == null ? name + " is required" : v < min || v > max ? String.format(Locale.ROOT, "%s must lie in %,d..%,d, not %,d",
                    name, min, max, v) : null;
        }

        @Override
        public Map<String, Object> schema() {
            Map<String, Object> m = base(this, "integer");
            m.put("minimum", min);
            m.put("maximum", max);
            return m;
        }
    }

    /** A real number in [min, max] (0 may stand for "the default"). */
    public record Real(String name, String option, String description, Double defaultValue, double min, double max) implements Parameter<Double> {
        @Override
        public Class<?> type() {
            return Double.class;
        }

        @Override
        public String check(Double v) {
            return v == null || !(v >= min && v <= max) ? name + " must lie in [" + min + ", " + max + "], not " + v : null;
        }

        @Override
        public Map<String, Object> schema() {
            Map<String, Object> m = base(this, "number");
            m.put("minimum", min);
            m.put("maximum", max);
            return m;
        }
    }

    /** A yes/no field. */
    public record Flag(String name, String option, String description, Boolean defaultValue) implements Parameter<Boolean> {
        @Override
        public Class<?> type() {
            return Boolean.class;
        }

        @Override
        public String check(Boolean v) {
            return null;
        }

        @Override
        public Map<String, Object> schema() {
            return base(this, "boolean");
        }
    }

    /** A list of names (comma-separated on the command line), at least {@code minSize}, each one of {@code choices} unless empty. */
    public record Names(String name, String option, String description, List<String> defaultValue, int minSize, List<String> choices,
                        String itemLabel, java.util.function.Function<String, String> itemCheck) implements Parameter<List<String>> {
        /** Names from a fixed list (or free names when {@code choices} is empty). */
        public Names(String name, String option, String description, List<String> defaultValue, int minSize, List<String> choices,
                     String itemLabel) {
            this(name, option, description, defaultValue, minSize, choices, itemLabel, null);
        }

        @Override
        public Class<?> type() {
            return List.class;
        }

        @Override
        public String check(List<String> v) {
            if (v == null || v.size() < minSize) {
                return "choose at least " + (minSize == 1 ? "one " + itemLabel : minSize + " " + itemLabel + "s");
            }
            for (String s : v) {
                if (!choices.isEmpty() && !choices.contains(s)) {
                    return itemLabel + " '" + s + "' is not available (" + String.join(", ", choices) + ")";
                }
                String why = itemCheck == null ? null : itemCheck.apply(s);
                if (why != null) {
                    return why;
                }
            }
            return null;
        }

        @Override
        public Map<String, Object> schema() {
            Map<String, Object> m = base(this, "array");
            Map<String, Object> items = new LinkedHashMap<>();
            items.put("type", "string");
            if (!choices.isEmpty()) {
                items.put("enum", choices);
            }
            m.put("items", items);
            m.put("minItems", minSize);
            return m;
        }
    }

    public static final Text VICTIM = new Text("victim", "--victim", "Victim encoder file, or 'bundled' for the one in sample-data",
            ExperimentConfig.BUNDLED, List.of(), false);
    public static final Text STEALING_DATASET = new Text("stealingDataset", "--dataset",
            "Stealing dataset: the attacker's images (a dataset id, ID@origin or folder:PATH)", "fashion-mnist", List.of(), false);
    public static final Whole QUERIES = new Whole("queries", "--queries",
            "Query budget: images sent to the victim's API (a fifth of the bundled victim's training set by default)", 2000L, 2, 10_000_000);
    public static final Text LOSS = new Text("loss", "--loss", "Stealing loss", "infonce",
            Arrays.stream(StealingLoss.values()).map(StealingLoss::id).toList(), false);
    public static final Text ARCHITECTURE = new Text("stolenArchitecture", "--arch", "Architecture of the stolen copy", "small-cnn",
            List.of(Architecture.SMALL_CNN.id(), Architecture.RESNET18.id()), false);
    public static final Whole EPOCHS = new Whole("epochs", "--epochs",
            "Epochs over the answers (32 x 2,000 queries = 64k sample passes)", 32L, 1, 10_000);
    public static final Flag REQUERY = new Flag("requery", "--requery",
            "Send augmented views of each batch again every epoch (every view counts as a query)", false);
    public static final Names TASKS = new Names("tasks", "--tasks",
            "Downstream tasks: linear probe and kNN on each (the victim's own dataset first)", List.of("fashion-mnist", "mnist", "digits"),
            1, List.of(), "downstream task");
    public static final Names DEFENSES = new Names("defenses", "--defense",
            "Defences in front of the victim's API, in order: " + org.stealbench.defense.DefenseCatalog.ids()
                    + "; each as id or id:param=value,param=value (scripts/stealbench defenses lists them)",
            List.of(), 0, List.of(), "defence", org.stealbench.defense.DefenseCatalog::check);
    public static final Whole SEED = new Whole("seed", "--seed", "Seed of the copy's initialisation and training order", 1L, 0, Long.MAX_VALUE);
    public static final Text OPTIMIZER = new Text("optimizer", "--optimizer",
            "Optimiser overriding the loss's reference one (Adam, weight decay 1e-4; SGD, momentum 0.9)", null, List.of("adam", "sgd"), true);
    public static final Real LEARNING_RATE = new Real("learningRate", "--lr",
            "Learning rate overriding the loss's reference rate (0: the loss's; with another optimiser Adam 1e-3, SGD 0.05)", 0.0, 0, 10);
    public static final Whole BATCH_SIZE = new Whole("batchSize", "--batch-size",
            "Batch size overriding the loss's reference batch (0: the loss's; 64 for mse and wasserstein, 256 for the others)", 0L, 0, 1 << 16);

    public static final Whole SYBILS = new Whole("sybils", "--sybils",
            "Client keys the attacker splits its queries over (sybils), pooling the answers", 1L, 1, 64);

    public static final Url API = new Url("api", "--api",
            "Steal from a StealBench API server at this URL (http://host:port) with the key in $STEALBENCH_API_KEY (several keys, "
                    + "comma-separated, for sybils) instead of from the victim in process; the victim file still scores the copy");

    /** Every field of {@link ExperimentConfig} but its schema version, in the record's order. */
    public static final List<Parameter<?>> ALL = List.of(VICTIM, STEALING_DATASET, QUERIES, LOSS, ARCHITECTURE, EPOCHS, REQUERY, TASKS,
            DEFENSES, SEED, OPTIMIZER, LEARNING_RATE, BATCH_SIZE, SYBILS, API);

    /** The folder runs write their results folders to, shared by the command line and the workbench. */
    public static final Text RESULTS = new Text("results", "--results",
            "Folder for results folders (also -Dstealbench.results or $STEALBENCH_RESULTS)", "results", List.of(), false);

    /** The results folder when none is named: -Dstealbench.results, else $STEALBENCH_RESULTS, else ./results. */
    public static Path defaultResultsRoot() {
        String p = System.getProperty("stealbench.results");
        if (p == null || p.isBlank()) {
            p = System.getenv("STEALBENCH_RESULTS");
        }
        return Path.of(p == null || p.isBlank() ? RESULTS.defaultValue() : p).toAbsolutePath();
    }

    /** The defaults of every field, as a configuration's JSON fields hold them. */
    public static Map<String, Object> defaults() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", ExperimentConfig.SCHEMA);
        for (Parameter<?> p : ALL) {
            m.put(p.name(), p.defaultValue());
        }
        return m;
    }

    /** The experiment file's JSON Schema (draft 2020-12). */
    public static Map<String, Object> jsonSchema() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        s.put("title", "StealBench experiment");
        s.put("type", "object");
        Map<String, Object> props = new LinkedHashMap<>();
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "integer");
        schema.put("const", ExperimentConfig.SCHEMA);
        schema.put("description", "Version of this format");
        props.put("schema", schema);
        for (Parameter<?> p : ALL) {
            props.put(p.name(), p.schema());
        }
        s.put("properties", props);
        s.put("required", List.of("schema", VICTIM.name(), STEALING_DATASET.name(), QUERIES.name(), LOSS.name()));
        s.put("additionalProperties", false);
        return s;
    }

    private static Map<String, Object> base(Parameter<?> p, Object type) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("description", p.description());
        if (p.defaultValue() != null) {
            m.put("default", p.defaultValue());
        }
        m.put("x-option", p.option());
        return m;
    }
}
