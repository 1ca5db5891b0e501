package org.stealbench.ui;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.stealbench.data.DatasetRegistry;

/**
 * The workbench application. Engine work runs on {@link #BACKGROUND} and on the run queue's
 * threads, never on the FX thread. System properties: {@code stealbench.results} (results
 * folder, default ./results), {@code stealbench.open} (an experiment file to open at start),
 * {@code stealbench.autorun} (epochs: queue the default experiment, or the opened one,
 * at start, quit when it ends, for the ui benchmark) with {@code stealbench.stallReport} (file
 * for the FX stall figures), {@code stealbench.autorun.runs} (how many times, one after another)
 * and {@code stealbench.memoryReport} (file for the process's memory after each run; memory benchmark), {@code stealbench.view} (the view to open on: live, compare, data,
 * server, about; for screenshots), {@code stealbench.serve} (a port: the Server view serves the panel's victim there from the
 * start), {@code stealbench.serverDb} (the Server view's accounting database, default ~/.stealbench/api.db),
 * {@code stealbench.exitAfterStart} (print the JVM's uptime once the window is up, then quit: the app suite's start-up time).
 */
public final class WorkbenchApp extends Application {

    /** Background threads for quick engine look-ups; daemon threads so closing the window ends the program. */
    static final ExecutorService BACKGROUND = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "stealbench-worker");
        t.setDaemon(true);
        return t;
    });

    private Workbench workbench;

    @Override
    public void start(Stage stage) throws Exception {
        DatasetRegistry registry = DatasetRegistry.standard(DatasetRegistry.Roots.defaults(null));
        Path results = org.stealbench.experiment.ExperimentParameters.defaultResultsRoot();
        workbench = new Workbench(stage, registry, results, BACKGROUND, Platform::runLater);
        javafx.geometry.Rectangle2D screen = javafx.stage.Screen.getPrimary().getVisualBounds();
        Scene scene = new Scene(workbench.root(), Math.min(1440, screen.getWidth()), Math.min(900, screen.getHeight()));
        scene.getStylesheets().add(WorkbenchApp.class.getResource("stealbench.css").toExternalForm());
        workbench.installShortcuts(scene);
        stage.setTitle("StealBench: steal and defend self-supervised encoders");
        var icon = org.stealbench.ui.view.Icons.image("app");
        if (icon != null) {
            stage.getIcons().add(icon);
        }
        stage.setScene(scene);
        if (screen.getWidth() <= 1440 || screen.getHeight() <= 900) {
            stage.setX(screen.getMinX());
            stage.setY(screen.getMinY());
            stage.setMaximized(true);
        }
        stage.show();
        workbench.started();
        String open = System.getProperty("stealbench.open");
        if (open != null) {
            workbench.openExperiment(java.nio.file.Path.of(open));
        }
        String view = System.getProperty("stealbench.view");
        if (view != null) {
            workbench.showView(view);
        }
        if (Boolean.getBoolean("stealbench.exitAfterStart")) {
            // start-up benchmark: the window is up and laid out; say how long the JVM took to get here, then quit
            Platform.runLater(() -> {
                System.out.println("STARTUP_MS " + java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime());
                Platform.exit();
            });
            return;
        }
        Integer serve = Integer.getInteger("stealbench.serve");
        if (serve != null) {
            workbench.server().portProperty().set(serve);
            workbench.server().start(workbench.form().victimProperty().get());
        }
        String autorun = System.getProperty("stealbench.autorun");
        if (autorun != null) {
            int epochs;
            try {
                epochs = Integer.parseInt(autorun.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("-Dstealbench.autorun takes the epochs of the theft it runs (then the window closes), not '"
                        + autorun + "'", e);
            }
            workbench.autorun(epochs, System.getProperty("stealbench.stallReport"), Integer.getInteger("stealbench.autorun.runs", 1),
                    System.getProperty("stealbench.memoryReport"));
        }
    }

    /** The window closed or the toolkit exits: a server the Server view started stops with it (its threads would keep the JVM up). */
    @Override
    public void stop() {
        if (workbench != null) {
            workbench.server().close();
        }
    }

    /** The composed workbench (for tests). */
    public Workbench workbench() {
        return workbench;
    }
}
