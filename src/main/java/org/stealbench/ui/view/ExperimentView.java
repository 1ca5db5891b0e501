package org.stealbench.ui.view;

import java.io.IOException;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TextField;
import javafx.scene.control.TextFormatter;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.util.converter.IntegerStringConverter;
import org.stealbench.experiment.ExperimentConfig;
import org.stealbench.defense.DefenseCatalog;
import org.stealbench.experiment.ExperimentParameters;
import org.stealbench.ui.model.ExperimentViewModel;

/**
 * The experiment panel (layout in experiment.fxml): victim, stealing data, query budget (slider
 * and field, with the button for a fifth of the victim's training set), loss with its one-line
 * explanation, stolen architecture, epochs, re-querying, downstream tasks, seed; the problems
 * of the current combination in place; Run. A thin controller: it binds controls to the
 * {@link ExperimentViewModel}, which holds the state and the validation.
 */
public final class ExperimentView {

    private final ExperimentViewModel form;
    private final Parent root;
    private final org.controlsfx.validation.ValidationSupport validation = new org.controlsfx.validation.ValidationSupport();

    @FXML
    private Label victimLabel;
    @FXML
    private Label victimInfo;
    @FXML
    private Button chooseVictim;
    @FXML
    private ComboBox<String> stealingDataset;
    @FXML
    private Slider budgetSlider;
    @FXML
    private TextField budgetField;
    @FXML
    private Button fifthButton;
    @FXML
    private javafx.scene.layout.Pane fifthMark;
    @FXML
    private Label budgetNote;
    @FXML
    private ComboBox<String> lossChoice;
    @FXML
    private Label lossNote;
    @FXML
    private ComboBox<String> architecture;
    @FXML
    private Spinner<Integer> epochs;
    @FXML
    private CheckBox requery;
    @FXML
    private FlowPane tasks;
    @FXML
    private javafx.scene.layout.VBox defenses;
    @FXML
    private Spinner<Integer> seed;
    @FXML
    private Label problems;
    @FXML
    private Button runButton;

    public ExperimentView(ExperimentViewModel form) {
        this.form = form;
        FXMLLoader loader = new FXMLLoader(ExperimentView.class.getResource("/org/stealbench/ui/experiment.fxml"));
        loader.setController(this);
        try {
            root = loader.load();
        } catch (IOException e) {
            throw new IllegalStateException("cannot load experiment.fxml", e);
        }
    }

    public Parent root() {
        return root;
    }

    public Button runButton() {
        return runButton;
    }

    public Button chooseVictimButton() {
        return chooseVictim;
    }

    @FXML
    private void initialize() {
        victimLabel.textProperty().bind(Bindings.createStringBinding(() -> form.victimProperty().get().equals(ExperimentConfig.BUNDLED)
                ? "bundled: SimCLR on Fashion-MNIST, watermarked" : form.victimProperty().get(), form.victimProperty()));
        victimInfo.textProperty().bind(form.victimInfoProperty());
        stealingDataset.setItems(form.datasetChoices());
        stealingDataset.valueProperty().bindBidirectional(form.stealingDatasetProperty());
        bindBudget();
        budgetField.setTooltip(new Tooltip(ExperimentParameters.QUERIES.help()));
        budgetSlider.setTooltip(new Tooltip(ExperimentParameters.QUERIES.help()));
        budgetNote.textProperty().bind(form.budgetNoteBinding());
        // choices, ranges and tooltips from the fields' one declaration (ExperimentParameters)
        lossChoice.getItems().setAll(ExperimentParameters.LOSS.choices());
        lossChoice.setTooltip(new Tooltip(ExperimentParameters.LOSS.help()));
        stealingDataset.setTooltip(new Tooltip(ExperimentParameters.STEALING_DATASET.help()));
        architecture.setTooltip(new Tooltip(ExperimentParameters.ARCHITECTURE.help()));
        epochs.setTooltip(new Tooltip(ExperimentParameters.EPOCHS.help()));
        requery.setTooltip(new Tooltip(ExperimentParameters.REQUERY.help()));
        seed.setTooltip(new Tooltip(ExperimentParameters.SEED.help()));
        lossChoice.valueProperty().bindBidirectional(form.lossProperty());
        lossNote.textProperty().bind(form.lossExplanationBinding());
        architecture.getItems().setAll(ExperimentParameters.ARCHITECTURE.choices());
        architecture.valueProperty().bindBidirectional(form.architectureProperty());
        epochs.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory((int) ExperimentParameters.EPOCHS.min(),
                (int) ExperimentParameters.EPOCHS.max(), form.epochsProperty().get()));
        epochs.getValueFactory().valueProperty().addListener((o, a, b) -> form.epochsProperty().set(b));
        form.epochsProperty().addListener((o, a, b) -> epochs.getValueFactory().setValue(b.intValue()));
        requery.selectedProperty().bindBidirectional(form.requeryProperty());
        for (String t : ExperimentViewModel.TASKS) {
            CheckBox cb = new CheckBox(t);
            cb.setTooltip(new Tooltip(ExperimentParameters.TASKS.description()));
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
        buildDefenses();
        seed.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory((int) ExperimentParameters.SEED.min(), Integer.MAX_VALUE,
                (int) form.seedProperty().get()));
        seed.getValueFactory().valueProperty().addListener((o, a, b) -> form.seedProperty().set(b));
        form.seedProperty().addListener((o, a, b) -> seed.getValueFactory().setValue(b.intValue()));
        problems.textProperty().bind(form.problemsBinding());
        problems.visibleProperty().bind(form.validBinding().not());
        problems.managedProperty().bind(problems.visibleProperty());
        runButton.setGraphic(Icons.view("run", 18));
        runButton.disableProperty().bind(form.validBinding().not());
        fifthButton.disableProperty().bind(form.victimTrainingImagesProperty().lessThan(10));
        markFifth();
    }

    /**
     * One row per defence of the catalog: a check box (its title; the tooltip explains it) and a field
     * for parameters other than the defaults ({@code base=10,gain=8}; the tooltip lists each one's
     * default and range); then the attacker's keys. The chain is rebuilt from the rows, in the
     * catalog's order, on every change; the form's check reports bad parameters with their ranges.
     */
    private void buildDefenses() {
        List<Runnable> sync = new java.util.ArrayList<>();
        List<CheckBox> boxes = new java.util.ArrayList<>();
        List<javafx.scene.control.TextField> fields = new java.util.ArrayList<>();
        boolean[] updating = {false};
        Runnable push = () -> {
            if (updating[0]) {
                return;
            }
            List<String> chain = new java.util.ArrayList<>();
            for (int i = 0; i < boxes.size(); i++) {
                if (boxes.get(i).isSelected()) {
                    String params = fields.get(i).getText() == null ? "" : fields.get(i).getText().strip();
                    chain.add(DefenseCatalog.KINDS.get(i).id() + (params.isEmpty() ? "" : ":" + params));
                }
            }
            updating[0] = true;
            form.defenses().setAll(chain);
            updating[0] = false;
        };
        for (DefenseCatalog.Kind k : DefenseCatalog.KINDS) {
            CheckBox cb = new CheckBox(k.title());
            cb.setId("defense-" + k.id());
            StringBuilder help = new StringBuilder(k.explanation()).append("\nParameters (type to change, e.g. ")
                    .append(k.stronger().contains(":") ? k.stronger().substring(k.stronger().indexOf(':') + 1) : "").append("):");
            for (DefenseCatalog.Param p : k.params()) {
                help.append("\n  ").append(p.name()).append(" = ").append(p.defaultValue()).append(" (").append(p.range()).append("): ")
                        .append(p.description());
            }
            Tooltip tip = new Tooltip(help.toString());
            tip.setWrapText(true);
            tip.setMaxWidth(480);
            cb.setTooltip(tip);
            javafx.scene.control.TextField params = new javafx.scene.control.TextField();
            params.setId("defense-" + k.id() + "-params");
            params.setPromptText("parameters, e.g. " + (k.stronger().contains(":") ? k.stronger().substring(k.stronger().indexOf(':') + 1)
                    : "defaults"));
            params.setPrefColumnCount(14);
            params.setTooltip(tip);
            cb.selectedProperty().addListener((o, a, b) -> push.run());
            params.textProperty().addListener((o, a, b) -> push.run());
            boxes.add(cb);
            fields.add(params);
            // the parameters field shows under its defence once it is ticked
            params.visibleProperty().bind(cb.selectedProperty());
            params.managedProperty().bind(params.visibleProperty());
            javafx.scene.layout.VBox.setMargin(params, new javafx.geometry.Insets(0, 0, 2, 24));
            defenses.getChildren().addAll(cb, params);
        }
        // a loaded experiment sets the rows
        javafx.collections.ListChangeListener<String> pull = ch -> {
            if (updating[0]) {
                return;
            }
            updating[0] = true;
            for (int i = 0; i < boxes.size(); i++) {
                String id = DefenseCatalog.KINDS.get(i).id();
                String found = form.defenses().stream().filter(d -> d.equals(id) || d.startsWith(id + ":")).findFirst().orElse(null);
                boxes.get(i).setSelected(found != null);
                fields.get(i).setText(found == null || !found.contains(":") ? "" : found.substring(found.indexOf(':') + 1));
            }
            updating[0] = false;
        };
        form.defenses().addListener(pull);
        pull.onChanged(null);
        Spinner<Integer> keys = new Spinner<>((int) ExperimentParameters.SYBILS.min(), (int) ExperimentParameters.SYBILS.max(),
                form.sybilsProperty().get());
        keys.setId("sybils");
        keys.setPrefWidth(80);
        keys.setTooltip(new Tooltip(ExperimentParameters.SYBILS.help()));
        keys.valueProperty().addListener((o, a, b) -> form.sybilsProperty().set(b));
        form.sybilsProperty().addListener((o, a, b) -> keys.getValueFactory().setValue(b.intValue()));
        Label keysLabel = new Label("attacker's keys (sybils)");
        javafx.scene.layout.HBox keysRow = new javafx.scene.layout.HBox(8, keysLabel, keys);
        keysRow.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        defenses.getChildren().add(keysRow);
        decorateProblems();
    }

    /**
     * ControlsFX validation decorations: a field whose own value is wrong (the budget over what the
     * stealing dataset offers, a dataset not on this machine, no task) carries an error mark with
     * the reason as its tooltip, beside the problems listed above Run.
     */
    private void decorateProblems() {
        validation.setValidationDecorator(new org.controlsfx.validation.decoration.GraphicValidationDecoration());
        register(budgetField, form.budgetProblemBinding());
        register(stealingDataset, form.stealingDatasetProblemBinding());
        register(tasks, form.tasksProblemBinding());
    }

    private void register(javafx.scene.Node node, javafx.beans.binding.StringBinding problem) {
        if (node instanceof javafx.scene.control.Control control) {
            validation.registerValidator(control, false, (javafx.scene.control.Control c, Object v) ->
                    org.controlsfx.validation.ValidationResult.fromErrorIf(c, problem.get(), !problem.get().isEmpty()));
        } else {
            // a pane of check boxes: decorate it directly
            problem.addListener((o, a, why) -> {
                org.controlsfx.control.decoration.Decorator.removeAllDecorations(node);
                if (!why.isEmpty()) {
                    org.controlsfx.control.decoration.Decorator.addDecoration(node,
                            new org.controlsfx.control.decoration.GraphicDecoration(errorMark(why), javafx.geometry.Pos.TOP_RIGHT));
                }
            });
        }
        problem.addListener((o, a, b) -> validation.revalidate());
    }

    private static javafx.scene.Node errorMark(String why) {
        Label mark = new Label("!");
        mark.getStyleClass().add("error-mark");
        mark.setTooltip(new Tooltip(why));
        return mark;
    }

    /** The validation of the fields (for tests): invalid while any decorated field has a problem. */
    public org.controlsfx.validation.ValidationSupport validation() {
        return validation;
    }

    private void bindBudget() {
        TextFormatter<Integer> fmt = new TextFormatter<>(new IntegerStringConverter(), form.queriesProperty().get(),
                c -> c.getControlNewText().matches("\\d{0,7}") ? c : null);
        budgetField.setTextFormatter(fmt);
        fmt.valueProperty().addListener((o, a, b) -> {
            if (b != null) {
                form.queriesProperty().set(b);
            }
        });
        form.queriesProperty().addListener((o, a, b) -> {
            fmt.setValue(b.intValue());
            if (Math.abs(budgetSlider.getValue() - b.intValue()) >= 1 && b.intValue() <= budgetSlider.getMax()) {
                budgetSlider.setValue(b.intValue());
            }
        });
        budgetSlider.valueProperty().addListener((o, a, b) -> {
            if (budgetSlider.isValueChanging() || budgetSlider.isFocused()) {
                form.queriesProperty().set((int) (Math.round(b.doubleValue() / 50.0) * 50));
            }
        });
        budgetSlider.setOnMouseReleased(e -> form.queriesProperty().set((int) (Math.round(budgetSlider.getValue() / 50.0) * 50)));
    }

    /** A mark under the slider at a fifth of the victim's training set (the paper's headline budget). */
    private void markFifth() {
        Label mark = new Label("\u25B2 1/5 of the victim's training set");
        mark.getStyleClass().add("note");
        mark.setId("fifthMark");
        fifthMark.getChildren().add(mark);
        double thumb = 8;
        mark.layoutXProperty().bind(Bindings.createDoubleBinding(() -> {
            double f = (form.fifthOfVictimTraining() - budgetSlider.getMin()) / (budgetSlider.getMax() - budgetSlider.getMin());
            return thumb + (budgetSlider.getWidth() - 2 * thumb) * f - 5;
        }, budgetSlider.widthProperty(), form.victimTrainingImagesProperty()));
        mark.visibleProperty().bind(form.victimTrainingImagesProperty().greaterThan(10)
                .and(form.victimTrainingImagesProperty().divide(5).lessThanOrEqualTo(budgetSlider.maxProperty())));
    }

    @FXML
    private void useBundledVictim() {
        form.victimProperty().set(ExperimentConfig.BUNDLED);
    }

    @FXML
    private void setFifth() {
        if (form.fifthOfVictimTraining() > 0) {
            form.queriesProperty().set(form.fifthOfVictimTraining());
        }
    }
}
