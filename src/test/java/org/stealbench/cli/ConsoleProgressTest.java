package org.stealbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The bar's console output: each state written once, whether the refresh thread or the close renders it. */
class ConsoleProgressTest {

    @Test
    void aRenderIdenticalToThePreviousOneIsNotWrittenAgainUnlessALineClearedTheBar() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ConsoleProgress.Deduplicating consumer = new ConsoleProgress.Deduplicating(out);
        consumer.accept("steal 100% done");
        // the close renders the final state the refresh thread has just written
        consumer.accept("steal 100% done");
        assertEquals(1, count(bytes.toString(StandardCharsets.UTF_8), "steal 100% done"));
        consumer.accept("steal 99% writing");
        consumer.accept("steal 100% done");
        assertEquals(2, count(bytes.toString(StandardCharsets.UTF_8), "steal 100% done"));
        // a line printed above the bar clears it: the same state is drawn again below that line
        consumer.forget();
        consumer.accept("steal 100% done");
        assertEquals(3, count(bytes.toString(StandardCharsets.UTF_8), "steal 100% done"));
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
