package org.stealbench.ui.view;

import java.util.Map;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import org.stealbench.model.NativeBackend;
import org.stealbench.ui.FxStallMeter;

/**
 * About and backend: version, CPU or CUDA, device, native build, paths, the FX thread's longest
 * stall so far, and the process's memory (refreshed every second while the view shows).
 */
public final class AboutView extends VBox {

    public AboutView(Map<String, String> paths, FxStallMeter meter) {
        setSpacing(10);
        setPadding(new Insets(16));
        Label head = new Label("StealBench 0.1.0");
        head.getStyleClass().add("title-dark");
        Label what = new Label("Steal self-supervised image encoders through their API, and defend them: a workbench for the "
                + "experiments of \"On the Difficulty of Defending Self-Supervised Learning against Model Extraction\" (ICML 2022), "
                + "at demo scale, on your CPU (or a GPU: README, GPU).");
        what.setWrapText(true);
        what.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        GridPane g = new GridPane();
        g.setHgap(14);
        g.setVgap(6);
        javafx.scene.layout.ColumnConstraints keyColumn = new javafx.scene.layout.ColumnConstraints();
        keyColumn.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        g.getColumnConstraints().addAll(keyColumn, new javafx.scene.layout.ColumnConstraints());
        int row = 0;
        Map<String, String> backend = NativeBackend.describe();
        // the backend ND4J loaded (JCublasBackend for CUDA, CpuBackend), not a guess from the build
        String kind = backend.getOrDefault("backend", "?").equals("JCublasBackend") ? "CUDA" : "CPU";
        g.addRow(row++, key("Compute"), new Label(kind));
        // the backend from the next start (ND4J picks its backend once, when the process starts)
        javafx.scene.control.ComboBox<String> next = new javafx.scene.control.ComboBox<>(javafx.collections.FXCollections.observableArrayList(
                "auto", "cpu", "cuda"));
        next.setId("backendChoice");
        next.setValue(NativeBackend.savedBackend(NativeBackend.settingsFile()));
        next.setTooltip(new javafx.scene.control.Tooltip("The backend from the next start: auto takes a GPU ND4J's CUDA build can run when "
                + "this build carries it, else the CPU. --backend or $STEALBENCH_BACKEND override it."));
        Label saved = new Label();
        saved.getStyleClass().add("note");
        next.valueProperty().addListener((o, a, b) -> {
            try {
                NativeBackend.saveBackend(NativeBackend.settingsFile(), b);
                saved.setText("saved; takes effect when StealBench starts again");
            } catch (java.io.IOException | RuntimeException e) {
                saved.setText("cannot save: " + e.getMessage());
            }
        });
        g.addRow(row++, key("Backend (next start)"), new javafx.scene.layout.HBox(8, next, saved));
        for (Map.Entry<String, String> e : backend.entrySet()) {
            Label v = new Label(e.getValue());
            v.setWrapText(true);
            v.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
            g.addRow(row++, key(e.getKey()), v);
        }
        g.addRow(row++, key("Java"), new Label(System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"));
        g.addRow(row++, key("JavaFX"), new Label(System.getProperty("javafx.runtime.version", "?")));
        for (Map.Entry<String, String> e : paths.entrySet()) {
            g.addRow(row++, key(e.getKey()), new Label(e.getValue()));
        }
        Label stall = new Label();
        stall.setId("stallLabel");
        stall.setWrapText(true);
        stall.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        g.addRow(row++, key("UI responsiveness (since start)"), stall);
        Label memory = new Label(memory());
        memory.setId("memoryLabel");
        memory.setWrapText(true);
        memory.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        g.addRow(row++, key("Memory (now)"), memory);
        // Refreshes only while the view shows: a label changing in a hidden tab still costs the FX thread
        // a layout and render pass every second (measured: most of the 50-ms stalls while a run trained).
        Timeline t = new Timeline(new KeyFrame(Duration.seconds(1), e -> {
            stall.setText(meter.summary());
            memory.setText(memory());
        }));
        t.setCycleCount(Timeline.INDEFINITE);
        refresher = t;
        Label keys = new Label("Shortcuts: Ctrl+R run, Ctrl+K cancel the selected run, Ctrl+S save the experiment, Ctrl+O open one, "
                + "Ctrl+E export the charts in view, Ctrl+T train a victim, Ctrl+1..6 switch views, F1 the lesson, Help > Glossary.");
        keys.setWrapText(true);
        keys.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        getChildren().addAll(head, what, g, keys);
    }

    private final Timeline refresher;

    /** Starts or stops the once-a-second refresh (the workbench calls it when the tab is selected or left). */
    public void setActive(boolean active) {
        if (active) {
            refresher.play();
        } else {
            refresher.stop();
        }
    }

    /** This process's memory: PSS (RSS), the Java heap in use, and the engine's native arrays still open. */
    static String memory() {
        Runtime rt = Runtime.getRuntime();
        String heap = String.format(java.util.Locale.ROOT, "Java heap %,d of %,d MiB in use; engine arrays open %,.1f MiB",
                (rt.totalMemory() - rt.freeMemory()) >> 20, rt.maxMemory() >> 20,
                org.stealbench.model.nn.NativeArrays.openBytes() / 1048576.0);
        return org.stealbench.model.ProcessMemory.self()
                .map(m -> String.format(java.util.Locale.ROOT, "%,.0f MiB PSS (%,.0f MiB RSS); ", m.pssMiB(), m.rssMiB()) + heap)
                .orElse(heap);
    }

    private static Label key(String s) {
        Label l = new Label(s);
        l.getStyleClass().add("field-label");
        return l;
    }
}
