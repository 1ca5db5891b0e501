package org.stealbench.experiment;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.stealbench.data.format.DataFiles;

/**
 * The one writer of results folders, for thefts and victim training alike: the files go into a
 * hidden temporary folder beside the target, which is renamed to the target when every file is
 * written, so a reader never sees a half-written result. The temporary folder is created like any
 * other folder (the user's umask applies; no private 0700 mode) and carries the writing process's
 * id, so {@link #removeStale} can tell an abandoned write (its process is gone) from one in
 * progress in another process.
 */
public final class ResultsFolder {

    public static final String TMP_PREFIX = ".tmp-";

    private ResultsFolder() {
    }

    /** Writes {@code files} (name -> content) as a new folder {@code root/name}, or name-2, name-3... if taken; returns it. */
    public static Path create(Path root, String name, Map<String, DataFiles.Writer> files) throws IOException {
        Files.createDirectories(root);
        Path tmp = fill(root, name, files);
        for (int k = 1; ; k++) {
            Path target = root.resolve(k == 1 ? name : name + "-" + k);
            if (Files.exists(target)) {
                continue;
            }
            try {
                move(tmp, target);
                return target;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // taken meanwhile by another writer: try the next name
            } catch (IOException | RuntimeException e) {
                ExperimentRunner.deleteTree(tmp);
                throw e;
            }
        }
    }

    /** Writes {@code files} as exactly {@code target}, which must not exist (or be an empty folder). */
    public static Path createAt(Path target, Map<String, DataFiles.Writer> files) throws IOException {
        target = target.toAbsolutePath().normalize();
        if (Files.isDirectory(target)) {
            try (var s = Files.list(target)) {
                if (s.findAny().isPresent()) {
                    throw new IOException(target + " exists and is not empty; choose another folder");
                }
            }
            Files.delete(target);
        } else if (Files.exists(target)) {
            throw new IOException(target + " exists and is not a folder");
        }
        Files.createDirectories(target.getParent());
        Path tmp = fill(target.getParent(), target.getFileName().toString(), files);
        try {
            move(tmp, target);
            return target;
        } catch (IOException | RuntimeException e) {
            ExperimentRunner.deleteTree(tmp);
            throw e;
        }
    }

    private static Path fill(Path parent, String name, Map<String, DataFiles.Writer> files) throws IOException {
        Path tmp = parent.resolve(TMP_PREFIX + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8) + "-" + name);
        Files.createDirectory(tmp);
        try {
            for (Map.Entry<String, DataFiles.Writer> f : files.entrySet()) {
                try (var out = Files.newOutputStream(tmp.resolve(f.getKey()))) {
                    f.getValue().write(out);
                }
            }
            return tmp;
        } catch (IOException | RuntimeException e) {
            ExperimentRunner.deleteTree(tmp);
            throw e;
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    /**
     * Removes the temporary folders under {@code root} that a killed process left behind (those of
     * live processes stay); returns what it removed.
     */
    public static List<Path> removeStale(Path root) {
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return removed;
        }
        try (var s = Files.list(root)) {
            for (Path p : s.filter(Files::isDirectory).sorted(Comparator.naturalOrder()).toList()) {
                String n = p.getFileName().toString();
                if (!n.startsWith(TMP_PREFIX) || writerAlive(n)) {
                    continue;
                }
                try {
                    ExperimentRunner.deleteTree(p);
                    removed.add(p);
                } catch (IOException e) {
                    // another process removed it first, or it cannot be removed: leave it
                }
            }
        } catch (IOException e) {
            return removed;
        }
        return removed;
    }

    /** True when the folder name carries the id of a process that is still running (other than a stale one of ours). */
    private static boolean writerAlive(String name) {
        String rest = name.substring(TMP_PREFIX.length());
        int dash = rest.indexOf('-');
        if (dash <= 0) {
            return false;
        }
        try {
            long pid = Long.parseLong(rest.substring(0, dash));
            // this process never leaves a folder of its own behind while running: any of ours is being written now
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
