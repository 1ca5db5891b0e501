package org.stealbench.ui;

import java.io.File;
import java.nio.file.Path;
import java.util.Optional;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextArea;
import javafx.scene.layout.GridPane;
import javafx.stage.FileChooser;
import javafx.stage.Modality;
import javafx.stage.Stage;
import org.stealbench.ssl.SimClrConfig;
import org.stealbench.ui.model.TeachingTexts;
import org.stealbench.ui.view.GlossaryView;

/** The workbench's dialogs and file choosers, owned by its window: each asks and returns, the workbench acts. */
final class Dialogs {

    private final Stage stage;

    Dialogs(Stage stage) {
        this.stage = stage;
    }

    /** An error with the exception's stack trace as expandable details. */
    void error(String header, String message, Throwable t) {
        String details = "";
        if (t != null) {
            java.io.StringWriter w = new java.io.StringWriter();
            t.printStackTrace(new java.io.PrintWriter(w));
            details = w.toString();
        }
        error(header, message, details);
    }

    /** An error with {@code details} (a stack trace, a log) expandable under the message. */
    void error(String header, String message, String details) {
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

    /** Asks whether to cancel {@code n} runs in flight and quit. */
    boolean confirmQuit(long n) {
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, n + (n == 1 ? " run is" : " runs are") + " waiting or running. Cancel "
                + (n == 1 ? "it" : "them") + " and quit? Finished results are kept; a cancelled theft resumes from its last epoch "
                + "when you run the same experiment again.", ButtonType.YES, ButtonType.NO);
        a.setHeaderText("Quit StealBench?");
        a.initOwner(stage);
        return a.showAndWait().orElse(ButtonType.NO) == ButtonType.YES;
    }

    /** The victim training to queue, or empty. */
    Optional<SimClrConfig> trainVictim(ObservableList<String> datasets) {
        Dialog<SimClrConfig> d = new Dialog<>();
        d.setTitle("Train a victim");
        d.setHeaderText("SimCLR on a dataset, with the rotation watermark (runs in the queue; about 14 minutes for the demo victim on 2 cores)");
        ComboBox<String> ds = new ComboBox<>(datasets);
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
        d.setResultConverter(b -> b != ButtonType.OK ? null
                : SimClrConfig.demo().with(ds.getValue(), images.getValue(), epochs.getValue(), wm.isSelected()));
        d.initOwner(stage);
        return d.showAndWait();
    }

    /**
     * A DL4J or Keras model to import as a victim, and what it was trained on; empty when cancelled.
     * {@code out} is where the victim file goes (the request is checked when it runs).
     */
    Optional<org.stealbench.experiment.VictimImport.Request> importVictim(ObservableList<String> datasets) {
        FileChooser fc = new FileChooser();
        fc.setTitle("Import a DL4J or Keras model as a victim");
        fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("DL4J models (ModelSerializer zip), Keras HDF5", "*.zip", "*.h5", "*.hdf5"),
                new FileChooser.ExtensionFilter("Any file", "*"));
        Optional<Path> model = path(fc.showOpenDialog(stage));
        if (model.isEmpty()) {
            return Optional.empty();
        }
        Dialog<org.stealbench.experiment.VictimImport.Request> d = importVictimForm(model.get(), datasets);
        d.initOwner(stage);
        return d.showAndWait();
    }

    /**
     * The import form for {@code model}: what it was trained on and how it takes images; OK (enabled once the shape reads)
     * gives the request.
     */
    static Dialog<org.stealbench.experiment.VictimImport.Request> importVictimForm(Path model, ObservableList<String> datasets) {
        Dialog<org.stealbench.experiment.VictimImport.Request> d = new Dialog<>();
        d.setTitle("Import a victim");
        d.setHeaderText(model.getFileName() + ": what it was trained on, and how it takes images");
        ComboBox<String> ds = new ComboBox<>(datasets);
        ds.setId("importDataset");
        ds.setValue(datasets.contains("fashion-mnist") ? "fashion-mnist" : datasets.isEmpty() ? null : datasets.get(0));
        javafx.scene.control.TextField indices = new javafx.scene.control.TextField("all");
        indices.setId("importIndices");
        indices.setPromptText("all, first:N, or a file of indices");
        javafx.scene.control.TextField shape = new javafx.scene.control.TextField();
        shape.setId("importShape");
        shape.setPromptText("CxHxW, e.g. 1x32x32 (empty: the dataset's)");
        ComboBox<String> layout = new ComboBox<>(javafx.collections.FXCollections.observableArrayList("auto", "nchw", "nhwc", "flat"));
        layout.setId("importLayout");
        layout.setValue("auto");
        javafx.scene.control.TextField layer = new javafx.scene.control.TextField();
        layer.setId("importLayer");
        layer.setPromptText("empty: the model's output");
        ComboBox<String> scale = new ComboBox<>(javafx.collections.FXCollections.observableArrayList("1", "255"));
        scale.setId("importScale");
        scale.setValue("1");
        GridPane g = new GridPane();
        g.setHgap(10);
        g.setVgap(8);
        g.setPadding(new Insets(10));
        g.addRow(0, new Label("Trained on"), ds);
        g.addRow(1, new Label("Training images"), indices);
        g.addRow(2, new Label("Input shape"), shape);
        g.addRow(3, new Label("Layout"), layout);
        g.addRow(4, new Label("Representation layer"), layer);
        g.addRow(5, new Label("Pixel scale"), scale);
        Label note = new Label("A model from elsewhere does not record its training images: 'all' (the safe choice) takes the whole "
                + "training split as the victim's. Held-out images come from the test split.");
        note.setWrapText(true);
        note.setMaxWidth(460);
        g.add(note, 0, 6, 2, 1);
        d.getDialogPane().setContent(g);
        d.getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        // OK only with a dataset and a shape that reads (empty, or CxHxW)
        d.getDialogPane().lookupButton(ButtonType.OK).disableProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(() -> {
            try {
                org.stealbench.experiment.VictimImport.shape(shape.getText());
                return ds.getValue() == null;
            } catch (IllegalArgumentException e) {
                return true;
            }
        }, shape.textProperty(), ds.valueProperty()));
        d.setResultConverter(b -> {
            if (b != ButtonType.OK || ds.getValue() == null) {
                return null;
            }
            return new org.stealbench.experiment.VictimImport.Request(model, ds.getValue(), indices.getText().trim(),
                    org.stealbench.model.Dl4jEncoder.Layout.parse(layout.getValue()), layer.getText().isBlank() ? null : layer.getText().trim(),
                    Double.parseDouble(scale.getValue()), org.stealbench.experiment.VictimImport.shape(shape.getText()));
        });
        return d;
    }

    /** A saved encoder to use as the victim, or empty. */
    Optional<Path> victimFile() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Choose a victim encoder");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("StealBench encoders", "*.zip"));
        return path(fc.showOpenDialog(stage));
    }

    /** An experiment file to open ({@code save}: to save to), or empty. */
    Optional<Path> experimentFile(boolean save) {
        FileChooser fc = new FileChooser();
        fc.setTitle(save ? "Save experiment" : "Open experiment");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Experiments (JSON)", "*.json"));
        if (save) {
            fc.setInitialFileName("experiment.json");
        }
        return path(save ? fc.showSaveDialog(stage) : fc.showOpenDialog(stage));
    }

    /** Where to export charts (the first; the others are numbered beside it), or empty. */
    Optional<Path> chartsFile(String prefix) {
        FileChooser fc = new FileChooser();
        fc.setTitle("Export charts: one file per chart, named after this one");
        fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("PNG image", "*.png"),
                new FileChooser.ExtensionFilter("SVG vector image", "*.svg"));
        fc.setInitialFileName(prefix + ".png");
        return path(fc.showSaveDialog(stage));
    }

    /** Where to export the comparison table (.csv, .tex and .md beside each other), or empty. */
    Optional<Path> tableFile() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Export the comparison table (writes .csv, .tex and .md)");
        fc.setInitialFileName("comparison.csv");
        return path(fc.showSaveDialog(stage));
    }

    /** The glossary in a window of its own, beside the workbench (not modal). */
    GlossaryView glossary() {
        GlossaryView view = new GlossaryView(TeachingTexts.glossary());
        Dialog<Void> d = new Dialog<>();
        d.setTitle("Glossary");
        d.initOwner(stage);
        d.initModality(Modality.NONE);
        d.setResizable(true);
        d.getDialogPane().setContent(view);
        d.getDialogPane().getButtonTypes().add(ButtonType.CLOSE);
        d.show();
        return view;
    }

    private static Optional<Path> path(File f) {
        return f == null ? Optional.empty() : Optional.of(f.toPath());
    }
}
