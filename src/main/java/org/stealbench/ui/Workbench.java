package org.stealbench.ui;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.fxml.FXML;
import javafx.fxml.FXMLLoader;
import javafx.geometry.Insets;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Spinner;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextArea;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.StackPane;
import javafx.stage.FileChooser;
import javafx.stage.Stage;
import javafx.util.Duration;
import org.jfree.chart.JFreeChart;
import org.stealbench.data.DatasetRegistry;
import org.stealbench.data.format.DataFiles;
import org.stealbench.experiment.ExperimentConfig;
import org.stealbench.experiment.ResultTables;
import org.stealbench.experiment.VictimServer;
import org.stealbench.model.NativeBackend;
import org.stealbench.ssl.SimClrConfig;
import org.stealbench.ui.model.ExperimentViewModel;
import org.stealbench.ui.model.ResultsViewModel;
import org.stealbench.ui.model.RunViewModel;
import org.stealbench.ui.model.RunQueueViewModel;
import org.stealbench.ui.model.ServerViewModel;
import org.stealbench.ui.model.TeachingTexts;
import org.stealbench.ui.view.AboutView;
import org.stealbench.ui.view.Charts;
import org.stealbench.ui.view.CompareView;
import org.stealbench.ui.view.DataView;
import org.stealbench.ui.view.ExperimentView;
import org.stealbench.ui.view.GlossaryView;
import org.stealbench.ui.view.Icons;
import org.stealbench.ui.view.LessonView;
import org.stealbench.ui.view.LiveView;
import org.stealbench.ui.view.RunsView;
import org.stealbench.ui.view.ServerView;

/**
 * The workbench window's controller (layout, menus and tool bar in workbench.fxml): it puts the
 * experiment panel, the run queue and the views (Live, Compare, Server, Data, About) into the layout and
 * carries out the actions (run, cancel, save, open, export, train a victim), the dialogs and the
 * close guard. A timeline pumps engine events into the view models four times a second.
 */
public final class Workbench {

    /** How often engine events reach the views. */
    static final Duration PUMP = Duration.millis(250);

    private final Stage stage;
    private final DatasetRegistry registry;
    private final Executor background;
    private final ExperimentViewModel form;
    private final RunQueueViewModel queue;
    private final ResultsViewModel results;
    private final DatasetsViewModel datasets;
    private final FxStallMeter stallMeter = new FxStallMeter();
    private final ExperimentView panel;
    private final RunsView runs;
    private final LiveView live;
    private final CompareView compare;
    private final ServerViewModel server;
    private final Parent root;
    private boolean closing;

    @FXML
    private TabPane tabs;
    @FXML
    private Tab liveTab;
    @FXML
    private Tab compareTab;
    @FXML
    private Tab serverTab;
    @FXML
    private Tab dataTab;
    @FXML
    private Tab aboutTab;
    @FXML
    private StackPane lessonHolder;
    @FXML
    private ScrollPane formScroll;
    @FXML
    private StackPane runsHolder;
    @FXML
    private Label statusLabel;
    @FXML
    private Label buildLabel;
    @FXML
    private Button toolRun;
    @FXML
    private Button toolCancel;
    @FXML
    private Button toolAllLosses;
    @FXML
    private Button toolTrain;
    @FXML
    private Button toolOpen;
    @FXML
    private Button toolSave;
    @FXML
    private Button toolExport;

    public Workbench(Stage stage, DatasetRegistry registry, Path resultsRoot, Executor background, Executor fx) {
        this.stage = stage;
        this.registry = registry;
        this.background = background;
        this.form = new ExperimentViewModel(registry, background, fx);
        this.queue = new RunQueueViewModel(registry, resultsRoot, fx);
        this.results = new ResultsViewModel(resultsRoot, background, fx);
        this.datasets = new DatasetsViewModel(registry);
        this.panel = new ExperimentView(form);
        this.runs = new RunsView(queue);
        this.live = new LiveView(queue::cancel, this::showDetails);
        this.compare = new CompareView(results, this::exportTable, this::exportComparisonCharts);
        String serverDb = System.getProperty("stealbench.serverDb");
        this.server = new ServerViewModel(registry, serverDb != null ? Path.of(serverDb) : VictimServer.defaultDb(), background, fx);
        live.itemProperty().bind(runs.list().getSelectionModel().selectedItemProperty());
        panel.runButton().setOnAction(e -> run());
        panel.chooseVictimButton().setOnAction(e -> chooseVictim());
        queue.completedProperty().addListener((o, a, b) -> results.refresh());
        // the status bar follows each run: started, then how it ended
        queue.items().addListener((javafx.collections.ListChangeListener<RunViewModel>) ch -> {
            while (ch.next()) {
                for (RunViewModel item : ch.getAddedSubList()) {
                    item.stateProperty().addListener((o, a, st) -> statusLabel.setText(statusOf(item, st)));
                }
            }
        });
        queue.lastVictimProperty().addListener((o, a, p) -> statusLabel.setText("Victim trained: " + p
                + ". Use it with Victim > Choose..., or the Experiment menu."));
        datasets.rows().addListener((javafx.collections.ListChangeListener<DatasetsViewModel.Row>) ch -> {
            for (DatasetsViewModel.Row r : datasets.rows()) {
                if (!form.datasetChoices().contains(r.spec())) {
                    form.datasetChoices().add(r.spec());
                }
            }
        });
        FXMLLoader loader = new FXMLLoader(Workbench.class.getResource("workbench.fxml"));
        loader.setController(this);
        try {
            root = loader.load();
        } catch (IOException e) {
            throw new IllegalStateException("cannot load workbench.fxml", e);
        }
        Timeline pump = new Timeline(new KeyFrame(PUMP, e -> {
            queue.drainAll();
            server.drain();
        }));
        pump.setCycleCount(Timeline.INDEFINITE);
        pump.play();
        stage.setOnCloseRequest(e -> {
            if (!confirmClose()) {
                e.consume();
            }
        });
    }

    /** Puts the code-built views into workbench.fxml's placeholders (called by the loader). */
    @FXML
    private void initialize() {
        formScroll.setContent(panel.root());
        runsHolder.getChildren().add(runs);
        Map<String, String> paths = new LinkedHashMap<>();
        paths.put("Sample data", registry.roots().sampleData().toString());
        paths.put("Results", queue.resultsRoot().toString());
        AboutView about = new AboutView(paths, stallMeter);
        liveTab.setContent(live);
        compareTab.setContent(compare);
        serverTab.setContent(new ServerView(server, () -> form.victimProperty().get(), this::stealThroughServer));
        dataTab.setContent(new DataView(datasets, background));
        aboutTab.setContent(about);
        aboutTab.selectedProperty().addListener((o, a, on) -> about.setActive(on));
        buildLabel.setText(NativeBackend.buildName());
        toolRun.disableProperty().bind(form.validBinding().not());
        String[][] icons = {{"run"}, {"cancel"}, {"compare"}, {"train"}, {"open"}, {"save"}, {"export"}};
        Button[] buttons = {toolRun, toolCancel, toolAllLosses, toolTrain, toolOpen, toolSave, toolExport};
        for (int i = 0; i < buttons.length; i++) {
            buttons[i].setGraphic(Icons.view(icons[i][0], 20));
        }
    }

    /** Selects a view by its tab's name (case-insensitive; "curves": Compare's per-epoch curves; "lesson": the lesson); unknown names are ignored. */
    public void showView(String name) {
        if (name.equalsIgnoreCase("lesson")) {
            startLesson();
            return;
        }
        if (name.equalsIgnoreCase("curves")) {
            compare.showCurves();
            name = "compare";
        }
        for (Tab t : tabs.getTabs()) {
            if (t.getText().equalsIgnoreCase(name)) {
                tabs.getSelectionModel().select(t);
            }
        }
    }

    /** Shortcuts that are not on a menu. */
    void installShortcuts(Scene scene) {
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.ESCAPE), this::cancelSelected);
    }

    /** Called once the window shows: start the look-ups and the stall meter. */
    void started() {
        installTooltips();
        datasets.refresh(background);
        form.refresh();
        results.refresh();
        stallMeter.start();
    }

    public Parent root() {
        return root;
    }

    public ExperimentViewModel form() {
        return form;
    }

    public RunQueueViewModel queue() {
        return queue;
    }

    public LiveView live() {
        return live;
    }

    public ResultsViewModel results() {
        return results;
    }

    public FxStallMeter stallMeter() {
        return stallMeter;
    }

    // ---- actions ----

    @FXML
    private void run() {
        submitExperiment();
    }

    /** Queues the experiment as it stands; returns the job (null if the form is invalid). */
    public RunViewModel submitExperiment() {
        if (!form.validBinding().get()) {
            statusLabel.setText("Cannot run: " + form.problemsBinding().get().replace('\n', ' '));
            return null;
        }
        RunViewModel item = RunViewModel.theft(form.toConfig());
        queue.submit(item);
        tabs.getSelectionModel().select(0);
        statusLabel.setText(statusOf(item, item.state()));
        return item;
    }

    /** The status bar's line for a run that reached {@code st}. */
    static String statusOf(RunViewModel item, RunViewModel.State st) {
        switch (st) {
            case RUNNING:
                return "Running " + item.title();
            case COMPLETED:
                return "Finished " + item.title() + (item.messageProperty().get().isEmpty() ? "" : ": " + item.messageProperty().get());
            case CANCELLED:
                return "Cancelled " + item.title();
            case FAILED:
                return "Failed " + item.title() + ": " + item.messageProperty().get();
            default:
                return "Queued " + item.title();
        }
    }

    /** Queues the panel's experiment as a theft over HTTP from the Server view's running server, with new keys for it. */
    public RunViewModel stealThroughServer() {
        if (!server.runningProperty().get()) {
            statusLabel.setText("Start the server first (Server view).");
            return null;
        }
        if (!form.validBinding().get()) {
            statusLabel.setText("Cannot run: " + form.problemsBinding().get().replace('\n', ' '));
            return null;
        }
        ExperimentConfig cfg = form.toConfig();
        List<String> keys = server.theftKeys(cfg.sybils(), cfg.queries());
        RunViewModel item = RunViewModel.theft(cfg.withDefenses(List.of()).withApi(server.urlProperty().get()), keys);
        queue.submit(item);
        statusLabel.setText(statusOf(item, item.state()) + ", querying " + server.urlProperty().get()
                + (cfg.defenses().isEmpty() ? "" : " (the server's defences apply, not the panel's)"));
        return item;
    }

    public CompareView compare() {
        return compare;
    }

    public ServerViewModel server() {
        return server;
    }

    @FXML
    private void cancelSelected() {
        RunViewModel it = runs.list().getSelectionModel().getSelectedItem();
        if (it != null) {
            queue.cancel(it);
        }
    }

    @FXML
    private void queueAllLosses() {
        if (!form.validBinding().get()) {
            submitExperiment();
            return;
        }
        ExperimentConfig base = form.toConfig();
        for (var l : org.stealbench.attack.StealingLoss.values()) {
            queue.submit(RunViewModel.theft(base.withLoss(l.id())));
        }
        statusLabel.setText("Queued one run per loss; the Compare view fills as they finish.");
    }

    @FXML
    private void queueBudgetSweep() {
        if (!form.validBinding().get()) {
            submitExperiment();
            return;
        }
        ExperimentConfig base = form.toConfig();
        for (ExperimentConfig c : org.stealbench.experiment.Sweep.configs(base, List.of(base.loss()), List.of(500, 2000, 8000), List.of(),
                (long) base.queries() * base.epochs())) {
            queue.submit(RunViewModel.theft(c));
        }
        statusLabel.setText("Queued a budget sweep (same sample passes per run); see Compare > budget curve.");
    }

    @FXML
    private void trainVictimDialog() {
        Dialog<SimClrConfig> d = new Dialog<>();
        d.setTitle("Train a victim");
        d.setHeaderText("SimCLR on a dataset, with the rotation watermark (runs in the queue; about 14 minutes for the demo victim on 2 cores)");
        ComboBox<String> ds = new ComboBox<>(form.datasetChoices());
        ds.setValue("fashion-mnist");
        Spinner<Integer> epochs = new Spinner<>(1, 200, SimClrConfig.DEMO_EPOCHS);
        Spinner<Integer> images = new Spinner<>(256, 100_000, 10_000, 1000);
        images.setEditable(true);
        epochs.setEditable(true);
        CheckBox wm = new CheckBox("embed the rotation watermark");
        wm.setSelected(true);
        GridPane g = new GridPane();
        g.setHgap(10);
        g.setVgap(8);
        g.setPadding(new Insets(10));
        g.addRow(0, new Label("Dataset"), ds);
        g.addRow(1, new Label("Training images"), images);
        g.addRow(2, new Label("Epochs"), epochs);
        g.addRow(3, new Label("Watermark"), wm);
        d.getDialogPane().setContent(g);
        d.getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        d.setResultConverter(b -> {
            if (b != ButtonType.OK) {
                return null;
            }
            return SimClrConfig.demo().with(ds.getValue(), images.getValue(), epochs.getValue(), wm.isSelected());
        });
        d.initOwner(stage);
        d.showAndWait().ifPresent(cfg -> {
            queue.submit(RunViewModel.victim(cfg));
            tabs.getSelectionModel().select(0);
        });
    }

    private void chooseVictim() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Choose a victim encoder");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("StealBench encoders", "*.zip"));
        var f = fc.showOpenDialog(stage);
        if (f != null) {
            form.victimProperty().set(f.getAbsolutePath());
        }
    }

    @FXML
    private void saveExperiment() {
        if (!form.validBinding().get()) {
            error("Cannot save", form.problemsBinding().get(), null);
            return;
        }
        FileChooser fc = jsonChooser("Save experiment");
        fc.setInitialFileName("experiment.json");
        var f = fc.showSaveDialog(stage);
        if (f != null) {
            saveExperiment(f.toPath());
        }
    }

    /** Saves the experiment to {@code file} (the Save action after its dialog). */
    public void saveExperiment(Path file) {
        try {
            form.save(file);
            statusLabel.setText("Saved " + file);
        } catch (IOException | RuntimeException e) {
            error("Cannot save the experiment", e.getMessage(), e);
        }
    }

    @FXML
    private void openExperiment() {
        var f = jsonChooser("Open experiment").showOpenDialog(stage);
        if (f != null) {
            openExperiment(f.toPath());
        }
    }

    /** Loads a saved experiment into the form (the Open action after its dialog). */
    public void openExperiment(Path file) {
        try {
            form.open(file);
            statusLabel.setText("Opened " + file);
        } catch (IOException | RuntimeException e) {
            error("Cannot open " + file.getFileName(), e.getMessage(), e);
        }
    }

    private static FileChooser jsonChooser(String title) {
        FileChooser fc = new FileChooser();
        fc.setTitle(title);
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Experiments (JSON)", "*.json"));
        return fc;
    }

    @FXML
    private void exportCurrent() {
        int i = tabs.getSelectionModel().getSelectedIndex();
        if (i == 1) {
            exportCharts(compare.charts(), "comparison");
        } else {
            exportCharts(live.charts(), "live");
        }
    }

    private void exportComparisonCharts() {
        exportCharts(compare.charts(), "comparison");
    }

    private void exportCharts(List<JFreeChart> charts, String prefix) {
        FileChooser fc = new FileChooser();
        fc.setTitle("Export charts: one file per chart, named after this one");
        fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("PNG image", "*.png"),
                new FileChooser.ExtensionFilter("SVG vector image", "*.svg"));
        fc.setInitialFileName(prefix + ".png");
        var f = fc.showSaveDialog(stage);
        if (f == null) {
            return;
        }
        String name = f.getName();
        String ext = name.toLowerCase(Locale.ROOT).endsWith(".svg") ? ".svg" : ".png";
        String stem = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
        try {
            for (int k = 0; k < charts.size(); k++) {
                Charts.export(charts.get(k), f.toPath().resolveSibling(stem + "-" + (k + 1) + ext), 1000, 640);
            }
            statusLabel.setText("Exported " + charts.size() + " charts as " + stem + "-N" + ext);
        } catch (IOException | RuntimeException e) {
            error("Cannot export the charts", e.getMessage(), e);
        }
    }

    @FXML
    private void exportTable() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Export the comparison table (writes .csv, .tex and .md)");
        fc.setInitialFileName("comparison.csv");
        var f = fc.showSaveDialog(stage);
        if (f == null) {
            return;
        }
        String name = f.getName();
        String stem = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
        ResultTables.Tables t = results.table();
        try {
            for (String[] x : new String[][] {{".csv", t.csv()}, {".tex", t.latex()}, {".md", t.markdown()}}) {
                byte[] b = x[1].getBytes(StandardCharsets.UTF_8);
                DataFiles.writeAtomically(f.toPath().resolveSibling(stem + x[0]), o -> o.write(b));
            }
            statusLabel.setText("Exported the table of " + results.selected().size() + " runs as " + stem + ".csv, .tex, .md");
        } catch (IOException e) {
            error("Cannot export the table", e.getMessage(), e);
        }
    }

    @FXML
    private void quit() {
        if (confirmClose()) {
            stage.close();
        }
    }

    @FXML
    private void useLastVictim() {
        if (queue.lastVictimProperty().get() != null) {
            form.victimProperty().set(queue.lastVictimProperty().get().toString());
        }
    }

    @FXML
    private void resetDemo() {
        form.load(ExperimentConfig.demo("infonce"));
    }

    @FXML
    private void showLive() {
        tabs.getSelectionModel().select(liveTab);
    }

    @FXML
    private void showCompare() {
        tabs.getSelectionModel().select(compareTab);
    }

    @FXML
    private void showData() {
        tabs.getSelectionModel().select(dataTab);
    }

    @FXML
    private void showAbout() {
        tabs.getSelectionModel().select(aboutTab);
    }

    @FXML
    private void showServer() {
        tabs.getSelectionModel().select(serverTab);
    }

    /** Shows the guided lesson above the views, at its first step (Help > Lesson, F1). */
    @FXML
    public LessonView startLesson() {
        LessonView view = new LessonView(TeachingTexts.lesson(), this::performLessonStep, () -> {
            lessonHolder.getChildren().clear();
            lessonHolder.setVisible(false);
            lessonHolder.setManaged(false);
        });
        lessonHolder.getChildren().setAll(view);
        lessonHolder.setVisible(true);
        lessonHolder.setManaged(true);
        return view;
    }

    /** Carries out a lesson step's action (resources/README.md lists them). */
    void performLessonStep(TeachingTexts.Action a) {
        switch (a.verb()) {
            case "victim":
                form.victimProperty().set(ExperimentConfig.BUNDLED);
                showData();
                break;
            case "steal": {
                Map<String, String> p = a.params();
                ExperimentConfig cfg = ExperimentConfig.demo(p.getOrDefault("loss", "infonce"));
                if (p.containsKey("queries")) {
                    cfg = cfg.withQueries(Integer.parseInt(p.get("queries")));
                }
                if (p.containsKey("epochs")) {
                    cfg = cfg.withEpochs(Integer.parseInt(p.get("epochs")));
                }
                if (p.containsKey("defenses")) {
                    cfg = cfg.withDefenses(List.of(p.get("defenses").split(",")));
                }
                form.load(cfg);
                // the panel checks the experiment in the background: queue it once it is valid
                if (form.validBinding().get()) {
                    submitExperiment();
                } else {
                    javafx.beans.value.ChangeListener<Boolean> once = new javafx.beans.value.ChangeListener<>() {
                        @Override
                        public void changed(javafx.beans.value.ObservableValue<? extends Boolean> o, Boolean was, Boolean valid) {
                            if (valid) {
                                o.removeListener(this);
                                submitExperiment();
                            }
                        }
                    };
                    form.validBinding().addListener(once);
                    statusLabel.setText("Checking the lesson's experiment...");
                }
                break;
            }
            case "compare":
                showView("curves");
                break;
            case "server":
                showServer();
                break;
            default:
                break;
        }
    }

    /** The glossary in a window of its own (Help > Glossary). */
    @FXML
    public GlossaryView showGlossary() {
        GlossaryView view = new GlossaryView(TeachingTexts.glossary());
        Dialog<Void> d = new Dialog<>();
        d.setTitle("Glossary");
        d.initOwner(stage);
        d.initModality(javafx.stage.Modality.NONE);
        d.setResizable(true);
        d.getDialogPane().setContent(view);
        d.getDialogPane().getButtonTypes().add(ButtonType.CLOSE);
        d.show();
        return view;
    }

    /** Tooltips of the controls and charts from resources/teaching/tooltips.properties, by id (once the scene is built). */
    void installTooltips() {
        TeachingTexts.tooltips().forEach((id, text) -> {
            javafx.scene.Node n = root.lookup("#" + id);
            if (n instanceof javafx.scene.control.Control c) {
                javafx.scene.control.Tooltip t = new javafx.scene.control.Tooltip(text);
                t.setWrapText(true);
                t.setMaxWidth(420);
                c.setTooltip(t);
            } else if (n != null) {
                javafx.scene.control.Tooltip t = new javafx.scene.control.Tooltip(text);
                t.setWrapText(true);
                t.setMaxWidth(420);
                javafx.scene.control.Tooltip.install(n, t);
            }
        });
    }

    private void showDetails(RunViewModel item) {
        error("Run failed: " + item.title(), item.messageProperty().get(), null, item.detailsProperty().get());
    }

    private void error(String header, String message, Throwable t) {
        String details = "";
        if (t != null) {
            java.io.StringWriter w = new java.io.StringWriter();
            t.printStackTrace(new java.io.PrintWriter(w));
            details = w.toString();
        }
        error(header, message, t, details);
    }

    private void error(String header, String message, Throwable t, String details) {
        Alert a = new Alert(Alert.AlertType.ERROR);
        a.initOwner(stage);
        a.setTitle("StealBench");
        a.setHeaderText(header);
        a.setContentText(message == null || message.isBlank() ? "(no message)" : message);
        if (details != null && !details.isBlank()) {
            TextArea area = new TextArea(details);
            area.setEditable(false);
            area.setPrefRowCount(16);
            a.getDialogPane().setExpandableContent(area);
        }
        a.show();
    }

    /** Asks before closing with runs in flight; cancels them and quits once they stopped. Returns whether to close now. */
    boolean confirmClose() {
        if (closing) {
            return false;
        }
        long n = queue.inFlight();
        if (n == 0) {
            stallMeter.stop();
            server.close();
            return true;
        }
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, n + (n == 1 ? " run is" : " runs are") + " waiting or running. Cancel "
                + (n == 1 ? "it" : "them") + " and quit? Finished results are kept; a cancelled theft resumes from its last epoch "
                + "when you run the same experiment again.", ButtonType.YES, ButtonType.NO);
        a.setHeaderText("Quit StealBench?");
        a.initOwner(stage);
        if (a.showAndWait().orElse(ButtonType.NO) != ButtonType.YES) {
            return false;
        }
        closing = true;
        statusLabel.setText("Stopping the runs...");
        queue.cancelAll();
        Thread t = new Thread(() -> {
            queue.shutdown(60);
            server.close();
            Platform.runLater(() -> {
                stallMeter.stop();
                stage.close();
                Platform.exit();
            });
        }, "stealbench-close");
        t.setDaemon(true);
        t.start();
        return false;
    }

    /**
     * Benchmark mode: queue the demo experiment with {@code epochs}, {@code runs} times one after
     * another; write the stall figures of the first run to {@code report} and, when
     * {@code memoryReport} is set, this process's memory after every run and after ten idle seconds
     * at the end; then quit.
     */
    void autorun(int epochs, String report, int runs, String memoryReport) {
        ExperimentConfig start = System.getProperty("stealbench.open") != null ? form.toConfig() : ExperimentConfig.demo("infonce");
        form.load(start.withEpochs(epochs));
        Timeline wait = new Timeline();
        wait.getKeyFrames().add(new KeyFrame(Duration.seconds(6), e -> autorunOne(1, runs, report, memoryReport)));
        wait.play();
    }

    private void autorunOne(int run, int runs, String report, String memoryReport) {
        RunViewModel item = submitExperiment();
        if (item == null) {
            return;
        }
        stallMeter.reset();
        double[] setup = {Double.NaN, 0};
        item.phaseProperty().addListener((o, a, p) -> {
            if ("training the copy".equals(p) && Double.isNaN(setup[0])) {
                setup[0] = stallMeter.worstMillis();
                setup[1] = stallMeter.probesOver50ms();
                System.err.println("stalls over 50 ms while the run was set up: " + stallMeter.stalls());
                System.err.println("FX thread stacks sampled in set-up stalls:\n" + stallMeter.busyStacks(12));
                stallMeter.reset();
            }
        });
        item.stateProperty().addListener((o, a, s) -> {
            if (!s.finished()) {
                return;
            }
            if (run == 1) {
                System.err.println("stalls over 50 ms while it trained and was evaluated: " + stallMeter.stalls());
                System.err.println("FX thread stacks sampled in stalls:\n" + stallMeter.busyStacks(8));
                String text = String.format(Locale.ROOT,
                        "state=%s%nsetup_worst_ms=%.1f%nsetup_over_50ms=%.0f%nworst_ms=%.1f%nprobes=%d%nover_50ms=%d%ngc_pause_ms=%.1f%nseconds=%s%n", s,
                        setup[0], setup[1], stallMeter.worstMillis(), stallMeter.probes(), stallMeter.probesOver50ms(),
                        stallMeter.worstGcPauseMillis(),
                        item.resultProperty().get() == null ? "" : String.format(Locale.ROOT, "%.1f", item.resultProperty().get().seconds()));
                append(report, text, false);
            }
            var r = item.resultProperty().get();
            appendMemory(memoryReport, String.format(Locale.ROOT, "run=%d state=%s seconds=%s", run, s,
                    r == null ? "" : String.format(Locale.ROOT, "%.1f", r.seconds())));
            if (run < runs) {
                autorunOne(run + 1, runs, report, memoryReport);
                return;
            }
            if (memoryReport == null) {
                Platform.exit();
                return;
            }
            Timeline idle = new Timeline(new KeyFrame(Duration.seconds(10), ev -> {
                appendMemory(memoryReport, "idle=10s");
                Platform.exit();
            }));
            idle.play();
        });
    }

    private static void appendMemory(String file, String what) {
        if (file == null) {
            return;
        }
        try {
            org.stealbench.experiment.bench.MemoryBenchmark.appendLine(Path.of(file), what);
        } catch (IOException ex) {
            System.err.println("cannot write " + file + ": " + ex.getMessage());
        }
    }

    private static void append(String file, String text, boolean append) {
        if (file == null) {
            return;
        }
        try {
            Files.writeString(Path.of(file), text, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    append ? java.nio.file.StandardOpenOption.APPEND : java.nio.file.StandardOpenOption.TRUNCATE_EXISTING,
                    java.nio.file.StandardOpenOption.WRITE);
        } catch (IOException ex) {
            System.err.println("cannot write " + file + ": " + ex.getMessage());
        }
    }
}
