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

    /** Reference rows (victim, random encoder) measured for a victim and tasks, kept while the workbench runs. */
    private final java.util.Map<String, List<List<org.stealbench.eval.EncoderEvaluation.TaskResult>>> references =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final javafx.beans.property.ObjectProperty<ResultTables.Table> paper = new javafx.beans.property.SimpleObjectProperty<>();
    private final StringProperty paperStatus = new SimpleStringProperty("");

    /** The paper's table over seeds of the checked runs, with victim and random-encoder rows (null until computed). */
    public javafx.beans.property.ObjectProperty<ResultTables.Table> paperTableProperty() {
        return paper;
    }

    public StringProperty paperStatusProperty() {
        return paperStatus;
    }

    /**
     * Recomputes the paper's table of the checked runs in the background: the victim's and a random
     * encoder's accuracy on the runs' tasks (measured once per victim and tasks), then one row per
     * experiment with mean ± std over its seeds.
     */
    public void computePaperTable(org.stealbench.data.DatasetRegistry registry) {
        List<ExperimentResult> sel = selected().stream().filter(ExperimentResult::completed).toList();
        if (sel.isEmpty()) {
            paper.set(null);
            paperStatus.set("Check finished runs to see them over their seeds, with the victim's and a random encoder's rows.");
            return;
        }
        List<String> tasks = sel.stream().flatMap(r -> r.config().tasks().stream()).distinct().toList();
        org.stealbench.experiment.ExperimentConfig base = sel.get(0).config().withTasks(tasks);
        boolean oneVictim = sel.stream().map(r -> r.config().victim()).distinct().count() == 1;
        String key = base.victim() + "|" + tasks + "|" + base.stolenArchitecture() + "|" + base.seed();
        paperStatus.set(oneVictim && !references.containsKey(key) ? "measuring the victim and a random encoder on " + String.join(", ", tasks)
                + " ..." : "");
        background.execute(() -> {
            List<List<org.stealbench.eval.EncoderEvaluation.TaskResult>> refs = null;
            String error = null;
            if (oneVictim) {
                try {
                    refs = references.computeIfAbsent(key, k -> List.of(org.stealbench.experiment.LossComparison.victimRow(base, registry),
                            org.stealbench.experiment.LossComparison.randomRow(base, registry)));
                } catch (RuntimeException e) {
                    error = e.getMessage();
                }
            }
            ResultTables.Table t = ResultTables.paperTable(tasks, refs == null ? null : refs.get(0), refs == null ? null : refs.get(1), sel);
            String note = !oneVictim ? "The checked runs steal different victims: no victim or random-encoder row."
                    : error != null ? "Could not measure the reference rows: " + error : "";
            fx.execute(() -> {
                paper.set(t);
                paperStatus.set(note);
            });
        });
    }

    /** The checked runs as the paper-shaped table (one row per run, with its budget). */
    public ResultTables.Tables table() {
        List<ExperimentResult> sel = selected();
        List<String> tasks = sel.stream().flatMap(r -> r.config().tasks().stream()).distinct().toList();
        return ResultTables.lossTable(tasks, null, sel, true, true).render();
    }
}
