package org.stealbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train-victim and evaluate end to end on a tiny run. */
class VictimCommandsTest {

    @TempDir
    Path tmp;

    @Test
    void trainThenEvaluate() throws Exception {
        Path out = tmp.resolve("victim");
        DatasetsCommandTest.Result r = DatasetsCommandTest.run("train-victim", "--dataset", "digits", "--train-images", "96",
                "--epochs", "1", "--batch", "32", "--image-size", "16", "--out", out.toString(), "--data-dir", tmp.toString());
        assertEquals(0, r.code(), r.err());
        for (String f : new String[] {"victim.zip", "config.json", "provenance.json", "results.json", "metrics.csv"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        String prov = Files.readString(out.resolve("provenance.json"));
        assertTrue(prov.contains("wallSeconds") && prov.contains("imagesThroughEncoder") && prov.contains("CpuBackend")
                && prov.contains("\"stealbench train-victim --dataset digits"), prov);
        assertTrue(Files.notExists(out.resolve("checkpoint.zip")), "the checkpoint goes once the victim is written");
        try (var left = Files.list(tmp)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith(".tmp-")), "no temporary folder is left");
        }
        assertEquals(Files.getPosixFilePermissions(Files.createDirectory(tmp.resolve("plain"))), Files.getPosixFilePermissions(out),
                "the results folder has the user's normal permissions");
        DatasetsCommandTest.Result again = DatasetsCommandTest.run("train-victim", "--dataset", "digits", "--train-images", "96",
                "--epochs", "1", "--batch", "32", "--image-size", "16", "--out", out.toString(), "--data-dir", tmp.toString());
        assertEquals(1, again.code());
        assertTrue(again.err().contains("already holds a trained victim"), again.err());
        Path table = tmp.resolve("table.md");
        DatasetsCommandTest.Result e = DatasetsCommandTest.run("evaluate", "--encoder", out.resolve("victim.zip").toString(),
                "--tasks", "digits", "--fidelity-to", out.resolve("victim.zip").toString(), "--out", table.toString());
        assertEquals(0, e.code(), e.err());
        String md = Files.readString(table);
        assertTrue(md.contains("| victim.zip |") && md.contains("watermark acc"), md);
        assertTrue(md.contains(" 1.000 | 1.000 |"), "an encoder's fidelity to itself is 1: " + md);
        assertTrue(e.out().contains("victim's data: digits@bundled (96 training images"), e.out());
        DatasetsCommandTest.Result bad = DatasetsCommandTest.run("evaluate", "--encoder", tmp.resolve("nope.zip").toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().startsWith("error: ") && bad.err().contains("nope.zip"), bad.err());
    }
}
