package org.stealbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DatasetsCommandTest {

    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        CommandLine cl = StealBenchCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void listsTheBundledDatasetsAndWhatIsMissing() {
        Result r = run("datasets", "--data-dir", tmp.toString());
        assertEquals(0, r.code(), r.err());
        for (String id : new String[] {"fashion-mnist", "mnist", "digits"}) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(id + " ") && l.contains("bundled*")), id + ":\n" + r.out());
        }
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("shapes ") && l.contains("generated*") && l.contains("10000")));
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("fashion-mnist ") && l.contains("20000") && l.contains("10000")));
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("cifar10 ") && l.contains("not found")));
    }

    @Test
    void showWritesALabelledPng() throws Exception {
        Path png = tmp.resolve("grid.png");
        Result r = run("datasets", "show", "digits", "--out", png.toString(), "--per-class", "4");
        assertEquals(0, r.code(), r.err());
        var img = ImageIO.read(png.toFile());
        assertTrue(img.getWidth() > 300 && img.getHeight() > 300, img.getWidth() + "x" + img.getHeight());
    }

    @Test
    void errorsAreOneReadableLineWithoutAStackTrace() {
        Result r = run("datasets", "show", "imagenet", "--out", tmp.resolve("x.png").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("error: unknown dataset 'imagenet'; known: fashion-mnist"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertFalse(Files.exists(tmp.resolve("x.png")));
        Result missing = run("datasets", "show", "cifar10", "--out", tmp.resolve("x.png").toString(), "--data-dir", tmp.toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("not found; looked in") && missing.err().contains(tmp.resolve("cifar10").toString()), missing.err());
        Result usage = run("datasets", "show");
        assertEquals(2, usage.code());
    }
}
