package org.stealbench.ui.view;

import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Spinner;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.stealbench.ui.model.RunViewModel;
import org.stealbench.ui.model.RunQueueViewModel;

/** The job queue: every job with its state and progress; how many may run at once; cancel; clear finished. */
public final class RunsView extends VBox {

    private final ListView<RunViewModel> list;

    public RunsView(RunQueueViewModel queue) {
        setSpacing(6);
        setPadding(new Insets(10));
        Label head = new Label("Runs");
        head.getStyleClass().add("section");
        Spinner<Integer> parallel = new Spinner<>(1, 4, queue.parallelProperty().get());
        parallel.setId("parallelRuns");
        parallel.setPrefWidth(70);
        parallel.getValueFactory().valueProperty().addListener((o, a, b) -> queue.parallelProperty().set(b));
        Label running = new Label();
        running.textProperty().bind(Bindings.createStringBinding(() -> queue.runningProperty().get() + " running",
                queue.runningProperty()));
        Button clear = new Button("Clear finished");
        clear.setId("clearFinished");
        clear.setOnAction(e -> queue.clearFinished());
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox top = new HBox(8, head, gap, running, new Label("at once:"), parallel, clear);
        top.setAlignment(Pos.CENTER_LEFT);
        list = new ListView<>(queue.items());
        list.setId("runList");
        Label empty = new Label("No runs yet. Press Run to queue the experiment; runs wait here and start in order.");
        empty.setWrapText(true);
        empty.getStyleClass().add("note");
        list.setPlaceholder(empty);
        list.setCellFactory(v -> new RunCell(queue));
        VBox.setVgrow(list, Priority.ALWAYS);
        getChildren().addAll(top, list);
        // the Live view shows the selected run: a new run takes the selection only from a finished one (or none), so queueing
        // more runs never switches away from the one training; a run that starts takes it from a finished one
        queue.items().addListener((javafx.collections.ListChangeListener<RunViewModel>) ch -> {
            while (ch.next()) {
                for (RunViewModel added : ch.getAddedSubList()) {
                    if (selectionIsIdle()) {
                        list.getSelectionModel().select(added);
                    }
                    added.stateProperty().addListener((o, a, st) -> {
                        if (st == RunViewModel.State.RUNNING && selectionIsIdle()) {
                            list.getSelectionModel().select(added);
                        }
                    });
                }
            }
        });
    }

    /** No run selected, or a finished one. */
    private boolean selectionIsIdle() {
        RunViewModel selected = list.getSelectionModel().getSelectedItem();
        return selected == null || selected.state().finished();
    }

    public ListView<RunViewModel> list() {
        return list;
    }

    /** A job's row; its controls are made the first time it shows a job (the list also makes cells for empty rows). */
    private static final class RunCell extends ListCell<RunViewModel> {
        private final RunQueueViewModel queue;
        private Label title;
        private Label state;
        private ProgressBar bar;
        private Button cancel;
        private VBox box;

        RunCell(RunQueueViewModel queue) {
            this.queue = queue;
        }

        private void build() {
            title = new Label();
            state = new Label();
            bar = new ProgressBar();
            cancel = new Button();
            cancel.setGraphic(Icons.view("cancel", 14));
            cancel.getStyleClass().add("flat");
            cancel.setOnAction(e -> {
                if (getItem() != null) {
                    queue.cancel(getItem());
                }
            });
            bar.setPrefWidth(160);
            state.getStyleClass().add("note");
            Region gap = new Region();
            HBox.setHgrow(gap, Priority.ALWAYS);
            HBox line = new HBox(8, bar, state, gap, cancel);
            line.setAlignment(Pos.CENTER_LEFT);
            box = new VBox(2, title, line);
        }

        @Override
        protected void updateItem(RunViewModel item, boolean empty) {
            super.updateItem(item, empty);
            if (box == null) {
                if (empty || item == null) {
                    setGraphic(null);
                    return;
                }
                build();
            }
            title.textProperty().unbind();
            state.textProperty().unbind();
            bar.progressProperty().unbind();
            cancel.disableProperty().unbind();
            if (empty || item == null) {
                setGraphic(null);
                return;
            }
            title.setText(item.title());
            state.textProperty().bind(Bindings.createStringBinding(() -> item.state() == RunViewModel.State.RUNNING
                    ? item.phaseProperty().get() : item.state().name().toLowerCase(java.util.Locale.ROOT), item.stateProperty(),
                    item.phaseProperty()));
            bar.progressProperty().bind(item.progressProperty());
            cancel.disableProperty().bind(Bindings.createBooleanBinding(() -> item.state().finished(), item.stateProperty()));
            setGraphic(box);
        }
    }
}
