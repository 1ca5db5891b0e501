package org.stealbench.experiment;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.stealbench.model.NativeBackend;

/**
 * Where, with what and how a run was made (after Tribuo's provenance): the machine, operating
 * system, Java, StealBench and ND4J versions, the git commit of the checkout when there is one,
 * the backend and device, the seeds, wall time per phase, queries answered and refused, images
 * through the encoder, the command, and when it started and finished. Part of every results.json.
 */
public record RunProvenance(String kind, String command, String machine, String os, String javaRuntime, String stealbenchVersion,
                            String nd4jVersion, String gitCommit, Map<String, String> backend, String device, long seed, long protocolSeed,
                            String started, String finished, Map<String, Double> phaseSeconds, long queriesAnswered, long queriesRefused,
                            long imagesProcessed) {

    public RunProvenance {
        backend = backend == null ? Map.of() : Map.copyOf(backend);
        phaseSeconds = phaseSeconds == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(phaseSeconds));
    }

    /**
     * Times a run's phases as it goes: {@link #phase} closes the current phase and opens the next;
     * {@link #finish} closes the last and builds the record.
     */
    public static final class Recorder {
        private final String kind;
        private final String command;
        private final long seed;
        private final long protocolSeed;
        private final Instant started = Instant.now();
        private final Map<String, Double> phases = new LinkedHashMap<>();
        private String current;
        private long since = System.nanoTime();

        public Recorder(String kind, String command, long seed, long protocolSeed) {
            this.kind = kind;
            this.command = command;
            this.seed = seed;
            this.protocolSeed = protocolSeed;
        }

        /** Starts phase {@code name} (a phase seen before adds to its time). */
        public synchronized void phase(String name) {
            close();
            current = name;
        }

        private void close() {
            long now = System.nanoTime();
            if (current != null) {
                phases.merge(current, Math.round((now - since) / 1e8) / 10.0, Double::sum);
            }
            since = now;
        }

        public synchronized RunProvenance finish(long answered, long refused, long images) {
            close();
            current = null;
            return new RunProvenance(kind, command, hostName(), System.getProperty("os.name") + " " + System.getProperty("os.version") + " ("
                    + System.getProperty("os.arch") + ")", System.getProperty("java.vendor") + " " + System.getProperty("java.version"),
                    BUILD.getProperty("stealbench.version", "unknown"), BUILD.getProperty("dl4j.version", "unknown"), currentGitCommit(),
                    NativeBackend.describe(), currentDevice(), seed, protocolSeed, started.toString(), Instant.now().toString(), phases, answered,
                    refused, images);
        }
    }

    private static final Properties BUILD = new Properties();

    static {
        try (InputStream in = RunProvenance.class.getResourceAsStream("/org/stealbench/build.properties")) {
            if (in != null) {
                BUILD.load(in);
            }
        } catch (IOException e) {
            // no build facts: the versions read "unknown"
        }
    }

    /** The device the engine computes on, in words (the CPU model, or the GPU), as the backend choice found it. */
    static String currentDevice() {
        org.nd4j.linalg.factory.Nd4j.getBackend();
        return NativeBackend.decision().device();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The commit of the StealBench checkout this runs from (stealbench.home/.git), or null outside a git checkout. */
    static String currentGitCommit() {
        Path git = Path.of(System.getProperty("stealbench.home", ".")).resolve(".git");
        try {
            if (!Files.isDirectory(git)) {
                return null;
            }
            String head = Files.readString(git.resolve("HEAD"), StandardCharsets.UTF_8).trim();
            if (!head.startsWith("ref: ")) {
                return head;
            }
            String ref = head.substring(5);
            Path loose = git.resolve(ref);
            if (Files.isRegularFile(loose)) {
                return Files.readString(loose, StandardCharsets.UTF_8).trim();
            }
            Path packed = git.resolve("packed-refs");
            if (Files.isRegularFile(packed)) {
                for (String line : Files.readAllLines(packed, StandardCharsets.UTF_8)) {
                    if (line.endsWith(" " + ref)) {
                        return line.substring(0, line.indexOf(' '));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }
}
