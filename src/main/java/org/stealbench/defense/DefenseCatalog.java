package org.stealbench.defense;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import org.stealbench.api.Defense;

/**
 * Every defence StealBench has, declared once: its id, a one-line explanation, its parameters with
 * defaults and allowed ranges, and how to build it. Experiments name a defence as
 * {@code id} or {@code id:param=value,param=value} ({@code pow:base=8}); {@link #check} says what is
 * wrong with such a name before anything runs, {@link #build} makes the defence for a run. The
 * command line's help, the workbench's panel and the JSON Schema take their texts from here.
 */
public final class DefenseCatalog {

    private DefenseCatalog() {
    }

    /** A parameter: numeric within [min, max] (whole numbers when {@code integer}), or one of {@code choices}. */
    public record Param(String name, String defaultValue, double min, double max, boolean integer, List<String> choices, String description) {
        static Param number(String name, double def, double min, double max, String description) {
            return new Param(name, format(def), min, max, false, List.of(), description);
        }

        static Param whole(String name, long def, long min, long max, String description) {
            return new Param(name, Long.toString(def), min, max, true, List.of(), description);
        }

        static Param choice(String name, String def, List<String> choices, String description) {
            return new Param(name, def, 0, 0, false, List.copyOf(choices), description);
        }

        /** Null when {@code v} is allowed, else why not (with the valid range). */
        public String check(String v) {
            if (!choices.isEmpty()) {
                return choices.contains(v) ? null : name + " must be one of " + String.join(", ", choices) + ", not '" + v + "'";
            }
            double d;
            try {
                d = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                return name + " must be a number, not '" + v + "'";
            }
            if (integer && d != Math.rint(d)) {
                return name + " must be a whole number, not '" + v + "'";
            }
            return d >= min && d <= max ? null : name + " must be between " + format(min) + " and " + format(max) + ", not " + v;
        }

        /** The range or choices, for help texts. */
        public String range() {
            return choices.isEmpty() ? format(min) + " to " + format(max) : String.join(" | ", choices);
        }
    }

    /** A kind of defence: id, one-line explanation, parameters, and its constructor. */
    public record Kind(String id, String title, String explanation, List<Param> params, String stronger,
                       BiFunction<Spec, DefenseContext, Defense> factory) {
        public Param param(String name) {
            return params.stream().filter(p -> p.name.equals(name)).findFirst().orElse(null);
        }
    }

    /** A defence as an experiment names it: its kind and every parameter's value (defaults filled in). */
    public record Spec(Kind kind, Map<String, String> values) {
        public double number(String p) {
            return Double.parseDouble(values.get(p));
        }

        public int whole(String p) {
            return (int) Double.parseDouble(values.get(p));
        }

        public String text(String p) {
            return values.get(p);
        }

        /** The canonical name: id, then the parameters that differ from their defaults. */
        public String name() {
            List<String> set = new ArrayList<>();
            for (Param p : kind.params()) {
                String v = values.get(p.name());
                if (!same(p, v, p.defaultValue())) {
                    set.add(p.name() + "=" + v);
                }
            }
            return set.isEmpty() ? kind.id() : kind.id() + ":" + String.join(",", set);
        }

        private static boolean same(Param p, String a, String b) {
            if (!p.choices().isEmpty()) {
                return a.equals(b);
            }
            return Double.parseDouble(a) == Double.parseDouble(b);
        }
    }

    public static final List<Kind> KINDS = List.of(
            new Kind("poisoning", "Prediction poisoning",
                    "Adds Gaussian noise to every answer (the reference's N(5, 0.5) per element); with relative=true the noise scales with each answer's size.",
                    List.of(Param.number("mean", 5, -1000, 1000, "mean of the noise added to each element"),
                            Param.number("sigma", 0.5, 0, 1000, "standard deviation of the noise"),
                            Param.choice("relative", "false", List.of("false", "true"),
                                    "scale mean and sigma by each answer's root-mean-square element")),
                    "poisoning:sigma=5", Poisoning::new),
            new Kind("similarity", "Similarity detection",
                    "Flags a query whose representation is too similar ((cos+1)/2 above the threshold) to one of the client's earlier ones, and answers it with garbage or refuses it.",
                    List.of(Param.number("threshold", 0.8, 0.5, 1, "similarity (cos+1)/2 above which a query is flagged"),
                            Param.whole("history", 10000, 1, 1_000_000, "earlier answers kept per client"),
                            Param.choice("action", "garbage", List.of("garbage", "refuse"),
                                    "garbage: answer N(1000, 1) per element; refuse: refuse the request")),
                    "similarity:threshold=0.95", SimilarityDetection::new),
            new Kind("prada", "PRADA",
                    "Keeps each query's smallest L2 distance to the client's earlier queries; when a Shapiro-Wilk test finds these distances far from normal (W below the threshold), the client is flagged and refused from then on.",
                    List.of(Param.number("threshold", 0.9, 0, 1, "Shapiro-Wilk W below which the client is flagged"),
                            Param.whole("min", 100, 3, 5000, "queries before the first test")),
                    "prada:threshold=0.95", Prada::new),
            new Kind("pow", "Calibrated proof-of-work",
                    "Before each answer the client solves a hashcash puzzle; its difficulty grows with how far the client's traffic departs from honest traffic (excess cross-entropy of its representations' LSH buckets), calibrated on the defender's own images so that honest users pay the base.",
                    List.of(Param.whole("base", 8, 0, 24, "leading zero bits asked of every client (per image)"),
                            Param.whole("max", 20, 0, 30, "most bits ever asked"),
                            Param.number("gain", 4, 0, 64, "extra bits per bit of excess cross-entropy beyond honest traffic"),
                            Param.number("expiry", 60, 0.001, 86400, "seconds a challenge stays valid"),
                            Param.whole("lsh", 10, 2, 20, "random hyperplanes of the locality-sensitive hash")),
                    "pow:gain=8", ProofOfWorkDefense::new),
            new Kind("coverage", "Coverage-based active defence (B4B)",
                    "Adds noise that grows with the fraction of representation space (LSH buckets) the client's answers have covered, and maps each client's answers through its own fixed transformation so that answers bought with several keys do not line up.",
                    List.of(Param.whole("lsh", 12, 2, 20, "random hyperplanes of the locality-sensitive hash (2^lsh buckets)"),
                            Param.number("sigma", 1, 0, 100, "noise at full coverage, in units of the answers' typical element size"),
                            Param.choice("transform", "orthogonal", List.of("orthogonal", "permutation", "none"),
                                    "each client's own transformation of the answers")),
                    "coverage:sigma=4", CoverageDefense::new));

    public static Kind kind(String id) {
        return KINDS.stream().filter(k -> k.id.equals(id)).findFirst().orElse(null);
    }

    /** The defence names an experiment may use, for messages. */
    public static String ids() {
        return String.join(", ", KINDS.stream().map(Kind::id).toList());
    }

    /** Null when {@code name} is a valid defence with valid parameters, else why not. */
    public static String check(String name) {
        try {
            parse(name);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** Reads {@code id} or {@code id:p=v,p=v}; refuses unknown ids and parameters and values out of range, naming the range. */
    public static Spec parse(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("empty defence name; known: " + ids());
        }
        String s = name.strip();
        int colon = s.indexOf(':');
        String id = (colon < 0 ? s : s.substring(0, colon)).strip().toLowerCase(Locale.ROOT);
        Kind k = kind(id);
        if (k == null) {
            throw new IllegalArgumentException("unknown defence '" + id + "'; known: " + ids());
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Param p : k.params) {
            values.put(p.name, p.defaultValue);
        }
        if (colon >= 0 && !s.substring(colon + 1).isBlank()) {
            for (String kv : s.substring(colon + 1).split(",")) {
                int eq = kv.indexOf('=');
                if (eq < 0) {
                    throw new IllegalArgumentException(id + ": expected param=value, not '" + kv.strip() + "'");
                }
                String pn = kv.substring(0, eq).strip();
                Param p = k.param(pn);
                if (p == null) {
                    throw new IllegalArgumentException(id + " has no parameter '" + pn + "'; it has "
                            + String.join(", ", k.params.stream().map(Param::name).toList()));
                }
                String v = kv.substring(eq + 1).strip();
                String why = p.check(v);
                if (why != null) {
                    throw new IllegalArgumentException(id + ": " + why);
                }
                values.put(pn, v);
            }
        }
        if (k.id.equals("pow") && Double.parseDouble(values.get("max")) < Double.parseDouble(values.get("base"))) {
            throw new IllegalArgumentException("pow: max (" + values.get("max") + ") must be at least base (" + values.get("base") + ")");
        }
        return new Spec(k, values);
    }

    /** Builds the defence named {@code name} for a run. */
    public static Defense build(String name, DefenseContext context) {
        Spec spec = parse(name);
        return spec.kind.factory.apply(spec, context);
    }

    /** Every defence at its default setting and at its stronger one, as experiments name them (the defence matrix's rows). */
    public static List<String> defaultAndStronger() {
        List<String> out = new ArrayList<>();
        for (Kind k : KINDS) {
            out.add(k.id);
            out.add(k.stronger);
        }
        return out;
    }

    /** A help text: every defence with its explanation and parameters (default, range). */
    public static String help() {
        StringBuilder b = new StringBuilder();
        for (Kind k : KINDS) {
            b.append(k.id).append(" (").append(k.title).append("): ").append(k.explanation).append(" Stronger setting: ")
                    .append(k.stronger).append('\n');
            for (Param p : k.params) {
                b.append("    ").append(p.name).append(" = ").append(p.defaultValue).append(" (").append(p.range()).append("): ")
                        .append(p.description).append('\n');
            }
        }
        return b.toString();
    }

    static String format(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
