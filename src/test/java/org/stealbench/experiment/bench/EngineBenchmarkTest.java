package org.stealbench.experiment.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

/** The engine suite reads the worker's profile lines, layer names with spaces included. */
class EngineBenchmarkTest {

    @Test
    void profileLinesKeepWholeLayerNames() {
        Matcher plain = EngineBenchmark.PROFILE_LINE.matcher("PROFILE Conv2d 15.13 39.78");
        assertTrue(plain.matches());
        assertEquals("Conv2d", plain.group(1));
        Matcher fused = EngineBenchmark.PROFILE_LINE.matcher("PROFILE BatchNorm+MaxPool2d+Relu (fused) 11.46 19.64");
        assertTrue(fused.matches());
        assertEquals("BatchNorm+MaxPool2d+Relu (fused)", fused.group(1));
        assertEquals("11.46", fused.group(2));
        assertEquals("19.64", fused.group(3));
    }
}
