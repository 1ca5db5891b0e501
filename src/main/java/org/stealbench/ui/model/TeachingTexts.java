package org.stealbench.ui.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The texts a teacher may edit or translate, from the top-level {@code resources/teaching/} folder
 * (on the classpath as {@code org/stealbench/teaching/}; resources/README.md): the guided lesson's
 * steps, the glossary and the tooltips by control id.
 */
public final class TeachingTexts {

    /** Where the files are on the classpath. */
    static final String BASE = "/org/stealbench/teaching/";

    /**
     * One step of the lesson: its title, what its button does ({@link Action}), what to look at,
     * and its explanation.
     */
    public record Step(String title, Action action, String lookAt, String text) {
    }

    /** A step's action: a verb ({@code victim}, {@code steal}, {@code compare}, {@code server}, {@code none}) and its parameters. */
    public record Action(String verb, Map<String, String> params) {
        public static final List<String> VERBS = List.of("victim", "steal", "compare", "server", "none");

        /** Parses {@code steal loss=mse epochs=16}; throws with the reason if it is not an action. */
        public static Action parse(String s) {
            String[] words = s.trim().split("\\s+");
            if (!VERBS.contains(words[0])) {
                throw new IllegalArgumentException("unknown action '" + words[0] + "' (one of " + String.join(", ", VERBS) + ")");
            }
            Map<String, String> p = new TreeMap<>();
            for (int i = 1; i < words.length; i++) {
                int eq = words[i].indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("'" + words[i] + "' is not name=value");
                }
                p.put(words[i].substring(0, eq), words[i].substring(eq + 1));
            }
            return new Action(words[0], Map.copyOf(p));
        }

        /** What the step's button says. */
        public String buttonText() {
            switch (verb) {
                case "victim":
                    return "Show the victim";
                case "steal":
                    return "Steal with " + params.getOrDefault("loss", "the loss") + (params.containsKey("defenses") ? " against "
                            + params.get("defenses") : "");
                case "compare":
                    return "Compare the runs";
                case "server":
                    return "Open the server";
                default:
                    return "";
            }
        }
    }

    private TeachingTexts() {
    }

    /** The lesson's title (its first {@code # } heading) and steps. */
    public record Lesson(String title, List<Step> steps) {
    }

    public static Lesson lesson() {
        return parseLesson(read("lesson.md"));
    }

    /** Term -> explanation, in the file's order. */
    public static Map<String, String> glossary() {
        Map<String, String> out = new LinkedHashMap<>();
        sections(read("glossary.md")).forEach((title, body) -> out.put(title, String.join(" ", body).trim()));
        return out;
    }

    /** Control id -> tooltip text. */
    public static Map<String, String> tooltips() {
        Properties p = new Properties();
        try (InputStream in = open("tooltips.properties"); Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> out = new TreeMap<>();
        p.forEach((k, v) -> out.put(k.toString(), v.toString().trim()));
        return out;
    }

    static Lesson parseLesson(String text) {
        String title = text.lines().filter(l -> l.startsWith("# ")).map(l -> l.substring(2).trim()).findFirst().orElse("Lesson");
        List<Step> steps = new ArrayList<>();
        sections(text).forEach((heading, body) -> {
            Action action = null;
            String look = "";
            List<String> words = new ArrayList<>();
            for (String line : body) {
                if (line.startsWith("Action:")) {
                    action = Action.parse(line.substring("Action:".length()));
                } else if (line.startsWith("Look at:")) {
                    look = line.substring("Look at:".length()).trim();
                } else {
                    words.add(line);
                }
            }
            if (action == null) {
                throw new IllegalArgumentException("lesson step '" + heading + "' has no 'Action:' line");
            }
            steps.add(new Step(heading, action, look, String.join(" ", words).trim()));
        });
        return new Lesson(title, List.copyOf(steps));
    }

    /** {@code ## } headings and the non-blank lines under each. */
    private static Map<String, List<String>> sections(String text) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : text.split("\\R")) {
            if (line.startsWith("## ")) {
                current = new ArrayList<>();
                out.put(line.substring(3).trim(), current);
            } else if (current != null && !line.isBlank()) {
                current.add(line.trim());
            }
        }
        return out;
    }

    private static String read(String name) {
        try (InputStream in = open(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream open(String name) throws IOException {
        InputStream in = TeachingTexts.class.getResourceAsStream(BASE + name);
        if (in == null) {
            throw new IOException("missing " + BASE + name + " on the classpath (resources/teaching/" + name + " in the project)");
        }
        return in;
    }
}
