package org.stealbench.ui.model;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executor;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.stealbench.experiment.ExperimentResult;
import org.stealbench.experiment.ResultSummary;
import org.stealbench.experiment.ResultTables;

/**
 * The results browser: every results folder under the results root, each with a check box; the
 * checked ones feed the comparison table, the grouped bar chart and the budget curve.
 */
public final class ResultsViewModel {

    /** One past run and whether it takes part in the comparison. */
    public static final class Row {
        private final ResultSummary.StoredRun run;
        private final BooleanProperty selected = new SimpleBooleanProperty(true);

        Row(ResultSummary.StoredRun run) {
            this.run = run;
        }

        public ResultSummary.StoredRun run() {
            return run;
        }

        public ExperimentResult result() {
            return run.result();
        }

        public BooleanProperty selectedProperty() {
            return selected;
        }
    }

    private final Path root;
    private final Executor background;
    private final Executor fx;
    private final ObservableList<Row> rows = FXCollections.observableArrayList(r -> new javafx.beans.Observable[] {r.selectedProperty()});
    private final StringProperty status = new SimpleStringProperty("");

    public ResultsViewModel(Path root, Executor background, Executor fx) {
        this.root = root;
        this.background = background;
        this.fx = fx;
    }

    public ObservableList<Row> rows() {
        return rows;
    }

    public StringProperty statusProperty() {
        return status;
    }

    public Path root() {
        return root;
    }

    /** Re-reads the results root in the background; keeps the check marks of runs already listed. */
    public void refresh() {
        status.set("reading " + root + " ...");
        background.execute(() -> {
            List<ResultSummary.StoredRun> runs = ResultSummary.list(root);
            fx.execute(() -> {
                java.util.Map<Path, Boolean> was = new java.util.HashMap<>();
                rows.forEach(r -> was.put(r.result().folder(), r.selectedProperty().get()));
                List<Row> fresh = runs.stream().map(Row::new).toList();
                fresh.forEach(r -> r.selectedProperty().set(was.getOrDefault(r.result().folder(), true)));
                rows.setAll(fresh);
                status.set(runs.isEmpty() ? "no results yet in " + root + ": run an experiment" : runs.size() + " runs in " + root);
            });
        });
    }

    /** The checked runs, oldest first. */
    public List<ExperimentResult> selected() {
        return rows.stream().filter(r -> r.selectedProperty().get()).map(Row::result).toList();
    }

    /** The checked runs as the paper-shaped table (one row per run, with its budget). */
    public ResultTables.Tables table() {
        List<ExperimentResult> sel = selected();
        List<String> tasks = sel.stream().flatMap(r -> r.config().tasks().stream()).distinct().toList();
        return ResultTables.lossTable(tasks, null, sel, true, true).render();
    }
}
