package org.stealbench.ui.view;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.jfree.chart.JFreeChart;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Charts export as real PNG and SVG files, written atomically (no temporary file left). */
class ChartsTest {

    @TempDir
    Path tmp;

    @Test
    void exportsPngAndSvg() throws Exception {
        XYSeries s = new XYSeries("stolen copy");
        s.add(1, 0.7);
        s.add(2, 0.8);
        JFreeChart chart = Charts.line("Accuracy", "epoch", "accuracy", new XYSeriesCollection(s), true);
        Path png = tmp.resolve("chart.png");
        Path svg = tmp.resolve("chart.svg");
        Charts.export(chart, png, 400, 300);
        Charts.export(chart, svg, 400, 300);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(Files.readAllBytes(png), 4));
        String text = Files.readString(svg);
        assertTrue(text.contains("<svg") && text.contains("Accuracy"), text.substring(0, Math.min(200, text.length())));
        try (var files = Files.list(tmp)) {
            assertTrue(files.allMatch(p -> p.equals(png) || p.equals(svg)), "no temporary file left");
        }
    }
}
