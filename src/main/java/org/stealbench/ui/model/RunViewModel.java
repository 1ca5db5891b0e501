package org.stealbench.ui.model;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.stealbench.experiment.ExperimentConfig;
import org.stealbench.experiment.ExperimentEvent;
import org.stealbench.experiment.ExperimentResult;
import org.stealbench.model.train.Cancellation;
import org.stealbench.model.train.TrainEvent;
import org.stealbench.ssl.SimClrConfig;

/**
 * One queued, running or finished job of the workbench (a theft or a victim training) as the UI
 * sees it. The engine thread only calls {@link #post}; {@link #drain} applies what was posted on
 * the FX thread, a batch at a time, so a chatty engine never floods the UI.
 */
public final class RunViewModel {

    /** Where a job is in its life. */
    public enum State {
        QUEUED, RUNNING, COMPLETED, CANCELLED, FAILED;

        public boolean finished() {
            return this == COMPLETED || this == CANCELLED || this == FAILED;
        }
    }

    /** A point of a live chart. */
    public record Point(double x, double y) {
    }

    private static int counter;

    private final int number;
    private final org.stealbench.experiment.Job job;
    private final Cancellation cancel = new Cancellation();
    private final ConcurrentLinkedQueue<Object> inbox = new ConcurrentLinkedQueue<>();

    private final ObjectProperty<State> state = new SimpleObjectProperty<>(State.QUEUED);
    private final StringProperty phase = new SimpleStringProperty("waiting in the queue");
    private final DoubleProperty progress = new SimpleDoubleProperty(0);
    private final StringProperty timing = new SimpleStringProperty("");
    private final StringProperty queries = new SimpleStringProperty("");
    private final StringProperty message = new SimpleStringProperty("");
    private final StringProperty details = new SimpleStringProperty("");
    private final ObjectProperty<ExperimentEvent.Baselines> baselines = new SimpleObjectProperty<>();
    private final ObjectProperty<ExperimentResult> result = new SimpleObjectProperty<>();
    private final StringProperty verdict = new SimpleStringProperty("");
    /** The cost ledger: the victim's training against this theft (once it finished). */
    private final StringProperty cost = new SimpleStringProperty("");
    private ExperimentEvent.VictimCost victimCost;
    /** The attacker's latest answered request (images and answers), for the "what the attacker sees" strip. */
    private final javafx.beans.property.ObjectProperty<ExperimentEvent.Answered> lastAnswered = new javafx.beans.property.SimpleObjectProperty<>();
    /** The latest embedding (victim and copy on the victim's principal components), for the embedding view. */
    private final javafx.beans.property.ObjectProperty<ExperimentEvent.Embedding> lastEmbedding = new javafx.beans.property.SimpleObjectProperty<>();
    private final ObservableList<Point> loss = FXCollections.observableArrayList();
    /** The run's log as it happens: phases, resumption, each epoch's figures, the end with its message and details. */
    private final ObservableList<String> log = FXCollections.observableArrayList();
    private final ObservableList<Point> knn = FXCollections.observableArrayList();
    private final ObservableList<Point> cosine = FXCollections.observableArrayList();
    private final ObservableList<Point> watermark = FXCollections.observableArrayList();
    private final ObservableList<DefensePoint> defense = FXCollections.observableArrayList();
    private final StringProperty defenseSummary = new SimpleStringProperty("");
    private final java.util.Map<String, String> defenseLines = new java.util.TreeMap<>();

    /**
     * A client's state after one of its requests passed the defences: images it has sent, and each
     * quantity by name ("caught" = refused or flagged so far, "prada W", "pow bits", "coverage coverage" ...).
     */
    public record DefensePoint(String client, long sent, java.util.Map<String, Double> values) {
    }

    /** The name of the "refused or flagged so far" quantity of {@link DefensePoint}. */
    public static final String CAUGHT = "refused or flagged";

    /** The share of the progress bar training fills; evaluation and writing fill the rest. */
    static final double TRAINED = 0.85;

    private long startNanos;
    /** Whether the queue started it (a job cancelled while waiting never does). */
    private boolean started;
    private long totalSteps;
    private long stepsDone;
    private int stepsPerEpoch;
    private long firstStep;

    private RunViewModel(org.stealbench.experiment.Job job) {
        this.number = next();
        this.job = job;
    }

    private static synchronized int next() {
        return ++counter;
    }

    public static RunViewModel theft(ExperimentConfig cfg) {
        return new RunViewModel(new org.stealbench.experiment.Job.Theft(cfg, org.stealbench.experiment.ExperimentRunner.Options.LIVE));
    }

    /** A theft from a remote API ({@code cfg.api()}) with these keys (one per sybil). */
    public static RunViewModel theft(ExperimentConfig cfg, java.util.List<String> apiKeys) {
        return new RunViewModel(new org.stealbench.experiment.Job.Theft(cfg,
                org.stealbench.experiment.ExperimentRunner.Options.LIVE.withApiKeys(apiKeys)));
    }

    public static RunViewModel victim(SimClrConfig cfg) {
        return new RunViewModel(new org.stealbench.experiment.Job.VictimTraining(cfg, null, "workbench"));
    }

    /** What this entry runs: the queue runs every kind of job the same way. */
    public org.stealbench.experiment.Job job() {
        return job;
    }

    public boolean isTheft() {
        return job instanceof org.stealbench.experiment.Job.Theft;
    }

    /** The theft's configuration, or null for another kind of job. */
    public ExperimentConfig experiment() {
        return job instanceof org.stealbench.experiment.Job.Theft t ? t.config() : null;
    }

    /** The victim training's configuration, or null for another kind of job. */
    public SimClrConfig victimTraining() {
        return job instanceof org.stealbench.experiment.Job.VictimTraining v ? v.config() : null;
    }

    public Cancellation cancellation() {
        return cancel;
    }

    public String title() {
        return "#" + number + "  " + job.label();
    }

    @Override
    public String toString() {
        return title();
    }

    // ---- engine side (any thread) ----

    /** Queues an engine event (an ExperimentEvent, a TrainEvent or a victim epoch record) for the FX thread. */
    public void post(Object event) {
        inbox.add(event);
    }

    // ---- FX side ----

    /** Marks the job started (FX thread). */
    void started() {
        state.set(State.RUNNING);
        started = true;
        startNanos = System.nanoTime();
        log("started " + title());
        phase.set("starting");
    }

    /** Applies everything posted since the last call; returns whether anything changed (FX thread). */
    public boolean drain() {
        boolean changed = false;
        Object e;
        TrainEvent.Progress lastProgress = null;
        ExperimentEvent.Answered answered = null;
        while ((e = inbox.poll()) != null) {
            changed = true;
            if (e instanceof ExperimentEvent.Training t) {
                e = t.event();
            }
            if (e instanceof TrainEvent.Progress p) {
                lastProgress = p;
                continue;
            }
            if (e instanceof ExperimentEvent.Answered a) {
                answered = a;
                continue;
            }
            apply(e);
        }
        if (answered != null) {
            // only the latest request is shown: many may arrive between two pumps
            lastAnswered.set(answered);
        }
        if (lastProgress != null) {
            stepsDone = (long) lastProgress.epoch() * lastProgress.stepsPerEpoch() + lastProgress.step() + 1;
            if (totalSteps > 0) {
                // training fills the bar to TRAINED; evaluation and writing the rest, so it is full only when the results are written
                progress.set(TRAINED * Math.min(1.0, (double) stepsDone / totalSteps));
            }
        }
        if (state.get() == State.RUNNING) {
            updateTiming();
        }
        return changed;
    }

    private void apply(Object e) {
        if (e instanceof ExperimentEvent.Phase p) {
            phase.set(p.description());
            log(p.description());
        } else if (e instanceof ExperimentEvent.Evaluating ev) {
            phase.set("evaluating: " + ev.what() + " (" + ev.step() + "/" + ev.steps() + ")");
            progress.set(TRAINED + (1 - TRAINED) * 0.95 * (ev.step() - 1) / ev.steps());
        } else if (e instanceof ExperimentEvent.Embedding emb) {
            lastEmbedding.set(emb);
        } else if (e instanceof ExperimentEvent.VictimCost v) {
            victimCost = v;
        } else if (e instanceof ExperimentEvent.Queried q) {
            queries.set(String.format(Locale.ROOT, "%,d of %,d queries used", q.used(), q.budget()));
        } else if (e instanceof ExperimentEvent.Baselines b) {
            baselines.set(b);
        } else if (e instanceof TrainEvent.Started s) {
            stepsPerEpoch = s.stepsPerEpoch();
            totalSteps = (long) s.epochs() * s.stepsPerEpoch();
            firstStep = (long) s.firstEpoch() * s.stepsPerEpoch();
            stepsDone = firstStep;
            if (!isTheft()) {
                phase.set("training the victim (SimCLR)");
            }
            if (s.firstEpoch() > 0) {
                message.set("resumed after epoch " + s.firstEpoch() + " from the checkpoint");
                log(message.get());
            }
        } else if (e instanceof TrainEvent.EpochEnd end) {
            loss.add(new Point(end.epoch() + 1, end.meanLoss()));
        } else if (e instanceof ExperimentEvent.EpochMetrics m) {
            log(String.format(Locale.ROOT, "epoch %d/%d: loss %.4f%s%s%s", m.epoch() + 1, m.epochs(), m.loss(),
                    Double.isNaN(m.knn()) ? "" : String.format(Locale.ROOT, ", kNN %.1f%%", 100 * m.knn()),
                    Double.isNaN(m.cosine()) ? "" : String.format(Locale.ROOT, ", cosine %.3f", m.cosine()),
                    Double.isNaN(m.watermark()) ? "" : String.format(Locale.ROOT, ", watermark %.1f%%", 100 * m.watermark())));
            // a resumed run replays its earlier epochs, which have no training event of their own
            if (loss.stream().noneMatch(p -> p.x() == m.epoch() + 1)) {
                loss.add(new Point(m.epoch() + 1, m.loss()));
            }
            // a long run is measured after every k-th epoch only (LiveMonitor.measuresAfter)
            if (!Double.isNaN(m.knn())) {
                knn.add(new Point(m.epoch() + 1, m.knn()));
            }
            if (!Double.isNaN(m.cosine())) {
                cosine.add(new Point(m.epoch() + 1, m.cosine()));
            }
            if (!Double.isNaN(m.watermark())) {
                watermark.add(new Point(m.epoch() + 1, m.watermark()));
            }
        } else if (e instanceof ExperimentEvent.DefenseState d) {
            java.util.Map<String, Double> v = new java.util.LinkedHashMap<>();
            v.put(CAUGHT, (double) d.account().caught());
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s: %,d sent, %,d answered, %,d refused, %,d flagged", d.client(),
                    d.sent(), d.account().answered(), d.account().denied(), d.account().flagged()));
            d.state().forEach((defence, quantities) -> {
                String id = defence.contains(":") ? defence.substring(0, defence.indexOf(':')) : defence;
                quantities.forEach((q, x) -> v.put(id + " " + q, x));
                line.append("; ").append(id).append(' ').append(describe(id, quantities));
            });
            defense.add(new DefensePoint(d.client(), d.sent(), v));
            defenseLines.put(d.client(), line.toString());
            defenseSummary.set(String.join("\n", defenseLines.values()));
        } else if (e instanceof ExperimentEvent.VictimEpoch v) {
            if (!Double.isNaN(v.watermarkAccuracy())) {
                watermark.add(new Point(v.epoch() + 1, v.watermarkAccuracy()));
            }
        } else if (e instanceof ExperimentEvent.Done d && d.result() != null) {
            finish(d.result());
        } else if (e instanceof ExperimentEvent.Done d) {
            State s = switch (d.outcome().status()) {
                case COMPLETED -> State.COMPLETED;
                case CANCELLED -> State.CANCELLED;
                default -> State.FAILED;
            };
            endWith(s, d.outcome().message(), null);
        } else if (e instanceof Ended end) {
            endWith(end.state(), end.message(), end.error());
        }
    }


    /** The job's end as the queue saw it, with the error if one escaped the engine. */
    record Ended(State state, String message, Throwable error) {
    }

    private void finish(ExperimentResult r) {
        result.set(r);
        if (r.completed()) {
            if (!Double.isNaN(r.watermarkP())) {
                verdict.set(String.format(Locale.ROOT, "copy: watermark %.1f%% on the victim's held-out images, p = %s: %s",
                        100 * r.watermarkAccuracy(), org.stealbench.eval.Metrics.formatP(r.watermarkP()),
                        r.watermarkP() < org.stealbench.eval.WatermarkVerifier.ALPHA ? "the watermark is present: this copy was stolen"
                                : "no evidence of the watermark"));
            }
            queries.set(String.format(Locale.ROOT, "%,d queries used", r.queriesUsed()));
            cost.set(org.stealbench.experiment.CostLedger.describe(victimCost, r));
            endWith(State.COMPLETED, "done in " + duration(r.seconds()) + "; results in " + r.folder().getFileName(), null);
        } else if (r.status().equals("CANCELLED")) {
            endWith(State.CANCELLED, "cancelled; run the same experiment again to resume from its last epoch", null);
        } else {
            endWith(State.FAILED, r.message(), null);
        }
    }

    private void endWith(State s, String msg, Throwable error) {
        if (state.get().finished()) {
            return;
        }
        // the message, phase and timing first: listeners of the state read them
        message.set(msg == null ? "" : msg);
        phase.set(s.name().toLowerCase(Locale.ROOT));
        if (s == State.COMPLETED) {
            progress.set(1);
        }
        if (error != null) {
            StringWriter w = new StringWriter();
            error.printStackTrace(new PrintWriter(w));
            details.set(w.toString());
        }
        // a job cancelled while it waited never started: no duration to show
        timing.set(started ? "took " + duration((System.nanoTime() - startNanos) / 1e9) : "did not start");
        log(s.name().toLowerCase(Locale.ROOT) + (msg == null || msg.isBlank() ? "" : ": " + msg));
        if (details.get() != null && !details.get().isBlank()) {
            details.get().lines().limit(40).forEach(l -> log.add("    " + l));
        }
        state.set(s);
    }

    private void updateTiming() {
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        String t = duration(elapsed) + " elapsed";
        long doneHere = stepsDone - firstStep;
        if (doneHere > 0 && totalSteps > stepsDone) {
            double perStep = elapsed / doneHere;
            t += ", about " + duration(perStep * (totalSteps - stepsDone)) + " of training left";
        }
        timing.set(t);
    }

    static String duration(double s) {
        long secs = Math.round(s);
        return secs < 60 ? secs + " s" : String.format(Locale.ROOT, "%d min %02d s", secs / 60, secs % 60);
    }

    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    public ObjectProperty<State> stateProperty() {
        return state;
    }

    public State state() {
        return state.get();
    }

    public StringProperty phaseProperty() {
        return phase;
    }

    public DoubleProperty progressProperty() {
        return progress;
    }

    public StringProperty timingProperty() {
        return timing;
    }

    public StringProperty queriesProperty() {
        return queries;
    }

    public StringProperty messageProperty() {
        return message;
    }

    public StringProperty detailsProperty() {
        return details;
    }

    public StringProperty verdictProperty() {
        return verdict;
    }

    public javafx.beans.property.ObjectProperty<ExperimentEvent.Embedding> lastEmbeddingProperty() {
        return lastEmbedding;
    }

    public javafx.beans.property.ObjectProperty<ExperimentEvent.Answered> lastAnsweredProperty() {
        return lastAnswered;
    }

    public StringProperty costProperty() {
        return cost;
    }

    public ObjectProperty<ExperimentEvent.Baselines> baselinesProperty() {
        return baselines;
    }

    public ObjectProperty<ExperimentResult> resultProperty() {
        return result;
    }

    /** The run's log, oldest line first. */
    public ObservableList<String> log() {
        return log;
    }

    private void log(String line) {
        log.add(java.time.LocalTime.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "  " + line);
    }

    public ObservableList<Point> loss() {
        return loss;
    }

    public ObservableList<Point> knn() {
        return knn;
    }

    public ObservableList<Point> cosine() {
        return cosine;
    }

    /** Each client's defence state after each of its requests, in order. */
    public ObservableList<DefensePoint> defense() {
        return defense;
    }

    /** One line per client: traffic and what each defence makes of it now. */
    public StringProperty defenseSummaryProperty() {
        return defenseSummary;
    }

    private static String describe(String id, java.util.Map<String, Double> q) {
        return switch (id) {
            case "prada" -> String.format(Locale.ROOT, "W %.3f (flags below %.2f)%s", q.getOrDefault("W", Double.NaN),
                    q.getOrDefault("threshold", Double.NaN), q.getOrDefault("flagged", 0.0) > 0 ? ", FLAGGED" : "");
            case "pow" -> String.format(Locale.ROOT, "%.0f bits, departure %.2f, %.0f proofs refused", q.getOrDefault("bits", Double.NaN),
                    q.getOrDefault("departure", Double.NaN), q.getOrDefault("rejected", 0.0));
            case "coverage" -> String.format(Locale.ROOT, "%.1f%% of buckets, noise sd %.3f", 100 * q.getOrDefault("coverage", 0.0),
                    q.getOrDefault("noise", 0.0));
            case "similarity" -> String.format(Locale.ROOT, "%.0f of %.0f flagged", q.getOrDefault("flagged", 0.0), q.getOrDefault("checked", 0.0));
            default -> q.toString();
        };
    }

    public ObservableList<Point> watermark() {
        return watermark;
    }
}
