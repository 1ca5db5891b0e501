package org.stealbench.ui;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Supplier;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.util.Duration;
import org.stealbench.experiment.ExperimentConfig;
import org.stealbench.ui.model.ExperimentViewModel;
import org.stealbench.ui.model.RunViewModel;

/**
 * Benchmark mode ({@code -Dstealbench.autorun=EPOCHS}): queue the demo experiment (or the opened
 * one) with that many epochs, {@code runs} times one after another; write the stall figures of the
 * first run to {@code report} and, when {@code memoryReport} is set, this process's memory after
 * every run and after ten idle seconds at the end; then quit. The ui and memory benchmarks drive
 * the workbench this way.
 */
final class Autorun {

    private final ExperimentViewModel form;
    private final Supplier<RunViewModel> submit;
    private final FxStallMeter stallMeter;
    private final String report;
    private final int runs;
    private final String memoryReport;

    Autorun(ExperimentViewModel form, Supplier<RunViewModel> submit, FxStallMeter stallMeter, String report, int runs, String memoryReport) {
        this.form = form;
        this.submit = submit;
        this.stallMeter = stallMeter;
        this.report = report;
        this.runs = runs;
        this.memoryReport = memoryReport;
    }

    void start(int epochs) {
        ExperimentConfig start = System.getProperty("stealbench.open") != null ? form.toConfig() : ExperimentConfig.demo("infonce");
        form.load(start.withEpochs(epochs));
        Timeline wait = new Timeline();
        wait.getKeyFrames().add(new KeyFrame(Duration.seconds(6), e -> runOne(1)));
        wait.play();
    }

    private void runOne(int run) {
        RunViewModel item = submit.get();
        if (item == null) {
            return;
        }
        stallMeter.reset();
        double[] setup = {Double.NaN, 0};
        item.phaseProperty().addListener((o, a, p) -> {
            if ("training the copy".equals(p) && Double.isNaN(setup[0])) {
                setup[0] = stallMeter.worstMillis();
                setup[1] = stallMeter.probesOver50ms();
                System.err.println("stalls over 50 ms while the run was set up: " + stallMeter.stalls());
                System.err.println("FX thread stacks sampled in set-up stalls:\n" + stallMeter.busyStacks(12));
                stallMeter.reset();
            }
        });
        item.stateProperty().addListener((o, a, s) -> {
            if (!s.finished()) {
                return;
            }
            if (run == 1) {
                System.err.println("stalls over 50 ms while it trained and was evaluated: " + stallMeter.stalls());
                System.err.println("FX thread stacks sampled in stalls:\n" + stallMeter.busyStacks(8));
                String text = String.format(Locale.ROOT,
                        "state=%s%nsetup_worst_ms=%.1f%nsetup_over_50ms=%.0f%nworst_ms=%.1f%nprobes=%d%nover_50ms=%d%ngc_pause_ms=%.1f%nseconds=%s%n", s,
                        setup[0], setup[1], stallMeter.worstMillis(), stallMeter.probes(), stallMeter.probesOver50ms(),
                        stallMeter.worstGcPauseMillis(),
                        item.resultProperty().get() == null ? "" : String.format(Locale.ROOT, "%.1f", item.resultProperty().get().seconds()));
                write(report, text);
            }
            var r = item.resultProperty().get();
            appendMemory(String.format(Locale.ROOT, "run=%d state=%s seconds=%s", run, s,
                    r == null ? "" : String.format(Locale.ROOT, "%.1f", r.seconds())));
            if (run < runs) {
                runOne(run + 1);
                return;
            }
            if (memoryReport == null) {
                Platform.exit();
                return;
            }
            Timeline idle = new Timeline(new KeyFrame(Duration.seconds(10), ev -> {
                appendMemory("idle=10s");
                Platform.exit();
            }));
            idle.play();
        });
    }

    private void appendMemory(String what) {
        if (memoryReport == null) {
            return;
        }
        try {
            org.stealbench.experiment.bench.MemoryBenchmark.appendLine(Path.of(memoryReport), what);
        } catch (IOException ex) {
            System.err.println("cannot write " + memoryReport + ": " + ex.getMessage());
        }
    }

    private static void write(String file, String text) {
        if (file == null) {
            return;
        }
        try {
            Files.writeString(Path.of(file), text, StandardCharsets.UTF_8);
        } catch (IOException ex) {
            System.err.println("cannot write " + file + ": " + ex.getMessage());
        }
    }
}
