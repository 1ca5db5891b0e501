package org.stealbench.ui.view;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.value.ChangeListener;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.RowConstraints;
import javafx.scene.layout.VBox;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.stealbench.experiment.ExperimentEvent;
import org.stealbench.ui.model.RunViewModel;

/**
 * The selected job, live: its progress, time and queries, and four charts that grow as epochs
 * finish: training loss; downstream kNN accuracy of the copy against the victim's; fidelity
 * (cosine similarity to the victim) against a random encoder's floor; and the watermark:
 * rotation accuracy of the copy through the victim's MLP, with the victim, an independent
 * encoder and the 50% chance line, and the binomial test's verdict at the end.
 */
public final class LiveView extends VBox {

    private final ObjectProperty<RunViewModel> item = new SimpleObjectProperty<>();
    private final Label title = new Label("No run selected: set up an experiment on the left and press Run (Ctrl+R).");
    private final Label phase = new Label();
    private final ProgressBar progress = new ProgressBar(0);
    private final Label timing = new Label();
    private final Label queries = new Label();
    private final Label message = new Label();
    private final Label verdict = new Label();
    private final Label cost = new Label();
    private final AttackerStrip attacker = new AttackerStrip();
    private final javafx.scene.control.ListView<String> logList = new javafx.scene.control.ListView<>();
    private final javafx.scene.control.TitledPane logPane = new javafx.scene.control.TitledPane("Run log", logList);
    private final Button cancel = new Button("Cancel");
    private final Button details = new Button("Details...");

    private final XYSeries loss = new XYSeries("training loss");
    private final XYSeries knn = new XYSeries("stolen copy");
    private final XYSeries cosine = new XYSeries("stolen copy");
    private final XYSeries watermark = new XYSeries("stolen copy");
    // reference lines, drawn as dashed series so that the axes always include them
    private final XYSeries victimKnn = new XYSeries("victim");
    private final XYSeries victimCosine = new XYSeries("victim itself");
    private final XYSeries floorCosine = new XYSeries("random encoder");
    private final XYSeries victimWatermark = new XYSeries("victim");
    private final XYSeries otherWatermark = new XYSeries("independent encoder");
    private final XYSeries chance = new XYSeries("chance");
    private final JFreeChart lossChart = Charts.line("Training loss", "epoch", "loss", new XYSeriesCollection(loss), false);
    private final JFreeChart knnChart = Charts.line("Downstream accuracy (kNN, live subset)", "epoch", "accuracy",
            collection(knn, victimKnn), true);
    private final JFreeChart cosineChart = Charts.line("Fidelity: cosine similarity to the victim", "epoch", "mean cosine",
            collection(cosine, victimCosine, floorCosine), false);
    private final JFreeChart watermarkChart = Charts.line("Watermark: rotation accuracy through the victim's MLP", "epoch",
            "accuracy", collection(watermark, victimWatermark, otherWatermark, chance), true);
    private final List<Runnable> unbind = new ArrayList<>();
    // the defences, per client over the images it sent (only for runs with defences)
    private final XYSeriesCollection defenseSeries = new XYSeriesCollection();
    private final JFreeChart defenseChart = Charts.line("Defences: per client", "images sent", RunViewModel.CAUGHT, defenseSeries, false);
    private final javafx.scene.control.ComboBox<String> defenseQuantity = new javafx.scene.control.ComboBox<>();
    private final Label defenseSummary = new Label();
    private final HBox defenseRow;

    public LiveView(java.util.function.Consumer<RunViewModel> onCancel, java.util.function.Consumer<RunViewModel> onDetails) {
        setSpacing(8);
        setPadding(new Insets(10));
        title.getStyleClass().add("section");
        title.setId("liveTitle");
        progress.setMaxWidth(Double.MAX_VALUE);
        progress.setId("liveProgress");
        HBox.setHgrow(progress, Priority.ALWAYS);
        cancel.setId("liveCancel");
        cancel.setOnAction(e -> {
            if (item.get() != null) {
                onCancel.accept(item.get());
            }
        });
        details.setOnAction(e -> {
            if (item.get() != null) {
                onDetails.accept(item.get());
            }
        });
        cancel.setGraphic(Icons.view("cancel", 16));
        HBox bar = new HBox(10, phase, progress, cancel, details);
        bar.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        HBox info = new HBox(24, timing, queries);
        message.setWrapText(true);
        verdict.getStyleClass().add("verdict");
        verdict.setId("verdict");
        verdict.setWrapText(true);
        cost.setId("costLedger");
        cost.setWrapText(true);
        cost.getStyleClass().add("note");
        Charts.reference(knnChart, 1, Charts.Reference.VICTIM);
        Charts.reference(cosineChart, 1, Charts.Reference.VICTIM);
        Charts.reference(cosineChart, 2, Charts.Reference.RANDOM);
        Charts.reference(watermarkChart, 1, Charts.Reference.VICTIM);
        Charts.reference(watermarkChart, 2, Charts.Reference.INDEPENDENT);
        Charts.reference(watermarkChart, 3, Charts.Reference.CHANCE);

        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(8);
        ChartViewer[] viewers = {new ChartViewer(lossChart), new ChartViewer(knnChart), new ChartViewer(cosineChart),
                new ChartViewer(watermarkChart)};
        String[] ids = {"lossChart", "knnChart", "cosineChart", "watermarkChart"};
        for (int i = 0; i < 4; i++) {
            viewers[i].setId(ids[i]);
            viewers[i].setMinSize(200, 150);
            grid.add(viewers[i], i % 2, i / 2);
        }
        for (int i = 0; i < 2; i++) {
            ColumnConstraints c = new ColumnConstraints();
            c.setPercentWidth(50);
            grid.getColumnConstraints().add(c);
            RowConstraints r = new RowConstraints();
            r.setPercentHeight(50);
            r.setVgrow(Priority.ALWAYS);
            grid.getRowConstraints().add(r);
        }
        VBox.setVgrow(grid, Priority.ALWAYS);
        ChartViewer defenseViewer = new ChartViewer(defenseChart);
        defenseViewer.setId("defenseChart");
        defenseViewer.setMinSize(200, 150);
        defenseViewer.setPrefHeight(220);
        // counts of zero stay a flat line at 0, not a magnified rounding error
        ((org.jfree.chart.axis.NumberAxis) defenseChart.getXYPlot().getRangeAxis()).setAutoRangeMinimumSize(1);
        ((org.jfree.chart.axis.NumberAxis) defenseChart.getXYPlot().getRangeAxis()).setAutoRangeIncludesZero(true);
        defenseQuantity.setId("defenseQuantity");
        defenseQuantity.setTooltip(new javafx.scene.control.Tooltip("What to draw per client: refused or flagged images so far, "
                + "PRADA's W, the proof-of-work difficulty, the coverage of representation space..."));
        defenseQuantity.valueProperty().addListener((o, a, b) -> redrawDefense());
        defenseSummary.setId("defenseSummary");
        defenseSummary.setWrapText(true);
        VBox defenseSide = new VBox(6, new Label("Draw"), defenseQuantity, defenseSummary);
        defenseSide.setPrefWidth(320);
        defenseSide.setMinWidth(220);
        HBox.setHgrow(defenseViewer, Priority.ALWAYS);
        defenseRow = new HBox(8, defenseViewer, defenseSide);
        defenseRow.setId("defenseRow");
        defenseRow.managedProperty().bind(defenseRow.visibleProperty());
        defenseRow.setVisible(false);
        logList.setId("runLog");
        logList.setPrefHeight(160);
        logList.setPlaceholder(new Label("The run's phases, epochs and end appear here."));
        logPane.setId("runLogPane");
        logPane.setExpanded(false);
        logPane.setAnimated(false);
        getChildren().addAll(title, bar, info, message, attacker, grid, defenseRow, verdict, cost, logPane);
        item.addListener((o, a, b) -> show(b));
        show(null);
    }

    public ObjectProperty<RunViewModel> itemProperty() {
        return item;
    }

    /** The charts, for export: loss, accuracy, fidelity, watermark, and the defences' when the run has any. */
    /** The "what the attacker sees" strip. */
    public AttackerStrip attackerStrip() {
        return attacker;
    }

    public List<JFreeChart> charts() {
        return defenseRow != null && defenseRow.isVisible() ? List.of(lossChart, knnChart, cosineChart, watermarkChart, defenseChart)
                : List.of(lossChart, knnChart, cosineChart, watermarkChart);
    }

    /** Clients drawn in the defences' chart (for tests). */
    public int defenseClients() {
        return defenseSeries.getSeriesCount();
    }

    private RunViewModel shown;

    /** Redraws the defences' chart from the run's points for the chosen quantity, one series per client. */
    private void redrawDefense() {
        defenseSeries.removeAllSeries();
        String q = defenseQuantity.getValue();
        if (shown == null || q == null) {
            return;
        }
        defenseChart.getXYPlot().getRangeAxis().setLabel(q);
        for (RunViewModel.DefensePoint p : shown.defense()) {
            addDefensePoint(p, q);
        }
    }

    private void addDefensePoint(RunViewModel.DefensePoint p, String q) {
        Double v = p.values().get(q);
        if (v == null || v.isNaN()) {
            return;
        }
        XYSeries s;
        int i = defenseSeries.getSeriesIndex(p.client());
        if (i < 0) {
            s = new XYSeries(p.client());
            defenseSeries.addSeries(s);
        } else {
            s = defenseSeries.getSeries(i);
        }
        s.add(p.sent(), v);
    }

    /** Points plotted in the copy's accuracy chart (for tests). */
    public int accuracyPoints() {
        return knn.getItemCount();
    }

    // New points are drawn one chart per frame: an epoch's metrics touch four charts, and four
    // redraws in one go held the FX thread for up to 50 ms under software rendering.
    private final java.util.ArrayDeque<Runnable> chartWork = new java.util.ArrayDeque<>();
    private final javafx.animation.AnimationTimer chartPump = new javafx.animation.AnimationTimer() {
        @Override
        public void handle(long now) {
            Runnable r = chartWork.poll();
            if (r == null) {
                stop();
            } else {
                r.run();
            }
        }
    };

    private void later(Runnable chartUpdate) {
        chartWork.add(chartUpdate);
        chartPump.start();
    }

    /** Runs {@code changes} with the charts' change events held back, so each chart redraws once, not once per change. */
    private void batched(Runnable changes) {
        List<JFreeChart> all = charts();
        all.forEach(c -> c.setNotify(false));
        try {
            changes.run();
        } finally {
            all.forEach(c -> c.setNotify(true));
        }
    }

    private void show(RunViewModel it) {
        batched(() -> showNow(it));
    }

    private void showNow(RunViewModel it) {
        chartWork.clear();
        unbind.forEach(Runnable::run);
        unbind.clear();
        for (XYSeries s : List.of(loss, knn, cosine, watermark, victimKnn, victimCosine, floorCosine, victimWatermark, otherWatermark,
                chance)) {
            s.clear();
        }
        boolean has = it != null;
        if (!has) {
            shown = null;
            defenseRow.setVisible(false);
            defenseSeries.removeAllSeries();
        }
        cancel.setDisable(!has);
        details.setVisible(false);
        progress.setVisible(has);
        if (!has) {
            title.setText("No run selected: set up an experiment on the left and press Run (Ctrl+R).");
            for (Label l : List.of(phase, timing, queries, message, verdict, cost)) {
                l.setText("");
            }
            attacker.clear();
            logList.setItems(javafx.collections.FXCollections.observableArrayList());
            logPane.setText("Run log");
            return;
        }
        title.setText(it.title());
        epochs = it.isTheft() ? it.experiment().epochs() : it.victimTraining().epochs();
        for (JFreeChart c : charts()) {
            c.getXYPlot().getDomainAxis().setRange(1, Math.max(2, epochs));
        }
        span(chance, 0.5);
        watermark.setKey(it.isTheft() ? "stolen copy" : "victim (its training batches)");
        bind(it.phaseProperty(), phase);
        bind(it.timingProperty(), timing);
        bind(it.queriesProperty(), queries);
        bind(it.messageProperty(), message);
        bind(it.verdictProperty(), verdict);
        bind(it.costProperty(), cost);
        logList.setItems(it.log());
        javafx.collections.ListChangeListener<String> follow = ch -> {
            logPane.setText("Run log (" + it.log().size() + " lines)");
            logList.scrollTo(it.log().size() - 1);
        };
        it.log().addListener(follow);
        follow.onChanged(null);
        unbind.add(() -> it.log().removeListener(follow));
        ChangeListener<org.stealbench.experiment.ExperimentEvent.Answered> answered = (o, a, b) -> {
            if (b == null) {
                attacker.clear();
            } else {
                attacker.show(b);
            }
        };
        it.lastAnsweredProperty().addListener(answered);
        answered.changed(null, null, it.lastAnsweredProperty().get());
        unbind.add(() -> it.lastAnsweredProperty().removeListener(answered));
        progress.progressProperty().bind(it.progressProperty());
        unbind.add(() -> progress.progressProperty().unbind());
        ChangeListener<RunViewModel.State> stateListener = (o, a, s) -> {
            cancel.setDisable(s.finished());
            details.setVisible(s == RunViewModel.State.FAILED);
        };
        it.stateProperty().addListener(stateListener);
        stateListener.changed(null, null, it.state());
        unbind.add(() -> it.stateProperty().removeListener(stateListener));
        follow(it.loss(), loss);
        follow(it.knn(), knn);
        follow(it.cosine(), cosine);
        follow(it.watermark(), watermark);
        shown = it;
        boolean defended = it.isTheft() && !it.experiment().defenses().isEmpty();
        defenseRow.setVisible(defended);
        defenseChart.getXYPlot().getDomainAxis().setAutoRange(true);
        defenseChart.setTitle("Defences (" + (defended ? String.join(" + ", it.experiment().defenses()) : "none") + "): per client");
        defenseSummary.textProperty().bind(it.defenseSummaryProperty());
        unbind.add(() -> defenseSummary.textProperty().unbind());
        ListChangeListener<RunViewModel.DefensePoint> dl = ch -> {
            while (ch.next()) {
                if (ch.wasAdded()) {
                    for (RunViewModel.DefensePoint p : ch.getAddedSubList()) {
                        for (String k : p.values().keySet()) {
                            if (!defenseQuantity.getItems().contains(k)) {
                                defenseQuantity.getItems().add(k);
                            }
                        }
                        if (defenseQuantity.getValue() == null) {
                            defenseQuantity.setValue(RunViewModel.CAUGHT);
                        } else {
                            addDefensePoint(p, defenseQuantity.getValue());
                        }
                    }
                }
            }
        };
        it.defense().addListener(dl);
        unbind.add(() -> it.defense().removeListener(dl));
        defenseQuantity.getItems().clear();
        it.defense().forEach(p -> p.values().keySet().forEach(k -> {
            if (!defenseQuantity.getItems().contains(k)) {
                defenseQuantity.getItems().add(k);
            }
        }));
        defenseQuantity.setValue(defenseQuantity.getItems().isEmpty() ? null : RunViewModel.CAUGHT);
        redrawDefense();
        ChangeListener<ExperimentEvent.Baselines> base = (o, a, b) -> batched(() -> baselines(b));
        it.baselinesProperty().addListener(base);
        baselines(it.baselinesProperty().get());
        unbind.add(() -> it.baselinesProperty().removeListener(base));
    }

    private int epochs = 1;

    private void baselines(ExperimentEvent.Baselines b) {
        // every chart names the victim's dataset: its images are the ones measured
        String on = b == null ? "" : " on " + b.victimDataset();
        knnChart.getTitle().setText("Downstream accuracy" + on + " (kNN, live subset)");
        cosineChart.getTitle().setText("Fidelity: cosine similarity to the victim" + (b == null ? "" : on + " held-out images"));
        watermarkChart.getTitle().setText("Watermark: rotation accuracy through the victim's MLP" + (b == null ? "" : on + " held-out images"));
        if (b == null) {
            return;
        }
        victimKnn.setKey(String.format(Locale.ROOT, "victim (%.1f%%)", 100 * b.victimKnn()));
        span(victimKnn, b.victimKnn());
        span(victimCosine, 1.0);
        floorCosine.setKey(String.format(Locale.ROOT, "random encoder (%.2f)", b.cosineFloor()));
        span(floorCosine, b.cosineFloor());
        if (!Double.isNaN(b.victimWatermark())) {
            victimWatermark.setKey(String.format(Locale.ROOT, "victim (%.1f%%)", 100 * b.victimWatermark()));
            span(victimWatermark, b.victimWatermark());
            otherWatermark.setKey(String.format(Locale.ROOT, "%s (%.1f%%)", b.independent(), 100 * b.independentWatermark()));
            span(otherWatermark, b.independentWatermark());
        } else {
            // nothing to verify: say so instead of an empty chart (an imported model, a victim trained without the watermark)
            watermarkChart.getTitle().setText("Watermark: none to verify (this victim carries no watermark MLP)");
        }
    }

    /** A horizontal reference line across the run's epochs. */
    private void span(XYSeries s, double y) {
        s.clear();
        s.add(1, y, false);
        s.add(Math.max(2, epochs), y, true);
    }

    private static XYSeriesCollection collection(XYSeries... series) {
        XYSeriesCollection c = new XYSeriesCollection();
        for (XYSeries s : series) {
            c.addSeries(s);
        }
        return c;
    }

    private void bind(javafx.beans.property.StringProperty p, Label l) {
        l.textProperty().bind(p);
        unbind.add(() -> l.textProperty().unbind());
    }

    private void follow(ObservableList<RunViewModel.Point> points, XYSeries series) {
        series.setNotify(false);
        points.forEach(p -> series.add(p.x(), p.y(), false));
        series.setNotify(true);
        ListChangeListener<RunViewModel.Point> l = ch -> {
            while (ch.next()) {
                if (ch.wasAdded()) {
                    List<RunViewModel.Point> added = List.copyOf(ch.getAddedSubList());
                    later(() -> {
                        series.setNotify(false);
                        added.forEach(p -> series.add(p.x(), p.y(), false));
                        series.setNotify(true);
                    });
                }
            }
        };
        points.addListener(l);
        unbind.add(() -> points.removeListener(l));
    }
}
