package org.stealbench.ui.view;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
    void accuracyAxesStartAtZeroOnePointKeepsDistinctTicksAndReferenceLinesDiffer() {
        XYSeries acc = new XYSeries("stolen copy");
        acc.add(1, 0.824);
        acc.add(2, 0.826);
        JFreeChart a = Charts.line("Accuracy", "epoch", "accuracy", new XYSeriesCollection(acc), true);
        org.jfree.chart.axis.ValueAxis y = a.getXYPlot().getRangeAxis();
        assertEquals(0, y.getLowerBound(), 0);
        assertEquals(1, y.getUpperBound(), 0);
        assertTrue(y.getLabel().contains("(from 0)"), y.getLabel());

        // one point: the axis spans a range whose tick labels differ (not 0.0500, 0.0500, ...)
        XYSeries one = new XYSeries("loss");
        one.add(1, 0.05);
        JFreeChart l = Charts.line("Loss", "epoch", "loss", new XYSeriesCollection(one), false);
        l.createBufferedImage(400, 300);
        org.jfree.chart.axis.NumberAxis ly = (org.jfree.chart.axis.NumberAxis) l.getXYPlot().getRangeAxis();
        assertTrue(ly.getRange().getLength() >= 1e-3, ly.getRange().toString());
        java.util.Set<String> labels = new java.util.HashSet<>();
        int ticks = 0;
        for (double v = ly.getTickUnit().getSize() * Math.ceil(ly.getLowerBound() / ly.getTickUnit().getSize()); v <= ly.getUpperBound();
             v += ly.getTickUnit().getSize()) {
            labels.add(ly.getTickUnit().valueToString(v));
            ticks++;
        }
        assertTrue(ticks >= 2, "ticks " + ticks);
        assertEquals(ticks, labels.size(), "repeated tick labels " + labels);

        // victim, independent encoder, random encoder and chance each have their own colour and dash
        XYSeriesCollection refs = new XYSeriesCollection();
        for (String n : new String[] {"copy", "victim", "independent", "random", "chance"}) {
            XYSeries s = new XYSeries(n);
            s.add(1, 0.5);
            refs.addSeries(s);
        }
        JFreeChart w = Charts.line("Watermark", "epoch", "accuracy", refs, true);
        Charts.Reference[] kinds = Charts.Reference.values();
        for (int i = 0; i < kinds.length; i++) {
            Charts.reference(w, i + 1, kinds[i]);
        }
        var r = w.getXYPlot().getRenderer();
        java.util.Set<String> styles = new java.util.HashSet<>();
        for (int i = 1; i <= kinds.length; i++) {
            java.awt.BasicStroke st = (java.awt.BasicStroke) r.getSeriesStroke(i);
            styles.add(r.getSeriesPaint(i) + Arrays.toString(st.getDashArray()));
        }
        assertEquals(kinds.length, styles.size(), "two reference lines look alike");
    }

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
