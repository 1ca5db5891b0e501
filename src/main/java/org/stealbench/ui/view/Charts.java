package org.stealbench.ui.view;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.SVGUtils;

/** Builds the workbench's charts in one readable style (large type for projectors) and exports them. */
public final class Charts {

    /** Series colours: stolen copy, victim, independent, further series. */
    public static final Color[] PALETTE = {new Color(0xd35400), new Color(0x1f3b57), new Color(0x7f8c8d), new Color(0x2e8b57),
            new Color(0x8e44ad), new Color(0xc0392b), new Color(0x2d6a8f), new Color(0xd4ac0d)};
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

    private Charts() {
    }

    /** What a {@link #reference} line stands for: each its own colour and dash, so that no two look alike. */
    public enum Reference {
        /** The victim itself: dark blue, long dashes. */
        VICTIM(new Color(0x1f3b57), new float[] {10f, 5f}, 2f),
        /** An independently trained encoder: green, dash-dot. */
        INDEPENDENT(new Color(0x2e8b57), new float[] {12f, 4f, 2f, 4f}, 2f),
        /** A random encoder (the floor): grey, short dashes. */
        RANDOM(new Color(0x7f8c8d), new float[] {5f, 4f}, 2f),
        /** Chance: light grey, dotted, thin. */
        CHANCE(new Color(0x9a9a9a), new float[] {2f, 4f}, 1.5f);

        final Color colour;
        final float[] dash;
        final float width;

        Reference(Color colour, float[] dash, float width) {
            this.colour = colour;
            this.dash = dash;
            this.width = width;
        }
    }

    /**
     * A line chart of epochs against a value. {@code percent}: the y axis is a percentage from 0 to
     * 100% (the label says "from 0"), so that small differences are not blown up; otherwise it spans the
     * data, but at least a small range, so that one point does not repeat its tick label.
     */
    public static JFreeChart line(String title, String xLabel, String yLabel, XYSeriesCollection data, boolean percent) {
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, percent ? yLabel + " (from 0)" : yLabel, data,
                PlotOrientation.VERTICAL, true, true, false);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < PALETTE.length; i++) {
            r.setSeriesPaint(i, PALETTE[i]);
            r.setSeriesStroke(i, new BasicStroke(2.5f));
        }
        plot.setRenderer(r);
        NumberAxis y = (NumberAxis) plot.getRangeAxis();
        y.setAutoRangeIncludesZero(false);
        if (percent) {
            y.setRange(0, 1.0);
            y.setNumberFormatOverride(new java.text.DecimalFormat("0%"));
        } else {
            y.setAutoRangeMinimumSize(1e-3);
        }
        ((NumberAxis) plot.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        style(chart);
        return chart;
    }

    /** A line chart whose series carry an interval (mean with a band: {@link org.jfree.data.xy.YIntervalSeriesCollection}). */
    public static JFreeChart band(String title, String xLabel, String yLabel, org.jfree.data.xy.YIntervalSeriesCollection data) {
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true, true, false);
        org.jfree.chart.renderer.xy.DeviationRenderer r = new org.jfree.chart.renderer.xy.DeviationRenderer(true, true);
        r.setAlpha(0.18f);
        chart.getXYPlot().setRenderer(r);
        ((NumberAxis) chart.getXYPlot().getRangeAxis()).setAutoRangeIncludesZero(false);
        ((NumberAxis) chart.getXYPlot().getRangeAxis()).setAutoRangeMinimumSize(1e-3);
        ((NumberAxis) chart.getXYPlot().getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        style(chart);
        return chart;
    }

    /** Draws series {@code index} of an XY chart as a reference line without points, in the style of {@code kind}. */
    public static void reference(JFreeChart chart, int index, Reference kind) {
        XYLineAndShapeRenderer r = (XYLineAndShapeRenderer) chart.getXYPlot().getRenderer();
        r.setSeriesPaint(index, kind.colour);
        r.setSeriesShapesVisible(index, false);
        r.setSeriesStroke(index, new BasicStroke(kind.width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, kind.dash, 0f));
    }

    /** A grouped bar chart (rows = groups in the legend, columns = categories on the axis). */
    public static JFreeChart bars(String title, String yLabel, CategoryDataset data) {
        JFreeChart chart = ChartFactory.createBarChart(title, null, yLabel, data, PlotOrientation.VERTICAL, true, true, false);
        CategoryPlot plot = chart.getCategoryPlot();
        BarRenderer r = (BarRenderer) plot.getRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setItemMargin(0.05);
        for (int i = 0; i < PALETTE.length; i++) {
            r.setSeriesPaint(i, PALETTE[(i + 1) % PALETTE.length]);
        }
        ((NumberAxis) plot.getRangeAxis()).setRange(0, 1.0);
        plot.getDomainAxis().setCategoryLabelPositions(org.jfree.chart.axis.CategoryLabelPositions.UP_45);
        plot.getDomainAxis().setMaximumCategoryLabelWidthRatio(2f);
        ((NumberAxis) plot.getRangeAxis()).setNumberFormatOverride(java.text.NumberFormat.getPercentInstance());
        plot.setRangeGridlinePaint(new Color(0xcccccc));
        plot.setBackgroundPaint(Color.WHITE);
        style(chart);
        return chart;
    }

    private static void style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.getTitle().setFont(TITLE);
        chart.setAntiAlias(true);
        if (chart.getLegend() != null) {
            chart.getLegend().setItemFont(LABEL);
            chart.getLegend().setFrame(org.jfree.chart.block.BlockBorder.NONE);
        }
        if (chart.getPlot() instanceof XYPlot p) {
            p.setBackgroundPaint(Color.WHITE);
            p.setDomainGridlinePaint(new Color(0xdddddd));
            p.setRangeGridlinePaint(new Color(0xdddddd));
            p.getDomainAxis().setLabelFont(LABEL);
            p.getRangeAxis().setLabelFont(LABEL);
            p.getDomainAxis().setTickLabelFont(LABEL);
            p.getRangeAxis().setTickLabelFont(LABEL);
        } else if (chart.getPlot() instanceof CategoryPlot p) {
            p.getDomainAxis().setTickLabelFont(LABEL);
            p.getRangeAxis().setTickLabelFont(LABEL);
            p.getRangeAxis().setLabelFont(LABEL);
        }
    }

    /** Writes the chart as PNG or SVG (by the file's extension), atomically. */
    public static void export(JFreeChart chart, Path file, int width, int height) throws IOException {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".export-", ".tmp");
        try {
            if (name.endsWith(".svg")) {
                SVGGraphics2D g = new SVGGraphics2D(width, height);
                chart.draw(g, new Rectangle(width, height));
                SVGUtils.writeToSVG(tmp.toFile(), g.getSVGElement());
            } else {
                ChartUtils.saveChartAsPNG(tmp.toFile(), chart, width, height);
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
