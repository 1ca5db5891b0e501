package org.stealbench.ui.view;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Paint;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.value.ChangeListener;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.annotations.XYLineAnnotation;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.stealbench.experiment.ExperimentEvent;
import org.stealbench.ui.model.RunViewModel;

/**
 * The embedding view: the victim's and the copy's representations of the same held-out images on
 * the victim's two principal components, coloured by class (victim filled, copy hollow), a line
 * joining each image's two points; redrawn after every measured epoch, so the copy can be watched
 * moving onto the victim.
 */
public final class EmbeddingView extends VBox {

    private final ObjectProperty<RunViewModel> item = new SimpleObjectProperty<>();
    private final XYSeries victim = new XYSeries("victim", false, true);
    private final XYSeries copy = new XYSeries("copy", false, true);
    private final JFreeChart chart;
    private final Label note = new Label();
    private int[] labels = new int[0];
    private int drawnEpoch = -1;

    public EmbeddingView() {
        setSpacing(6);
        setPadding(new Insets(10));
        setId("embeddingView");
        Label head = new Label("Embedding: the copy moving onto the victim");
        head.getStyleClass().add("section");
        note.getStyleClass().add("note");
        note.setWrapText(true);
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(victim);
        data.addSeries(copy);
        chart = ChartFactory.createScatterPlot("", "victim's 1st principal component", "2nd principal component", data, PlotOrientation.VERTICAL,
                true, true, false);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true) {
            @Override
            public Paint getItemPaint(int series, int i) {
                return i < labels.length ? classColour(labels[i]) : Color.GRAY;
            }
        };
        r.setSeriesShape(0, new Ellipse2D.Double(-3.5, -3.5, 7, 7));
        r.setSeriesShape(1, new Rectangle2D.Double(-3, -3, 6, 6));
        r.setSeriesShapesFilled(0, true);
        r.setSeriesShapesFilled(1, false);
        r.setUseOutlinePaint(false);
        r.setDrawOutlines(true);
        r.setSeriesStroke(1, new BasicStroke(1.2f));
        plot.setRenderer(r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xeeeeee));
        plot.setRangeGridlinePaint(new Color(0xeeeeee));
        ChartViewer viewer = new ChartViewer(chart);
        viewer.setId("embeddingChart");
        VBox.setVgrow(viewer, Priority.ALWAYS);
        getChildren().addAll(head, note, viewer);
        ChangeListener<ExperimentEvent.Embedding> onEmbedding = (o, a, e) -> draw(e);
        item.addListener((o, old, now) -> {
            if (old != null) {
                old.lastEmbeddingProperty().removeListener(onEmbedding);
            }
            if (now != null) {
                now.lastEmbeddingProperty().addListener(onEmbedding);
                draw(now.lastEmbeddingProperty().get());
            } else {
                draw(null);
            }
        });
        draw(null);
    }

    /** The run shown (bound to the run list's selection). */
    public ObjectProperty<RunViewModel> itemProperty() {
        return item;
    }

    /** The epoch drawn (from 1; 0 before the first measurement). */
    public int drawnEpoch() {
        return drawnEpoch + 1;
    }

    /** Points drawn: victim, copy. */
    public int[] points() {
        return new int[] {victim.getItemCount(), copy.getItemCount()};
    }

    public JFreeChart chart() {
        return chart;
    }

    private void draw(ExperimentEvent.Embedding e) {
        XYPlot plot = chart.getXYPlot();
        victim.clear();
        copy.clear();
        plot.clearAnnotations();
        if (e == null) {
            drawnEpoch = -1;
            labels = new int[0];
            note.setText("A theft with live metrics draws here after its first measured epoch: the same held-out images through the "
                    + "victim (filled) and the copy (hollow), projected on the victim's two principal components, one colour per class, "
                    + "a grey line from each image's copy point to its victim point.");
            chart.setTitle("");
            return;
        }
        labels = e.labels();
        int n = labels.length;
        victim.setNotify(false);
        copy.setNotify(false);
        double gap = 0;
        for (int i = 0; i < n; i++) {
            double vx = e.victim()[2 * i];
            double vy = e.victim()[2 * i + 1];
            double cx = e.copy()[2 * i];
            double cy = e.copy()[2 * i + 1];
            victim.add(vx, vy);
            copy.add(cx, cy);
            plot.addAnnotation(new XYLineAnnotation(cx, cy, vx, vy, new BasicStroke(0.6f), new Color(0, 0, 0, 40)), false);
            gap += Math.hypot(cx - vx, cy - vy);
        }
        victim.setNotify(true);
        copy.setNotify(true);
        drawnEpoch = e.epoch();
        List<String> names = e.classNames();
        LegendItemCollection legend = new LegendItemCollection();
        legend.add(new LegendItem("victim (filled)", null, null, null, new Ellipse2D.Double(-4, -4, 8, 8), Color.DARK_GRAY));
        legend.add(new LegendItem("copy (hollow)", null, null, null, true, new Rectangle2D.Double(-4, -4, 8, 8), false, Color.DARK_GRAY,
                true, Color.DARK_GRAY, new BasicStroke(1.2f), false, new java.awt.geom.Line2D.Double(), new BasicStroke(), Color.BLACK));
        for (int c = 0; c < names.size(); c++) {
            legend.add(new LegendItem(names.get(c), classColour(c)));
        }
        plot.setFixedLegendItems(legend);
        chart.setTitle(String.format(Locale.ROOT, "After epoch %d: mean distance from copy to victim %.3f", e.epoch() + 1, gap / Math.max(1, n)));
        chart.getTitle().setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 14));
        note.setText(String.format(Locale.ROOT, "%d held-out images of the victim's data, each twice: through the victim (filled) and the "
                + "copy (hollow), each representation scaled to length 1 (they are compared by direction), on the victim's two principal "
                + "components; the grey lines shorten as the copy learns.", n));
        plot.datasetChanged(new org.jfree.data.general.DatasetChangeEvent(this, plot.getDataset()));
    }

    /** Ten distinct class colours. */
    private static final Color[] CLASS_COLOURS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};

    /** A class's colour (ten distinct ones, then repeating); called for every point drawn. */
    static Color classColour(int c) {
        return CLASS_COLOURS[Math.floorMod(c, CLASS_COLOURS.length)];
    }
}
