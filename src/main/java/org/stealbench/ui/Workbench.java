package org.stealbench.ui;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.fxml.FXML;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import javafx.util.Duration;
import org.jfree.chart.JFreeChart;
import org.stealbench.data.DatasetRegistry;
import org.stealbench.experiment.ExperimentConfig;
import org.stealbench.experiment.VictimServer;
import org.stealbench.model.NativeBackend;
import org.stealbench.ui.model.ExperimentViewModel;
import org.stealbench.ui.model.ResultsViewModel;
import org.stealbench.ui.model.RunViewModel;
import org.stealbench.ui.model.RunQueueViewModel;
import org.stealbench.ui.model.ServerViewModel;
import org.stealbench.ui.model.TeachingTexts;
import org.stealbench.ui.view.AboutView;
import org.stealbench.ui.view.CompareView;
import org.stealbench.ui.view.DataView;
import org.stealbench.ui.view.EmbeddingView;
import org.stealbench.ui.view.ExperimentView;
import org.stealbench.ui.view.GlossaryView;
import org.stealbench.ui.view.Icons;
import org.stealbench.ui.view.LessonView;
import org.stealbench.ui.view.LiveView;
import org.stealbench.ui.view.RunsView;
import org.stealbench.ui.view.ServerView;

/**
 * The workbench window's controller (layout, menus and tool bar in workbench.fxml): it composes the
 * experiment panel, the run queue and the views (Live, Compare, Server, Data, About, and the lesson
 * strip), wires them to their view models, and carries out the menus' actions. What is not layout
 * or wiring has its own class: {@link Dialogs} (every dialog and file chooser), {@link Exports}
 * (charts and tables to files), {@link Sweeps} (every loss, budget sweeps, in the queue or on Spark),
 * {@link CloseGuard} (closing with runs in flight), {@link LessonSteps} (what a lesson step does),
 * {@link Autorun} (the benchmarks' mode). A timeline pumps engine events and server requests into the view models four
 * times a second.
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
    private final EmbeddingView embedding = new EmbeddingView();
    private final ServerViewModel server;
    private final Dialogs dialogs;
    private final Exports exports;
    private final Sweeps sweeps;
    private final List<String> notifications = new java.util.ArrayList<>();
    private final CloseGuard closeGuard;
    private final Parent root;

    @FXML
    private TabPane tabs;
    @FXML
    private Tab liveTab;
    @FXML
    private Tab compareTab;
    @FXML
    private Tab serverTab;
    @FXML
    private Tab embeddingTab;
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
        this.dialogs = new Dialogs(stage);
        this.registry = registry;
        this.background = background;
        this.form = new ExperimentViewModel(registry, background, fx);
        this.queue = new RunQueueViewModel(registry, resultsRoot, fx);
        this.results = new ResultsViewModel(resultsRoot, background, fx);
        this.datasets = new DatasetsViewModel(registry);
        this.panel = new ExperimentView(form);
        this.runs = new RunsView(queue);
        this.live = new LiveView(queue::cancel, this::showDetails);
        this.compare = new CompareView(results, registry, this::exportTable, this::exportComparisonCharts, cfg -> {
            form.load(cfg);
            statusLabel.setText("Opened the experiment of a past run: " + cfg.label() + ". Run it again, or change it first.");
        });
        String serverDb = System.getProperty("stealbench.serverDb");
        this.server = new ServerViewModel(registry, serverDb != null ? Path.of(serverDb) : VictimServer.defaultDb(), background, fx);
        live.itemProperty().bind(runs.list().getSelectionModel().selectedItemProperty());
        embedding.itemProperty().bind(runs.list().getSelectionModel().selectedItemProperty());
        panel.runButton().setOnAction(e -> run());
        panel.chooseVictimButton().setOnAction(e -> chooseVictim());
        queue.completedProperty().addListener((o, a, b) -> results.refresh());
        // the status bar follows each run: started, then how it ended
        queue.items().addListener((javafx.collections.ListChangeListener<RunViewModel>) ch -> {
            while (ch.next()) {
                for (RunViewModel item : ch.getAddedSubList()) {
                    item.stateProperty().addListener((o, a, st) -> {
                        statusLabel.setText(statusOf(item, st));
                        if (st.finished()) {
                            notifyEnd(item, st);
                        }
                    });
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
        // the event pump: engine events and the server's requests reach the views four times a second
        Timeline pump = new Timeline(new KeyFrame(PUMP, e -> {
            queue.drainAll();
            server.drain();
        }));
        pump.setCycleCount(Timeline.INDEFINITE);
        pump.play();
        this.closeGuard = new CloseGuard(stage, queue, server, stallMeter, dialogs, statusLabel::setText);
        this.exports = new Exports(dialogs, results, statusLabel::setText);
        this.sweeps = new Sweeps(queue, results, registry, statusLabel::setText, notifications::add);
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
        embeddingTab.setContent(embedding);
        serverTab.setContent(new ServerView(server, () -> form.victimProperty().get(), this::stealThroughServer));
        dataTab.setContent(new DataView(datasets, background));
        ScrollPane aboutScroll = new ScrollPane(about);
        aboutScroll.setFitToWidth(true);
        aboutTab.setContent(aboutScroll);
        aboutTab.selectedProperty().addListener((o, a, on) -> about.setActive(on));
        buildLabel.setText(NativeBackend.summary());
        buildLabel.setTooltip(new javafx.scene.control.Tooltip(NativeBackend.decision().device() + "\n" + NativeBackend.decision().reason()));
        toolRun.disableProperty().bind(form.validBinding().not());
        String[][] icons = {{"run"}, {"cancel"}, {"compare"}, {"train"}, {"open"}, {"save"}, {"export"}};
        Button[] buttons = {toolRun, toolCancel, toolAllLosses, toolTrain, toolOpen, toolSave, toolExport};
        for (int i = 0; i < buttons.length; i++) {
            buttons[i].setGraphic(Icons.view(icons[i][0], 20));
        }
    }

    /** Selects a view by its tab's name (case-insensitive; "curves", "paper": Compare's per-epoch curves or paper table; "lesson": the lesson); unknown names are ignored. */
    public void showView(String name) {
        if (name.equalsIgnoreCase("lesson")) {
            startLesson();
            return;
        }
        if (name.equalsIgnoreCase("curves")) {
            compare.showCurves();
            name = "compare";
        }
        if (name.equalsIgnoreCase("paper")) {
            compare.showPaperTable();
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

    public ExperimentView panel() {
        return panel;
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
        // the run shows in the Live view, or in the Embedding view if that is open
        if (tabs.getSelectionModel().getSelectedItem() != embeddingTab) {
            tabs.getSelectionModel().select(liveTab);
        }
        statusLabel.setText(statusOf(item, item.state()));
        return item;
    }

    /** A ControlsFX notification when a run ends (the class may be looking at another view), also kept for tests. */
    private void notifyEnd(RunViewModel item, RunViewModel.State st) {
        String title = (st == RunViewModel.State.COMPLETED ? "Finished " : st == RunViewModel.State.FAILED ? "Failed " : "Cancelled ") + item.title();
        String text = st == RunViewModel.State.COMPLETED && !item.verdictProperty().get().isEmpty() ? item.verdictProperty().get()
                : item.messageProperty().get();
        notifications.add(title);
        if (!stage.isShowing()) {
            return;
        }
        org.controlsfx.control.Notifications n = org.controlsfx.control.Notifications.create().owner(stage).title(title).text(text)
                .position(javafx.geometry.Pos.BOTTOM_RIGHT).hideAfter(Duration.seconds(st == RunViewModel.State.FAILED ? 20 : 8));
        if (st == RunViewModel.State.FAILED) {
            n.showError();
        } else {
            n.showInformation();
        }
    }

    /** The titles of the notifications shown so far (for tests). */
    public List<String> notifications() {
        return notifications;
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
        if (form.validBinding().get()) {
            sweeps.allLosses(form.toConfig());
        } else {
            submitExperiment();
        }
    }

    @FXML
    private void queueBudgetSweep() {
        if (form.validBinding().get()) {
            sweeps.budgetSweep(form.toConfig());
        } else {
            submitExperiment();
        }
    }

    /** Experiment > Budget sweep on Spark: the same sweep as Spark tasks in local mode; Compare fills as results arrive. */
    @FXML
    private void sweepOnSpark() {
        if (form.validBinding().get()) {
            sweeps.onSpark(Sweeps.budgets(form.toConfig()), "local[2,2]");
        } else {
            submitExperiment();
        }
    }

    /** Runs {@code configs} as a Spark sweep on {@code master} in the background (see {@link Sweeps}); returns its thread. */
    public Thread sweepOnSpark(List<ExperimentConfig> configs, String master) {
        return sweeps.onSpark(configs, master);
    }

    @FXML
    private void trainVictimDialog() {
        dialogs.trainVictim(form.datasetChoices()).ifPresent(cfg -> {
            queue.submit(RunViewModel.victim(cfg));
            tabs.getSelectionModel().select(0);
        });
    }

    @FXML
    private void importVictimDialog() {
        try {
            dialogs.importVictim(form.datasetChoices()).ifPresent(this::importVictim);
        } catch (IllegalArgumentException e) {
            dialogs.error("Cannot import the model", e.getMessage(), (Throwable) null);
        }
    }

    /**
     * Imports a DL4J or Keras model as a victim in the background, into the results folder's {@code imported/}, and makes
     * it the panel's victim (on the FX thread, before the returned future completes).
     */
    java.util.concurrent.CompletableFuture<Path> importVictim(org.stealbench.experiment.VictimImport.Request r) {
        String name = r.model().getFileName().toString().replaceFirst("\\.[^.]*$", "");
        Path out = queue.resultsRoot().resolve("imported").resolve(name + "-victim.zip");
        statusLabel.setText("importing " + r.model().getFileName() + "...");
        java.util.concurrent.CompletableFuture<Path> done = new java.util.concurrent.CompletableFuture<>();
        background.execute(() -> {
            try {
                org.stealbench.experiment.VictimImport.Outcome o = org.stealbench.experiment.VictimImport.run(r, registry, out);
                javafx.application.Platform.runLater(() -> {
                    form.victimProperty().set(out.toAbsolutePath().toString());
                    statusLabel.setText("imported " + o.summary(out));
                    done.complete(out);
                });
            } catch (Exception | LinkageError e) {
                javafx.application.Platform.runLater(() -> {
                    statusLabel.setText("import failed: " + e.getMessage());
                    dialogs.error("Cannot import " + r.model().getFileName(), e.getMessage(), e);
                    done.completeExceptionally(e);
                });
            }
        });
        return done;
    }

    private void chooseVictim() {
        dialogs.victimFile().ifPresent(f -> form.victimProperty().set(f.toAbsolutePath().toString()));
    }

    @FXML
    private void saveExperiment() {
        if (!form.validBinding().get()) {
            dialogs.error("Cannot save", form.problemsBinding().get(), (Throwable) null);
            return;
        }
        dialogs.experimentFile(true).ifPresent(this::saveExperiment);
    }

    /** Saves the experiment to {@code file} (the Save action after its dialog). */
    public void saveExperiment(Path file) {
        try {
            form.save(file);
            statusLabel.setText("Saved " + file);
        } catch (IOException | RuntimeException e) {
            dialogs.error("Cannot save the experiment", e.getMessage(), e);
        }
    }

    @FXML
    private void openExperiment() {
        dialogs.experimentFile(false).ifPresent(this::openExperiment);
    }

    /** Loads a saved experiment into the form (the Open action after its dialog). */
    public void openExperiment(Path file) {
        try {
            form.open(file);
            statusLabel.setText("Opened " + file);
        } catch (IOException | RuntimeException e) {
            dialogs.error("Cannot open " + file.getFileName(), e.getMessage(), e);
        }
    }

    @FXML
    private void exportCurrent() {
        Tab shown = tabs.getSelectionModel().getSelectedItem();
        if (shown == compareTab) {
            exportCharts(compare.charts(), "comparison");
        } else if (shown == embeddingTab) {
            exportCharts(List.of(embedding.chart()), "embedding");
        } else {
            exportCharts(live.charts(), "live");
        }
    }

    private void exportComparisonCharts() {
        exportCharts(compare.charts(), "comparison");
    }

    private void exportCharts(List<JFreeChart> charts, String prefix) {
        exports.charts(charts, prefix);
    }

    @FXML
    private void exportTable() {
        exports.table();
    }

    @FXML
    private void quit() {
        if (closeGuard.mayClose()) {
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
    private void showEmbedding() {
        tabs.getSelectionModel().select(embeddingTab);
    }

    public EmbeddingView embedding() {
        return embedding;
    }

    @FXML
    private void showServer() {
        tabs.getSelectionModel().select(serverTab);
    }

    /** Shows the guided lesson above the views, at its first step (Help > Lesson, F1). */
    @FXML
    public LessonView startLesson() {
        LessonView view = new LessonView(TeachingTexts.lesson(), new LessonSteps(form, this::submitExperiment, this::showView,
                statusLabel::setText), () -> {
                    lessonHolder.getChildren().clear();
                    lessonHolder.setVisible(false);
                    lessonHolder.setManaged(false);
                });
        lessonHolder.getChildren().setAll(view);
        lessonHolder.setVisible(true);
        lessonHolder.setManaged(true);
        return view;
    }

    /** The glossary in a window of its own (Help > Glossary). */
    @FXML
    public GlossaryView showGlossary() {
        return dialogs.glossary();
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
        dialogs.error("Run failed: " + item.title(), item.messageProperty().get(), item.detailsProperty().get());
    }

    /** Whether the window may close now (the close guard asks when runs are in flight). */
    boolean confirmClose() {
        return closeGuard.mayClose();
    }

    /** Benchmark mode: see {@link Autorun}. */
    void autorun(int epochs, String report, int runs, String memoryReport) {
        new Autorun(form, this::submitExperiment, stallMeter, report, runs, memoryReport).start(epochs);
    }
}
