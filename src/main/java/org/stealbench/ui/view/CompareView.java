package org.stealbench.ui.view;

import java.util.List;
import java.util.Locale;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.stealbench.eval.EncoderEvaluation;
import org.stealbench.experiment.ExperimentResult;
import org.stealbench.ui.model.ResultsViewModel;
import org.stealbench.ui.model.RunCurves;

/**
 * Comparison of finished runs: the results browser (every results folder, check the ones to
 * compare), a grouped bar chart in the shape of the paper's table (per run: downstream accuracy,
 * fidelity, watermark) and the budget curve (linear accuracy on the victim's own data against queries, one
 * line per loss).
 */
public final class CompareView extends VBox {

    private final ResultsViewModel model;
    private final DefaultCategoryDataset bars = new DefaultCategoryDataset();
    private final XYSeriesCollection curve = new XYSeriesCollection();
    private final JFreeChart barChart = Charts.bars("Stolen copies side by side", "", bars);
    private final JFreeChart curveChart = Charts.line("Budget curve: accuracy on the victim's data against queries", "queries",
            "accuracy, victim's data", curve, true);
    private final TableView<ResultsViewModel.Row> table = new TableView<>();
    private final org.jfree.data.xy.YIntervalSeriesCollection overlay = new org.jfree.data.xy.YIntervalSeriesCollection();
    private final JFreeChart overlayChart = Charts.band("Per epoch", "epoch", "", overlay);
    private final javafx.scene.control.ComboBox<RunCurves.Metric> metric = new javafx.scene.control.ComboBox<>();
    private final javafx.scene.control.ComboBox<RunCurves.ColourBy> colourBy = new javafx.scene.control.ComboBox<>();
    private final javafx.scene.control.TabPane chartTabs;
    private final TableView<List<String>> paperTable = new TableView<>();
    /** Where the per-task columns start, and the tasks they show now (rebuilt when the runs change). */
    private int taskColumnsAt;
    private List<String> taskColumns = List.of();

    /**
     * @param reopen loads a past run's experiment into the panel (the history of runs: every results
     *               folder keeps its configuration)
     */
    public CompareView(ResultsViewModel model, org.stealbench.data.DatasetRegistry registry, Runnable exportTable, Runnable exportCharts,
                       java.util.function.Consumer<org.stealbench.experiment.ExperimentConfig> reopen) {
        this.model = model;
        setSpacing(8);
        setPadding(new Insets(10));
        Label head = new Label("Compare runs");
        head.getStyleClass().add("section");
        Label status = new Label();
        status.getStyleClass().add("note");
        status.textProperty().bind(model.statusProperty());
        Button refresh = new Button("Refresh");
        refresh.setId("refreshResults");
        refresh.setOnAction(e -> model.refresh());
        Button table1 = new Button("Export table...");
        table1.setTooltip(new javafx.scene.control.Tooltip("The checked runs as CSV, LaTeX and Markdown"));
        table1.setGraphic(Icons.view("export", 16));
        table1.setOnAction(e -> exportTable.run());
        Button charts = new Button("Export charts...");
        charts.setTooltip(new javafx.scene.control.Tooltip("Both charts as PNG or SVG"));
        charts.setGraphic(Icons.view("export", 16));
        charts.setOnAction(e -> exportCharts.run());
        refresh.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        head.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        Button openRun = new Button("Open in panel");
        openRun.setId("openInPanel");
        openRun.setTooltip(new javafx.scene.control.Tooltip("Load the selected run's experiment into the panel, to run it again or change it "
                + "(double-click a row does the same)"));
        openRun.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());
        openRun.setOnAction(e -> reopen.accept(table.getSelectionModel().getSelectedItem().result().config()));
        table.setRowFactory(tv -> {
            javafx.scene.control.TableRow<ResultsViewModel.Row> row = new javafx.scene.control.TableRow<>();
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && !row.isEmpty()) {
                    reopen.accept(row.getItem().result().config());
                }
            });
            return row;
        });
        HBox top = new HBox(10, head, refresh, table1, charts, openRun);
        top.setAlignment(javafx.geometry.Pos.CENTER_LEFT);

        table.setId("resultsTable");
        table.setItems(model.rows());
        table.setEditable(true);
        table.setPlaceholder(new Label("No finished runs yet. Results appear here when a run completes."));
        TableColumn<ResultsViewModel.Row, Boolean> use = new TableColumn<>("use");
        use.setCellValueFactory(cd -> cd.getValue().selectedProperty());
        use.setCellFactory(c -> new TableCell<>() {
            private final CheckBox box = new CheckBox();

            @Override
            protected void updateItem(Boolean v, boolean empty) {
                super.updateItem(v, empty);
                if (empty || getTableRow() == null || getTableRow().getItem() == null) {
                    setGraphic(null);
                    return;
                }
                ResultsViewModel.Row row = getTableRow().getItem();
                box.setSelected(row.selectedProperty().get());
                box.setOnAction(e -> row.selectedProperty().set(box.isSelected()));
                setGraphic(box);
            }
        });
        use.setPrefWidth(45);
        table.getColumns().add(use);
        column("finished", 120, r -> finished(r.result()));
        column("loss", 100, r -> r.result().config().loss());
        column("victim data", 100, r -> r.run().victimDataset());
        column("stealing data", 110, r -> r.result().config().stealingDataset());
        column("queries", 70, r -> Long.toString(r.result().config().queries()));
        column("defences", 150, r -> (r.result().config().defenses().isEmpty() ? "none" : String.join(" + ", r.result().config().defenses()))
                + (r.result().config().sybils() > 1 ? " (" + r.result().config().sybils() + " keys)" : "")
                + (r.result().config().api() != null ? " (over HTTP)" : ""));
        taskColumnsAt = table.getColumns().size();
        column("cosine (floor)", 110, r -> String.format(Locale.ROOT, "%.3f (%.3f)", r.result().cosine(), r.result().cosineFloor()));
        column("CKA", 60, r -> String.format(Locale.ROOT, "%.3f", r.result().cka()));
        column("watermark", 90, r -> Double.isNaN(r.result().watermarkAccuracy()) ? "-"
                : String.format(Locale.ROOT, "%.1f%%", 100 * r.result().watermarkAccuracy()));
        // what the defences cost the honest user, whom they caught, and the work they asked for
        column("honest user (undefended)", 160, r -> defense(r.result(), d -> String.format(Locale.ROOT, "%.1f%% (%.1f%%)",
                100 * d.honestAccuracy(), 100 * d.honestUndefended())));
        column("caught: attacker / honest", 160, r -> defense(r.result(), d -> String.format(Locale.ROOT, "%.1f%% / %.1f%%",
                100 * d.detectionRate(), 100 * d.falsePositiveRate())));
        column("PoW hashes per query: attacker / honest", 230, r -> defense(r.result(), d -> powPerQuery(d)));
        column("time", 60, r -> String.format(Locale.ROOT, "%.0f s", r.result().trainSeconds()));

        ChartViewer barViewer = new ChartViewer(barChart);
        barViewer.setId("barChart");
        org.jfree.chart.axis.LogAxis queriesAxis = new org.jfree.chart.axis.LogAxis("queries (log scale)");
        queriesAxis.setBase(2);
        queriesAxis.setStandardTickUnits(org.jfree.chart.axis.NumberAxis.createIntegerTickUnits());
        queriesAxis.setSmallestValue(100);
        queriesAxis.setNumberFormatOverride(new java.text.DecimalFormat("#,##0"));
        curveChart.getXYPlot().setDomainAxis(queriesAxis);
        ChartViewer curveViewer = new ChartViewer(curveChart);
        curveViewer.setId("budgetChart");
        HBox chartsBox = new HBox(8, barViewer, curveViewer);
        HBox.setHgrow(barViewer, Priority.ALWAYS);
        HBox.setHgrow(curveViewer, Priority.ALWAYS);
        barViewer.setPrefWidth(600);
        curveViewer.setPrefWidth(400);

        // the checked runs' per-epoch curves on shared axes, seeds of one configuration as a mean with its min-max band
        metric.getItems().setAll(RunCurves.Metric.values());
        metric.setValue(RunCurves.Metric.KNN);
        metric.setId("curveMetric");
        colourBy.getItems().setAll(RunCurves.ColourBy.values());
        colourBy.setValue(RunCurves.ColourBy.LOSS);
        colourBy.setId("curveColour");
        metric.valueProperty().addListener((o, a, b) -> update());
        colourBy.valueProperty().addListener((o, a, b) -> update());
        ChartViewer overlayViewer = new ChartViewer(overlayChart);
        overlayViewer.setId("overlayChart");
        Label overlayNote = new Label("Runs that differ only in their seed are one curve: the mean, and the band from the lowest to the highest "
                + "seed. Dashed: the victim; dash-dot: an independent encoder; grey: a random encoder; dotted: chance.");
        overlayNote.getStyleClass().add("note");
        overlayNote.setWrapText(true);
        HBox overlayBar = new HBox(8, new Label("Show"), metric, new Label("colour by"), colourBy);
        overlayBar.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        VBox overlayBox = new VBox(6, overlayBar, overlayNote, overlayViewer);
        VBox.setVgrow(overlayViewer, Priority.ALWAYS);
        overlayBox.setPadding(new Insets(6, 0, 0, 0));
        // the paper's table over seeds, with the victim's and a random encoder's rows
        paperTable.setId("paperTable");
        paperTable.setPlaceholder(new Label("Check finished runs."));
        Label paperNote = new Label();
        paperNote.getStyleClass().add("note");
        paperNote.setWrapText(true);
        paperNote.textProperty().bind(model.paperStatusProperty());
        model.paperTableProperty().addListener((o, a, t) -> showPaper(t));
        Label paperHelp = new Label("Runs that differ only in their seed are one row: mean \u00b1 standard deviation over the seeds. "
                + "Accuracies in %, linear probe and kNN on each task.");
        paperHelp.getStyleClass().add("note");
        paperHelp.setWrapText(true);
        VBox paperBox = new VBox(6, paperHelp, paperNote, paperTable);
        VBox.setVgrow(paperTable, Priority.ALWAYS);
        paperBox.setPadding(new Insets(6, 0, 0, 0));
        javafx.scene.control.Tab paperTab = new javafx.scene.control.Tab("Paper table", paperBox);
        paperTab.selectedProperty().addListener((o, a, on) -> {
            if (on) {
                model.computePaperTable(registry);
            }
        });
        model.rows().addListener((javafx.collections.ListChangeListener<ResultsViewModel.Row>) ch -> {
            if (paperTab.isSelected()) {
                model.computePaperTable(registry);
            }
        });
        chartTabs = new javafx.scene.control.TabPane(new javafx.scene.control.Tab("Side by side", chartsBox),
                new javafx.scene.control.Tab("Curves per epoch", overlayBox), paperTab);
        chartTabs.setId("compareCharts");
        chartTabs.setTabClosingPolicy(javafx.scene.control.TabPane.TabClosingPolicy.UNAVAILABLE);
        SplitPane split = new SplitPane(table, chartTabs);
        split.setOrientation(javafx.geometry.Orientation.VERTICAL);
        split.setDividerPositions(0.42);
        VBox.setVgrow(split, Priority.ALWAYS);
        getChildren().addAll(top, status, split);
        model.rows().addListener((javafx.collections.ListChangeListener<ResultsViewModel.Row>) ch -> update());
        update();
    }

    public List<JFreeChart> charts() {
        return List.of(barChart, curveChart, overlayChart);
    }

    /** The overlay's series names as drawn (curves, then reference lines; for tests). */
    public List<String> overlaySeries() {
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < overlay.getSeriesCount(); i++) {
            out.add(String.valueOf(overlay.getSeriesKey(i)));
        }
        return out;
    }

    /** The overlay's y values of series {@code i} at each epoch: mean, low, high (for tests). */
    public double[][] overlayValues(int i) {
        org.jfree.data.xy.YIntervalSeries s = overlay.getSeries(i);
        double[][] v = new double[s.getItemCount()][];
        for (int k = 0; k < v.length; k++) {
            v[k] = new double[] {s.getYValue(k), s.getYLowValue(k), s.getYHighValue(k)};
        }
        return v;
    }

    private void showPaper(org.stealbench.experiment.ResultTables.Table t) {
        paperTable.getColumns().clear();
        paperTable.getItems().clear();
        if (t == null) {
            return;
        }
        for (int i = 0; i < t.header().size(); i++) {
            int col = i;
            TableColumn<List<String>, String> c = new TableColumn<>(t.header().get(i));
            c.setCellValueFactory(cd -> new ReadOnlyStringWrapper(cd.getValue().get(col)));
            c.setMinWidth(Math.max(i == 0 ? 130 : 0, headerWidth(t.header().get(i))));
            paperTable.getColumns().add(c);
        }
        paperTable.getItems().setAll(t.rows());
    }

    /** The paper table's rows as shown (for tests). */
    public List<List<String>> paperRows() {
        return List.copyOf(paperTable.getItems());
    }

    /** Shows the paper table. */
    public void showPaperTable() {
        chartTabs.getSelectionModel().select(2);
    }

    /** Shows the per-epoch curves instead of the side-by-side charts. */
    public void showCurves() {
        chartTabs.getSelectionModel().select(1);
    }

    public javafx.scene.control.ComboBox<RunCurves.Metric> metricChoice() {
        return metric;
    }

    /** Redraws the overlay of per-epoch curves from the checked runs. */
    private void updateOverlay(List<ResultsViewModel.Row> sel) {
        overlay.removeAllSeries();
        List<org.stealbench.experiment.ResultSummary.StoredRun> runs = sel.stream().map(ResultsViewModel.Row::run).toList();
        RunCurves.Metric m = metric.getValue();
        List<RunCurves.Curve> curves = RunCurves.curves(runs, m, colourBy.getValue());
        org.jfree.chart.plot.XYPlot plot = overlayChart.getXYPlot();
        org.jfree.chart.renderer.xy.DeviationRenderer r = (org.jfree.chart.renderer.xy.DeviationRenderer) plot.getRenderer();
        java.util.Map<String, Integer> groups = new java.util.LinkedHashMap<>();
        int maxEpoch = 1;
        for (RunCurves.Curve c : curves) {
            org.jfree.data.xy.YIntervalSeries s = new org.jfree.data.xy.YIntervalSeries(c.name(), false, true);
            for (RunCurves.Point p : c.points()) {
                s.add(p.epoch(), p.mean(), p.min(), p.max());
                maxEpoch = Math.max(maxEpoch, p.epoch());
            }
            int i = overlay.getSeriesCount();
            overlay.addSeries(s);
            java.awt.Color colour = Charts.PALETTE[groups.computeIfAbsent(c.colourGroup(), g -> groups.size()) % Charts.PALETTE.length];
            r.setSeriesPaint(i, colour);
            r.setSeriesFillPaint(i, colour);
            r.setSeriesShapesVisible(i, c.points().size() < 40);
            r.setSeriesStroke(i, new java.awt.BasicStroke(2.5f));
        }
        for (RunCurves.Reference ref : RunCurves.references(runs, m)) {
            org.jfree.data.xy.YIntervalSeries s = new org.jfree.data.xy.YIntervalSeries(String.format(Locale.ROOT, m.percent() ? "%s (%.1f%%)"
                    : "%s (%.3f)", ref.name(), m.percent() ? 100 * ref.value() : ref.value()), false, true);
            s.add(1, ref.value(), ref.value(), ref.value());
            s.add(maxEpoch, ref.value(), ref.value(), ref.value());
            int i = overlay.getSeriesCount();
            overlay.addSeries(s);
            Charts.reference(overlayChart, i, Charts.Reference.valueOf(ref.kind().name()));
        }
        org.jfree.chart.axis.NumberAxis y = (org.jfree.chart.axis.NumberAxis) plot.getRangeAxis();
        if (m.percent()) {
            y.setRange(0, 1.0);
            y.setNumberFormatOverride(new java.text.DecimalFormat("0%"));
            y.setLabel(m.label() + " (from 0)");
        } else {
            y.setNumberFormatOverride(null);
            y.setAutoRange(true);
            y.setLabel(m.label());
        }
        overlayChart.setTitle("Per epoch: " + m.label());
    }

    /** " ← mnist" when the attacker stole with other data than the victim's, else "". */
    private static String stealing(ResultsViewModel.Row row) {
        String s = row.result().config().stealingDataset();
        return s.equals(row.run().victimDataset()) ? "" : " \u2190 " + s;
    }

    /** The run's folder name starts with yyyyMMdd-HHmmss: shown as "MM-dd HH:mm:ss". */
    private static String finished(ExperimentResult r) {
        String n = r.folder().getFileName().toString();
        return n.matches("\\d{8}-\\d{6}.*") ? n.substring(4, 6) + "-" + n.substring(6, 8) + " " + n.substring(9, 11) + ":"
                + n.substring(11, 13) + ":" + n.substring(13, 15) : n;
    }

    private static String defense(ExperimentResult r, java.util.function.Function<org.stealbench.experiment.DefenseReport, String> f) {
        return r.defense() == null ? "-" : f.apply(r.defense());
    }

    private static String powPerQuery(org.stealbench.experiment.DefenseReport d) {
        double a = d.hashesPerQuery("attacker");
        double h = d.hashesPerQuery("honest");
        return Double.isNaN(a) && Double.isNaN(h) ? "-" : String.format(Locale.ROOT, "%,.0f / %,.0f", a, h);
    }

    private static String accuracy(ExperimentResult r, String task) {
        EncoderEvaluation.TaskResult t = r.task(task);
        return t == null ? "-" : String.format(Locale.ROOT, "%.1f / %.1f", 100 * t.linear(), 100 * t.knn());
    }

    /** One column per downstream task of the runs (linear / kNN), the victim's own task's cells in bold. */
    private void updateTaskColumns() {
        List<String> tasks = model.rows().stream().flatMap(r -> r.result().tasks().stream().map(EncoderEvaluation.TaskResult::task)).distinct()
                .toList();
        if (tasks.equals(taskColumns)) {
            return;
        }
        table.getColumns().remove(taskColumnsAt, taskColumnsAt + taskColumns.size());
        taskColumns = tasks;
        for (int i = 0; i < tasks.size(); i++) {
            String task = tasks.get(i);
            TableColumn<ResultsViewModel.Row, String> c = makeColumn(task + " lin / kNN", 110, r -> accuracy(r.result(), task));
            c.setCellFactory(col -> new TableCell<>() {
                @Override
                protected void updateItem(String v, boolean empty) {
                    super.updateItem(v, empty);
                    setText(empty ? null : v);
                    ResultsViewModel.Row row = empty || getTableRow() == null ? null : getTableRow().getItem();
                    setStyle(row != null && row.run().victimDataset().equals(task) ? "-fx-font-weight: bold" : "");
                }
            });
            table.getColumns().add(taskColumnsAt + i, c);
        }
    }

    /** The task columns' titles, in order (for tests). */
    public List<String> columnTitles() {
        return table.getColumns().stream().map(TableColumn::getText).toList();
    }

    private void column(String title, double width, java.util.function.Function<ResultsViewModel.Row, String> f) {
        table.getColumns().add(makeColumn(title, width, f));
    }

    /** The width a column needs for its title in the table header's bold type. */
    static double headerWidth(String title) {
        javafx.scene.text.Text measure = new javafx.scene.text.Text(title);
        measure.setFont(javafx.scene.text.Font.font(javafx.scene.text.Font.getDefault().getFamily(), javafx.scene.text.FontWeight.BOLD, 14));
        return Math.ceil(measure.getLayoutBounds().getWidth()) + 24;
    }

    /** A text column at least as wide as its title, so that no header is cut. */
    private static TableColumn<ResultsViewModel.Row, String> makeColumn(String title, double width,
                                                                        java.util.function.Function<ResultsViewModel.Row, String> f) {
        TableColumn<ResultsViewModel.Row, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cd -> new ReadOnlyStringWrapper(f.apply(cd.getValue())));
        double needed = headerWidth(title);
        c.setPrefWidth(Math.max(width, needed));
        c.setMinWidth(needed);
        return c;
    }

    /** Redraws both charts from the checked runs (FX thread). */
    private void update() {
        updateTaskColumns();
        updateOverlay(model.rows().stream().filter(x -> x.selectedProperty().get()).toList());
        bars.clear();
        curve.removeAllSeries();
        List<ResultsViewModel.Row> sel = model.rows().stream().filter(x -> x.selectedProperty().get()).toList();
        java.util.Map<String, Integer> seen = new java.util.HashMap<>();
        // runs against victims of different datasets say whose copy each bar is
        boolean victims = sel.stream().map(x -> x.run().victimDataset()).distinct().count() > 1;
        boolean budgets = sel.stream().map(x -> x.result().config().queries()).distinct().count() > 1;
        for (ResultsViewModel.Row row : sel) {
            ExperimentResult r = row.result();
            String base = (victims ? row.run().victimDataset() + ": " : "") + r.config().loss()
                    + (budgets ? " @" + r.config().queries() : "") + stealing(row);
            int n = seen.merge(base, 1, Integer::sum);
            String name = n == 1 ? base : base + " #" + n;
            EncoderEvaluation.TaskResult own = r.task(row.run().victimDataset());
            if (own != null) {
                // the victim's own task, named as such: runs against victims of other datasets share the bar
                bars.addValue(own.linear(), "linear on the victim's data", name);
            }
            bars.addValue(r.cosine(), "cosine to victim", name);
            if (!Double.isNaN(r.watermarkAccuracy())) {
                bars.addValue(r.watermarkAccuracy(), "watermark", name);
            }
        }
        java.util.Map<String, XYSeries> byLoss = new java.util.TreeMap<>();
        for (ResultsViewModel.Row row : sel) {
            ExperimentResult r = row.result();
            EncoderEvaluation.TaskResult own = r.task(row.run().victimDataset());
            if (own == null) {
                continue;
            }
            String key = r.config().loss() + " on " + row.run().victimDataset() + stealing(row);
            XYSeries s = byLoss.computeIfAbsent(key, k -> new XYSeries(k, true, true));
            s.addOrUpdate(r.config().queries(), own.linear());
        }
        // a curve needs at least two budgets; single runs stay in the bar chart
        byLoss.values().stream().filter(x -> x.getItemCount() >= 2).forEach(curve::addSeries);
    }
}
