package org.stealbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.stealbench.model.NativeBackend;
import org.stealbench.model.nn.NativeArrays;
import picocli.CommandLine;

/** The engine loads ahead of the commands that run it, and of those only. */
class PreloadTest {

    private static Thread preload(String... args) {
        return StealBenchCommand.preloadFor(StealBenchCommand.commandLine().parseArgs(args));
    }

    @Test
    void onlyCommandsThatRunTheEngineLoadItAhead() throws InterruptedException {
        NativeBackend.configure();
        assertNull(preload("datasets"), "listing datasets needs no engine");
        assertNull(preload("schema"), "nor does writing the schema");
        assertNull(preload("steal", "--help"), "nor a command's help");
        assertNull(preload("--version"));
        long before = NativeArrays.openArrays();
        Thread t = preload("steal", "--loss", "mse");
        assertNotNull(t, "a theft loads the engine ahead");
        assertEquals("stealbench-preload", t.getName());
        assertTrue(t.isDaemon(), "it never keeps the JVM alive");
        t.join(120_000);
        assertTrue(!t.isAlive(), "loading ends");
        assertEquals(before, NativeArrays.openArrays(), "the warm-up leaves no counted array open");
        assertNotNull(preload("compare-losses", "--out", "x"), "nor does a loss comparison wait for it");
    }

    @Test
    void theCommandLineStillRunsItsCommand() {
        // the execution strategy that starts the loading hands the parse result on to picocli's own
        CommandLine cl = StealBenchCommand.commandLine();
        java.io.StringWriter out = new java.io.StringWriter();
        cl.setOut(new java.io.PrintWriter(out));
        assertEquals(0, cl.execute("steal", "--help"));
        assertTrue(out.toString().contains("Steal the victim through its API"), out.toString());
    }
}
