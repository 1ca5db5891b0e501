package org.stealbench.ui.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.stealbench.attack.StealingLoss;
import org.stealbench.data.DatasetRegistry;
import org.stealbench.data.format.DataFiles;
import org.stealbench.experiment.ExperimentConfig;
import org.stealbench.experiment.ExperimentParameters;
import org.stealbench.experiment.ExperimentRunner;
import org.stealbench.experiment.Protocol;
import org.stealbench.model.EncoderIO;

/**
 * The experiment panel's state: one property per field of an {@link ExperimentConfig}, the
 * explanations shown beside them, and the problems of the current combination, recomputed on
 * every change so the panel explains them in place (Run stays disabled until there are none).
 * Facts that need the disk (the victim's training-set size, how many query images a dataset
 * offers) are looked up on a background executor and arrive through {@code fx}.
 */
public final class ExperimentViewModel {

    public static final List<String> TASKS = List.of("fashion-mnist", "mnist", "digits", "shapes", "cifar10", "stl10", "svhn");

    private final DatasetRegistry registry;
    private final Executor background;
    private final Executor fx;

    // each field starts at its one declared default (ExperimentParameters)
    private final StringProperty victim = new SimpleStringProperty(ExperimentParameters.VICTIM.defaultValue());
    private final StringProperty victimInfo = new SimpleStringProperty("");
    private final IntegerProperty victimTrainingImages = new SimpleIntegerProperty(0);
    private final IntegerProperty victimRepDim = new SimpleIntegerProperty(0);
    /** The dataset the victim was trained on (as users name it), "" until known. */
    private final StringProperty victimDataset = new SimpleStringProperty("");
    /** Data the experiment needs that is not on this machine, one line each ("" when all is there). */
    private final StringProperty dataProblems = new SimpleStringProperty("");
    private final StringProperty stealingDataset = new SimpleStringProperty(ExperimentParameters.STEALING_DATASET.defaultValue());
    private final IntegerProperty capacity = new SimpleIntegerProperty(-1);
    private final StringProperty capacityError = new SimpleStringProperty("");
    /** True from a victim or data look-up's start until the data look-up answers (the form says so; it does not wait for it). */
    private final ReadOnlyBooleanWrapper checkingData = new ReadOnlyBooleanWrapper(false);
    private final IntegerProperty queries = new SimpleIntegerProperty(ExperimentParameters.QUERIES.defaultValue().intValue());
    private final StringProperty loss = new SimpleStringProperty(ExperimentParameters.LOSS.defaultValue());
    private final StringProperty architecture = new SimpleStringProperty(ExperimentParameters.ARCHITECTURE.defaultValue());
    private final IntegerProperty epochs = new SimpleIntegerProperty(ExperimentParameters.EPOCHS.defaultValue().intValue());
    private final BooleanProperty requery = new SimpleBooleanProperty(ExperimentParameters.REQUERY.defaultValue());
    private final ObservableList<String> tasks = FXCollections.observableArrayList(ExperimentParameters.TASKS.defaultValue());
    private final LongProperty seed = new SimpleLongProperty(ExperimentParameters.SEED.defaultValue());
    /** The defence chain, as experiments name it ({@code prada}, {@code pow:base=10}). */
    private final ObservableList<String> defenses = FXCollections.observableArrayList(ExperimentParameters.DEFENSES.defaultValue());
    private final IntegerProperty sybils = new javafx.beans.property.SimpleIntegerProperty(ExperimentParameters.SYBILS.defaultValue().intValue());
    private final ObservableList<String> datasetChoices = FXCollections.observableArrayList("fashion-mnist", "mnist", "digits", "shapes");

    private final StringBinding problems;
    private final BooleanBinding valid;
    private final StringBinding budgetNote;
    private final StringBinding lossExplanation;
    /** Optimiser overrides from an opened experiment file (the panel has no fields for them; they are kept and shown). */
    private final javafx.beans.property.ObjectProperty<ExperimentConfig> training =
            new javafx.beans.property.SimpleObjectProperty<>(ExperimentConfig.demo("infonce"));

    public ExperimentViewModel(DatasetRegistry registry, Executor background, Executor fx) {
        this.registry = registry;
        this.background = background;
        this.fx = fx;
        problems = Bindings.createStringBinding(this::computeProblems, victim, victimInfo, stealingDataset, capacity, capacityError, queries,
                loss, architecture, epochs, requery, tasks, victimRepDim, dataProblems, defenses, sybils);
        valid = Bindings.createBooleanBinding(() -> problems.get().isEmpty(), problems);
        budgetNote = Bindings.createStringBinding(this::computeBudgetNote, queries, victimTrainingImages, epochs, requery, capacity, loss,
                checkingData, stealingDataset);
        lossExplanation = Bindings.createStringBinding(() -> {
            try {
                String text = StealingLoss.of(loss.get()).explanation();
                ExperimentConfig t = training.get();
                if (t.overridesTraining()) {
                    var sc = t.withLoss(loss.get()).stealConfig();
                    text += String.format(java.util.Locale.ROOT, " Trained with %s, learning rate %.3g, batch %d (set in the opened file).",
                            sc.effectiveOptimizer(), sc.effectiveLearningRate(), sc.effectiveBatchSize());
                }
                return text;
            } catch (IllegalArgumentException e) {
                return "";
            }
        }, loss, training);
        victim.addListener((o, a, b) -> lookUpVictim(!loading));
        stealingDataset.addListener((o, a, b) -> lookUpData());
        tasks.addListener((javafx.collections.ListChangeListener<String>) c -> lookUpData());
    }

    /** Starts the background look-ups for the current victim and dataset (call once the UI is up). */
    public void refresh() {
        lookUpVictim(false);
    }

    /** True while {@link #load} sets the fields: an opened experiment keeps its own task list. */
    private boolean loading;

    /** @param firstTask put the victim's dataset first among the tasks (when the user picks another victim) */
    private void lookUpVictim(boolean firstTask) {
        String v = victim.get();
        victimInfo.set("reading the victim...");
        checkingData.set(true); // what the stealing data offers depends on the victim's roles: known once lookUpData answers
        inBackground(() -> {
            String info;
            int images = 0;
            int rep = 0;
            String dataset = "";
            try {
                Path file = ExperimentRunner.victimFile(ExperimentConfig.demo("mse").withVictim(v), registry);
                EncoderIO.Opened saved = EncoderIO.open(file);
                Map<String, Object> p = saved.provenance();
                images = p.get("trainImages") instanceof Number n ? n.intValue() : 0;
                Protocol.VictimData vd = Protocol.VictimData.fromProvenance(p);
                if (vd == null) {
                    throw new IllegalArgumentException("it does not record which images it was trained on");
                }
                dataset = new Protocol(vd, registry).victimDatasetName();
                var s = saved.encoder();
                rep = s.repDim();
                if (images == 0 && vd.wholeSplit()) {
                    images = new Protocol(vd, registry).victim().trainIndices().length;
                }
                String kind = s instanceof org.stealbench.model.Encoder own ? own.spec().architecture() : s.describe().split(",")[0];
                info = String.format(Locale.ROOT, "%s, %dx%dx%d in, %d-d out; trained on %s%s; %s", kind, s.channels(), s.height(),
                        s.width(), s.repDim(), images > 0 ? String.format(Locale.ROOT, "%,d images of ", images) : "",
                        p.getOrDefault("dataset", dataset), s.watermark() != null ? "watermarked" : "no watermark");
                saved.encoder().close();
            } catch (RuntimeException e) {
                info = "cannot read the victim: " + e.getMessage();
            }
            String fi = info;
            int fImages = images;
            int fRep = rep;
            String fd = dataset;
            onFx(() -> {
                if (v.equals(victim.get())) {
                    victimTrainingImages.set(fImages);
                    victimRepDim.set(fRep);
                    victimInfo.set(fi);
                    victimDataset.set(fd);
                    if (firstTask && !fd.isEmpty()) {
                        // the victim's own dataset is always the first task: fidelity and the watermark are measured on it
                        tasks.remove(fd);
                        tasks.add(0, fd);
                    }
                    lookUpData();
                }
            });
        });
    }

    /**
     * Checks, on the background executor, what the experiment needs from the disk: how many query
     * images the stealing dataset offers beside the victim's protocol roles, and whether every
     * task's data is on this machine.
     */
    private void lookUpData() {
        String v = victim.get();
        String d = stealingDataset.get();
        List<String> t = List.copyOf(tasks);
        capacity.set(-1);
        capacityError.set("");
        checkingData.set(true);
        inBackground(() -> {
            int c = -1;
            String err = "";
            List<String> missing = new ArrayList<>();
            Protocol protocol = null;
            try {
                protocol = Protocol.of(ExperimentConfig.demo("mse").withVictim(v), registry);
            } catch (RuntimeException e) {
                // the victim's own problem, reported by its look-up
            }
            try {
                if (registry.find(d).isEmpty()) {
                    registry.resolve(d);
                }
                c = protocol != null ? protocol.capacity(d) : -1;
            } catch (RuntimeException e) {
                err = firstLine(e.getMessage());
            }
            for (String task : t) {
                if (registry.find(task).isEmpty()) {
                    String why;
                    try {
                        registry.resolve(task);
                        why = "not found";
                    } catch (RuntimeException e) {
                        why = firstLine(e.getMessage());
                    }
                    missing.add("task " + task + ": " + why);
                }
            }
            int fc = c;
            String fe = err;
            String fm = String.join("\n", missing);
            onFx(() -> {
                if (d.equals(stealingDataset.get()) && v.equals(victim.get()) && t.equals(tasks)) {
                    capacity.set(fc);
                    capacityError.set(fe);
                    dataProblems.set(fm);
                    checkingData.set(false);
                }
            });
        });
    }

    /** Hands a look-up's answer to the FX side; after shutdown (the window closing) nobody is left to show it to. */
    private void onFx(Runnable r) {
        try {
            fx.execute(r);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    /** Runs a look-up on the background executor; after shutdown (the window closing) there is nothing left to look up. */
    private void inBackground(Runnable r) {
        try {
            background.execute(r);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing: the answer would have nobody to show it to
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    private String computeProblems() {
        List<String> p = new ArrayList<>();
        if (victimInfo.get().startsWith("cannot read")) {
            p.add(victimInfo.get());
        }
        if (!capacityError.get().isEmpty()) {
            p.add("stealing dataset: " + capacityError.get());
        } else if (capacity.get() >= 0 && queries.get() > capacity.get()) {
            p.add(String.format(Locale.ROOT, "%s offers %,d query images; lower the budget to at most that", stealingDataset.get(), capacity.get()));
        }
        // each field against its declaration, then what only the combination can get wrong
        for (String why : new String[] {ExperimentParameters.QUERIES.check((long) queries.get()), ExperimentParameters.EPOCHS.check((long) epochs.get()), ExperimentParameters.LOSS.check(loss.get()),
                ExperimentParameters.ARCHITECTURE.check(architecture.get()), ExperimentParameters.TASKS.check(List.copyOf(tasks)), ExperimentParameters.SEED.check(seed.get()),
                ExperimentParameters.DEFENSES.check(List.copyOf(defenses)), ExperimentParameters.SYBILS.check((long) sybils.get())}) {
            if (why != null) {
                p.add(why);
            }
        }
        if (ExperimentParameters.LOSS.check(loss.get()) == null) {
            StealingLoss l = StealingLoss.of(loss.get());
            if (queries.get() < l.defaultBatchSize() && l != StealingLoss.MSE && l != StealingLoss.WASSERSTEIN) {
                p.add(String.format(Locale.ROOT, "%s compares outputs within batches of %d; fewer queries make every batch the whole set",
                        l.id(), l.defaultBatchSize()));
            }
        }
        if (!dataProblems.get().isEmpty()) {
            p.add(dataProblems.get());
        }
        return String.join("\n", p);
    }

    /** The budget's own problem ("" when none): its declared range and what the stealing dataset offers. */
    public StringBinding budgetProblemBinding() {
        if (budgetProblem == null) {
            budgetProblem = Bindings.createStringBinding(() -> {
                String why = ExperimentParameters.QUERIES.check((long) queries.get());
                if (why != null) {
                    return why;
                }
                if (capacityError.get().isEmpty() && capacity.get() >= 0 && queries.get() > capacity.get()) {
                    return String.format(Locale.ROOT, "%s offers %,d query images", stealingDataset.get(), capacity.get());
                }
                return "";
            }, queries, capacity, capacityError, stealingDataset);
        }
        return budgetProblem;
    }

    /** The stealing dataset's own problem ("" when none): not on this machine, or unreadable. */
    public StringBinding stealingDatasetProblemBinding() {
        if (stealingProblem == null) {
            stealingProblem = Bindings.createStringBinding(() -> capacityError.get(), capacityError);
        }
        return stealingProblem;
    }

    /** The downstream tasks' own problem ("" when none). */
    public StringBinding tasksProblemBinding() {
        if (tasksProblem == null) {
            tasksProblem = Bindings.createStringBinding(() -> {
                String why = ExperimentParameters.TASKS.check(List.copyOf(tasks));
                return why == null ? "" : why;
            }, tasks);
        }
        return tasksProblem;
    }

    private StringBinding budgetProblem;
    private StringBinding stealingProblem;
    private StringBinding tasksProblem;

    private String computeBudgetNote() {
        StringBuilder sb = new StringBuilder();
        int n = queries.get();
        if (victimTrainingImages.get() > 0) {
            sb.append(String.format(Locale.ROOT, "%,d queries = %.0f%% of the victim's %,d training images", n,
                    100.0 * n / victimTrainingImages.get(), victimTrainingImages.get()));
        } else {
            sb.append(String.format(Locale.ROOT, "%,d queries", n));
        }
        if (requery.get()) {
            try {
                long views = ExperimentConfig.demo(loss.get()).withQueries(Math.max(2, n)).withEpochs(Math.max(1, epochs.get()))
                        .withRequery(true).stealConfig().queriesNeeded();
                sb.append(String.format(Locale.ROOT, "; re-querying sends %,d views in all", views));
            } catch (IllegalArgumentException e) {
                // shown as a problem
            }
        }
        sb.append(String.format(Locale.ROOT, "; %d %s = %,d sample passes", epochs.get(), epochs.get() == 1 ? "epoch" : "epochs",
                (long) epochs.get() * n));
        if (checkingData.get()) {
            sb.append(String.format(Locale.ROOT, "; checking how many query images %s offers...", stealingDataset.get()));
        } else if (capacity.get() >= 0) {
            sb.append(String.format(Locale.ROOT, "; %s offers %,d query images", stealingDataset.get(), capacity.get()));
        }
        return sb.toString();
    }

    /** The 1/5-of-the-victim's-training-set budget the paper singles out (0 if unknown). */
    public int fifthOfVictimTraining() {
        return victimTrainingImages.get() / 5;
    }

    /** The experiment as it stands; throws with the problems if it is not valid. */
    public ExperimentConfig toConfig() {
        if (!valid.get()) {
            throw new IllegalArgumentException(problems.get());
        }
        return new ExperimentConfig(ExperimentConfig.SCHEMA, victim.get(), stealingDataset.get(), queries.get(), loss.get(), architecture.get(),
                epochs.get(), requery.get(), List.copyOf(tasks), List.copyOf(defenses), seed.get())
                .withTraining(training.get().optimizer(), training.get().learningRate(), training.get().batchSize()).withSybils(sybils.get());
    }

    /** Sets every field from {@code cfg}. */
    public void load(ExperimentConfig cfg) {
        loading = true;
        try {
            set(cfg);
        } finally {
            loading = false;
        }
    }

    private void set(ExperimentConfig cfg) {
        victim.set(cfg.victim());
        if (!datasetChoices.contains(cfg.stealingDataset())) {
            datasetChoices.add(cfg.stealingDataset());
        }
        stealingDataset.set(cfg.stealingDataset());
        queries.set(cfg.queries());
        loss.set(cfg.loss());
        architecture.set(cfg.stolenArchitecture());
        epochs.set(cfg.epochs());
        requery.set(cfg.requery());
        tasks.setAll(cfg.tasks());
        defenses.setAll(cfg.defenses());
        sybils.set(cfg.sybils());
        seed.set(cfg.seed());
        training.set(cfg);
    }

    public void save(Path file) throws IOException {
        byte[] b = toConfig().toJson().getBytes(StandardCharsets.UTF_8);
        DataFiles.writeAtomically(file, o -> o.write(b));
    }

    public void open(Path file) throws IOException {
        load(ExperimentConfig.read(file));
    }

    public StringProperty victimProperty() {
        return victim;
    }

    public StringProperty victimInfoProperty() {
        return victimInfo;
    }

    public StringProperty victimDatasetProperty() {
        return victimDataset;
    }

    public IntegerProperty victimTrainingImagesProperty() {
        return victimTrainingImages;
    }

    public StringProperty stealingDatasetProperty() {
        return stealingDataset;
    }

    /**
     * True while what the stealing dataset offers (and whether the tasks' data is here) is being looked up, the
     * victim's look-up before it included.
     */
    public ReadOnlyBooleanProperty checkingDataProperty() {
        return checkingData.getReadOnlyProperty();
    }

    public IntegerProperty capacityProperty() {
        return capacity;
    }

    public IntegerProperty queriesProperty() {
        return queries;
    }

    public StringProperty lossProperty() {
        return loss;
    }

    public StringProperty architectureProperty() {
        return architecture;
    }

    public IntegerProperty epochsProperty() {
        return epochs;
    }

    public BooleanProperty requeryProperty() {
        return requery;
    }

    public ObservableList<String> tasks() {
        return tasks;
    }

    public ObservableList<String> defenses() {
        return defenses;
    }

    public IntegerProperty sybilsProperty() {
        return sybils;
    }

    public LongProperty seedProperty() {
        return seed;
    }

    public ObservableList<String> datasetChoices() {
        return datasetChoices;
    }

    public StringBinding problemsBinding() {
        return problems;
    }

    public BooleanBinding validBinding() {
        return valid;
    }

    public StringBinding budgetNoteBinding() {
        return budgetNote;
    }

    public StringBinding lossExplanationBinding() {
        return lossExplanation;
    }
}
