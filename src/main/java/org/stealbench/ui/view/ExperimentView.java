package org.stealbench.ui.view;

import java.util.Arrays;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.control.TextFormatter;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.converter.IntegerStringConverter;
import org.stealbench.attack.StealingLoss;
import org.stealbench.experiment.ExperimentConfig;
import org.stealbench.model.Architecture;
import org.stealbench.ui.model.ExperimentViewModel;

/**
 * The experiment panel: victim, stealing data, query budget (slider and field, with the mark at a
 * fifth of the victim's training set), loss with its one-line explanation, stolen architecture,
 * epochs, re-querying, downstream tasks, seed; the problems of the current combination in place;
 * Run.
 */
public final class ExperimentView extends VBox {

    private final Button run = new Button("Run");
    private final Button chooseVictim = new Button("Choose...");
    private final Button bundledVictim = new Button("Bundled");

    public ExperimentView(ExperimentViewModel form) {
        setSpacing(8);
        setPadding(new Insets(10));
        getStyleClass().add("experiment-panel");
        Label head = new Label("Experiment");
        head.getStyleClass().add("section");

        GridPane g = new GridPane();
        g.setHgap(8);
        g.setVgap(6);
        int row = 0;

        Label victim = new Label();
        victim.textProperty().bind(Bindings.createStringBinding(() -> form.victimProperty().get().equals(ExperimentConfig.BUNDLED)
                ? "bundled: SimCLR on Fashion-MNIST, watermarked" : form.victimProperty().get(), form.victimProperty()));
        victim.setWrapText(true);
        victim.setId("victimLabel");
        Label victimInfo = small(new Label());
        victimInfo.textProperty().bind(form.victimInfoProperty());
        bundledVictim.setOnAction(e -> form.victimProperty().set(ExperimentConfig.BUNDLED));
        g.addRow(row++, label("Victim"), victim);
        g.add(new HBox(6, bundledVictim, chooseVictim), 1, row++);
        g.add(victimInfo, 1, row++);

        ComboBox<String> dataset = new ComboBox<>(form.datasetChoices());
        dataset.setId("stealingDataset");
        dataset.valueProperty().bindBidirectional(form.stealingDatasetProperty());
        dataset.setMaxWidth(Double.MAX_VALUE);
        g.addRow(row++, label("Stealing data"), dataset);

        Slider slider = new Slider(0, 10_000, 2000);
        slider.setId("budgetSlider");
        slider.setShowTickMarks(true);
        slider.setShowTickLabels(true);
        slider.setMajorTickUnit(2500);
        slider.setBlockIncrement(100);
        TextField field = new TextField();
        field.setId("budgetField");
        field.setPrefColumnCount(6);
        TextFormatter<Integer> fmt = new TextFormatter<>(new IntegerStringConverter(), 2000,
                c -> c.getControlNewText().matches("\\d{0,7}") ? c : null);
        field.setTextFormatter(fmt);
        fmt.valueProperty().addListener((o, a, b) -> {
            if (b != null) {
                form.queriesProperty().set(b);
            }
        });
        form.queriesProperty().addListener((o, a, b) -> {
            fmt.setValue(b.intValue());
            if (Math.abs(slider.getValue() - b.intValue()) >= 1 && b.intValue() <= slider.getMax()) {
                slider.setValue(b.intValue());
            }
        });
        slider.valueProperty().addListener((o, a, b) -> {
            if (slider.isValueChanging() || slider.isFocused()) {
                form.queriesProperty().set((int) (Math.round(b.doubleValue() / 50.0) * 50));
            }
        });
        slider.setOnMouseReleased(e -> form.queriesProperty().set((int) (Math.round(slider.getValue() / 50.0) * 50)));
        Button fifth = new Button("1/5");
        fifth.setMinWidth(Region.USE_PREF_SIZE);
        fifth.setId("fifthButton");
        fifth.setTooltip(new Tooltip("Set the budget to a fifth of the victim's training set, the paper's headline budget"));
        fifth.setOnAction(e -> {
            if (form.fifthOfVictimTraining() > 0) {
                form.queriesProperty().set(form.fifthOfVictimTraining());
            }
        });
        fifth.disableProperty().bind(form.victimTrainingImagesProperty().lessThan(10));
        HBox budget = new HBox(6, slider, field, fifth);
        HBox.setHgrow(slider, Priority.ALWAYS);
        Label budgetNote = small(new Label());
        budgetNote.setId("budgetNote");
        budgetNote.textProperty().bind(form.budgetNoteBinding());
        g.addRow(row++, label("Query budget"), budget);
        g.add(budgetNote, 1, row++);

        ComboBox<String> loss = new ComboBox<>();
        loss.setId("lossChoice");
        loss.getItems().setAll(Arrays.stream(StealingLoss.values()).map(StealingLoss::id).toList());
        loss.valueProperty().bindBidirectional(form.lossProperty());
        loss.setMaxWidth(Double.MAX_VALUE);
        Label lossNote = small(new Label());
        lossNote.textProperty().bind(form.lossExplanationBinding());
        g.addRow(row++, label("Loss"), loss);
        g.add(lossNote, 1, row++);

        ComboBox<String> arch = new ComboBox<>();
        arch.getItems().setAll(Arrays.stream(Architecture.values()).map(Architecture::id).toList());
        arch.valueProperty().bindBidirectional(form.architectureProperty());
        arch.setMaxWidth(Double.MAX_VALUE);
        g.addRow(row++, label("Stolen arch."), arch);

        Spinner<Integer> epochs = new Spinner<>(1, 500, form.epochsProperty().get());
        epochs.setPrefWidth(90);
        epochs.setId("epochsSpinner");
        epochs.setEditable(true);
        epochs.getValueFactory().valueProperty().addListener((o, a, b) -> form.epochsProperty().set(b));
        form.epochsProperty().addListener((o, a, b) -> epochs.getValueFactory().setValue(b.intValue()));
        CheckBox requery = new CheckBox("re-query every epoch");
        requery.selectedProperty().bindBidirectional(form.requeryProperty());
        requery.setTooltip(new Tooltip("Each epoch sends augmented copies of the batches to the API again; every view counts as a query"));
        g.addRow(row++, label("Epochs"), new HBox(10, epochs, requery));

        FlowPane tasks = new FlowPane(8, 4);
        for (String t : ExperimentViewModel.TASKS) {
            CheckBox cb = new CheckBox(t);
            cb.setSelected(form.tasks().contains(t));
            cb.selectedProperty().addListener((o, a, b) -> {
                if (b && !form.tasks().contains(t)) {
                    form.tasks().add(t);
                } else if (!b) {
                    form.tasks().remove(t);
                }
            });
            form.tasks().addListener((javafx.collections.ListChangeListener<String>) ch -> cb.setSelected(form.tasks().contains(t)));
            tasks.getChildren().add(cb);
        }
        g.addRow(row++, label("Tasks"), tasks);

        Label defences = small(new Label("none available yet (the defences issue adds noise, proof-of-work, detection)"));
        g.addRow(row++, label("Defences"), defences);

        Spinner<Integer> seed = new Spinner<>(0, Integer.MAX_VALUE, (int) form.seedProperty().get());
        seed.setEditable(true);
        seed.setPrefWidth(110);
        seed.getValueFactory().valueProperty().addListener((o, a, b) -> form.seedProperty().set(b));
        form.seedProperty().addListener((o, a, b) -> seed.getValueFactory().setValue(b.intValue()));
        g.addRow(row++, label("Seed"), seed);

        Label problems = new Label();
        problems.setId("problems");
        problems.getStyleClass().add("problems");
        problems.setWrapText(true);
        problems.textProperty().bind(form.problemsBinding());
        problems.visibleProperty().bind(form.validBinding().not());
        problems.managedProperty().bind(problems.visibleProperty());

        run.setId("runButton");
        run.setGraphic(Icons.view("run", 18));
        run.setDefaultButton(true);
        run.setMaxWidth(Double.MAX_VALUE);
        run.getStyleClass().add("run-button");
        run.disableProperty().bind(form.validBinding().not());
        run.setTooltip(new Tooltip("Queue this experiment (Ctrl+R)"));

        javafx.scene.layout.ColumnConstraints c0 = new javafx.scene.layout.ColumnConstraints();
        c0.setMinWidth(110);
        javafx.scene.layout.ColumnConstraints c1 = new javafx.scene.layout.ColumnConstraints();
        c1.setHgrow(Priority.ALWAYS);
        c1.setFillWidth(true);
        g.getColumnConstraints().addAll(c0, c1);
        getChildren().addAll(head, g, problems, run);
    }

    public Button runButton() {
        return run;
    }

    public Button chooseVictimButton() {
        return chooseVictim;
    }

    private static Label label(String s) {
        Label l = new Label(s);
        l.getStyleClass().add("field-label");
        return l;
    }

    private static Label small(Label l) {
        l.getStyleClass().add("note");
        l.setWrapText(true);
        l.setMaxWidth(330);
        return l;
    }

    static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }
}
