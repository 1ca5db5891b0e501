package org.stealbench.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process's memory as Linux reports it in {@code /proc/PID/smaps_rollup}: the proportional set
 * size (PSS: resident pages, shared ones split between their users) and the resident set size
 * (RSS). PSS is the figure to watch under ZGC, which maps its heap several times over, so RSS
 * counts the same pages up to three times.
 */
public record ProcessMemory(long pssBytes, long rssBytes) {

    /** This JVM's memory, if the system reports it (Linux). */
    public static Optional<ProcessMemory> self() {
        return of(ProcessHandle.current().pid());
    }

    /** Process {@code pid}'s memory, if the system reports it (Linux) and the process is alive. */
    public static Optional<ProcessMemory> of(long pid) {
        Path f = Path.of("/proc", Long.toString(pid), "smaps_rollup");
        try {
            long pss = -1;
            long rss = -1;
            for (String line : Files.readAllLines(f)) {
                if (line.startsWith("Pss:")) {
                    pss = kilobytes(line) * 1024;
                } else if (line.startsWith("Rss:")) {
                    rss = kilobytes(line) * 1024;
                }
            }
            return pss < 0 || rss < 0 ? Optional.empty() : Optional.of(new ProcessMemory(pss, rss));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static long kilobytes(String line) {
        String[] parts = line.trim().split("\\s+");
        return Long.parseLong(parts[1]);
    }

    public double pssMiB() {
        return pssBytes / 1048576.0;
    }

    public double rssMiB() {
        return rssBytes / 1048576.0;
    }
}
