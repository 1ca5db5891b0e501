package org.stealbench.ui.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stealbench.data.DatasetRegistry;
import org.stealbench.experiment.ExperimentConfig;
import org.stealbench.model.Architecture;
import org.stealbench.model.Encoder;
import org.stealbench.model.EncoderIO;
import org.stealbench.model.EncoderSpec;
import org.stealbench.model.NativeBackend;

/** The workbench's view models without a screen: a single thread stands in for the FX thread. */
class ViewModelTest {

    @TempDir
    Path tmp;

    /** What a victim trained on the first 1,000 bundled digits records about its data. */
    static final Map<String, Object> DIGITS_VICTIM = Map.of("datasetSpec", "digits@bundled", "trainIndices",
            java.util.stream.IntStream.range(0, 1000).boxed().toList());

    final ExecutorService fxThread = Executors.newSingleThreadExecutor();
    final ExecutorService background = Executors.newSingleThreadExecutor();

    /** Jobs run as javafx.concurrent.Task, which reports its own state through the toolkit: start it (headless, Monocle). */
    @BeforeAll
    static void toolkit() throws Exception {
        org.testfx.api.FxToolkit.registerPrimaryStage();
    }

    @AfterEach
    void stop() {
        fxThread.shutdownNow();
        background.shutdownNow();
    }

    DatasetRegistry registry() {
        return org.stealbench.data.TestData.sampleRegistry(tmp);
    }

    <T> T fx(Callable<T> c) throws Exception {
        return fxThread.submit(c).get(30, TimeUnit.SECONDS);
    }

    /** Waits until the look-ups queued on the background thread have reported back on the FX thread. */
    void settle() throws Exception {
        // two rounds: the victim's look-up reports back, then starts the data look-up that depends on it
        for (int round = 0; round < 2; round++) {
            background.submit(() -> { }).get(60, TimeUnit.SECONDS);
            fx(() -> null);
        }
    }

    /** Drains the queue on the stand-in FX thread until {@code job} has finished or {@code seconds} passed. */
    void awaitFinished(RunQueueViewModel queue, RunViewModel job, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!fx(() -> job.state().finished()) && System.nanoTime() < deadline) {
            fx(queue::drainAll);
            Thread.sleep(50);
        }
    }

    @Test
    void theFormExplainsInvalidCombinationsBeforeRunAndRoundTripsThroughJson() throws Exception {
        ExperimentViewModel form = fx(() -> new ExperimentViewModel(registry(), background, fxThread));
        fx(() -> {
            form.refresh();
            return null;
        });
        settle();
        assertTrue(fx(() -> form.validBinding().get()), () -> "the demo experiment is valid: " + form.problemsBinding().get());
        // the bundled victim's Fashion-MNIST less its 10,000 training images, 1,000 honest-user, 4,500 probe-train, 2,000
        // probe-test and 2,000 held-out images (Roles): 4,500 training and 6,000 test images
        assertEquals(10_500, (int) fx(() -> form.capacityProperty().get()), "F-MNIST offers what no other role uses");
        assertEquals("fashion-mnist", fx(() -> form.victimDatasetProperty().get()));
        assertEquals(2000, (int) fx(form::fifthOfVictimTraining));
        assertTrue(fx(() -> form.budgetNoteBinding().get()).startsWith("2,000 queries = 20% of the victim's 10,000 training images"));
        fx(() -> {
            form.epochsProperty().set(1);
            return null;
        });
        assertTrue(fx(() -> form.budgetNoteBinding().get()).endsWith("; 1 epoch = 2,000 sample passes; fashion-mnist offers 10,500 query images"),
                fx(() -> form.budgetNoteBinding().get()));
        fx(() -> {
            form.epochsProperty().set(32);
            return null;
        });

        // while the look-up of another stealing dataset is under way the note says so, and the answer replaces it
        java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
        background.submit(() -> {
            hold.await();
            return null;
        });
        fx(() -> {
            form.stealingDatasetProperty().set("mnist");
            return null;
        });
        assertTrue(fx(() -> form.checkingDataProperty().get()));
        assertTrue(fx(() -> form.budgetNoteBinding().get()).endsWith("; checking how many query images mnist offers..."),
                fx(() -> form.budgetNoteBinding().get()));
        hold.countDown();
        settle();
        assertFalse(fx(() -> form.checkingDataProperty().get()));
        int mnist = fx(() -> form.capacityProperty().get());
        assertTrue(mnist > 0, "mnist offers query images: " + mnist);
        assertTrue(fx(() -> form.budgetNoteBinding().get()).endsWith(String.format(java.util.Locale.ROOT, "; mnist offers %,d query images", mnist)),
                fx(() -> form.budgetNoteBinding().get()));
        fx(() -> {
            form.stealingDatasetProperty().set("fashion-mnist");
            return null;
        });
        settle();

        fx(() -> {
            form.queriesProperty().set(11_000);
            return null;
        });
        assertFalse(fx(() -> form.validBinding().get()));
        assertTrue(fx(() -> form.problemsBinding().get()).contains("offers 10,500 query images"));
        fx(() -> {
            form.queriesProperty().set(100);
            return null;
        });
        assertTrue(fx(() -> form.problemsBinding().get()).contains("batches of 256"), "InfoNCE with fewer queries than a batch");
        fx(() -> {
            form.lossProperty().set("mse");
            form.tasks().clear();
            return null;
        });
        assertTrue(fx(() -> form.problemsBinding().get()).contains("at least one downstream task"));
        fx(() -> {
            form.stealingDatasetProperty().set("no-such-data");
            return null;
        });
        settle();
        assertTrue(fx(() -> form.problemsBinding().get()).contains("stealing dataset"));
        fx(() -> {
            form.stealingDatasetProperty().set("mnist");
            form.tasks().setAll("fashion-mnist", "cifar10");
            return null;
        });
        settle();
        assertFalse(fx(() -> form.validBinding().get()), "a task whose data is not here is refused before Run");
        assertTrue(fx(() -> form.problemsBinding().get()).contains("task cifar10: "), () -> form.problemsBinding().get());

        // a defence with a parameter out of range is refused with the range, before Run
        fx(() -> {
            form.load(ExperimentConfig.defaults());
            form.defenses().setAll("prada", "pow:base=99");
            return null;
        });
        settle();
        assertFalse(fx(() -> form.validBinding().get()));
        assertTrue(fx(() -> form.problemsBinding().get()).contains("pow: base must be between 0 and 24, not 99"), () -> form.problemsBinding().get());

        Path file = tmp.resolve("exp.json");
        ExperimentConfig cfg = ExperimentConfig.demo("softnn").withQueries(1500).withEpochs(7).withRequery(true).withTasks(List.of("mnist"))
                .withDefenses(List.of("prada", "pow:base=10")).withSybils(3);
        fx(() -> {
            form.load(cfg);
            return null;
        });
        settle();
        fx(() -> {
            form.save(file);
            form.load(ExperimentConfig.demo("mse"));
            form.open(file);
            return null;
        });
        assertEquals(cfg, fx(form::toConfig));
    }

    @Test
    void theQueueRunsInOrderCancelsAWaitingJobAtOnceAndFeedsTheLiveCharts() throws Exception {
        NativeBackend.configure();
        Path victim = tmp.resolve("victim.zip");
        EncoderIO.save(new Encoder(EncoderSpec.of(Architecture.SMALL_CNN, 1, 16, 16, null).withWatermark(true), 1), DIGITS_VICTIM, victim);
        ExperimentConfig cfg = new ExperimentConfig(ExperimentConfig.SCHEMA, victim.toString(), "mnist", 128, "mse", "small-cnn", 2, false,
                List.of("digits"), List.of(), 1);
        RunQueueViewModel queue = fx(() -> new RunQueueViewModel(registry(), tmp.resolve("results"), fxThread));
        RunViewModel first = RunViewModel.theft(cfg);
        RunViewModel second = RunViewModel.theft(cfg.withSeed(2));
        fx(() -> {
            queue.submit(first);
            queue.submit(second);
            return null;
        });
        assertEquals(RunViewModel.State.RUNNING, fx(first::state));
        assertEquals(RunViewModel.State.QUEUED, fx(second::state), "one at a time by default");
        fx(() -> {
            queue.cancel(second);
            return null;
        });
        assertEquals(RunViewModel.State.CANCELLED, fx(second::state));
        awaitFinished(queue, first, 240);
        fx(queue::drainAll);
        assertEquals(RunViewModel.State.COMPLETED, fx(first::state), () -> first.messageProperty().get());
        assertEquals(2, (int) fx(() -> first.loss().size()));
        assertEquals(2, (int) fx(() -> first.knn().size()), "a live accuracy point per epoch");
        assertTrue(fx(() -> first.baselinesProperty().get() != null));
        assertEquals(1.0, fx(() -> first.progressProperty().get()), 1e-9);
        assertTrue(fx(() -> first.queriesProperty().get()).contains("128 queries used"));
        assertEquals(0L, (long) fx(queue::inFlight));
        assertEquals(1, (int) fx(() -> queue.completedProperty().get()));
    }

    @Test
    void aFailingJobShowsAReadableMessageWithDetailsAndShutdownCancelsCleanly() throws Exception {
        NativeBackend.configure();
        RunQueueViewModel queue = fx(() -> new RunQueueViewModel(registry(), tmp.resolve("results"), fxThread));
        ExperimentConfig missing = ExperimentConfig.demo("mse").withVictim(tmp.resolve("no-such-victim.zip").toString());
        RunViewModel bad = RunViewModel.theft(missing);
        fx(() -> {
            queue.submit(bad);
            return null;
        });
        awaitFinished(queue, bad, 60);
        assertEquals(RunViewModel.State.FAILED, fx(bad::state));
        assertTrue(fx(() -> bad.messageProperty().get()).contains("no-such-victim.zip"), () -> bad.messageProperty().get());
        assertTrue(fx(() -> bad.detailsProperty().get()).contains("at org.stealbench"), "the stack trace is kept for Details");

        Path victim = tmp.resolve("victim.zip");
        EncoderIO.save(new Encoder(EncoderSpec.of(Architecture.SMALL_CNN, 1, 16, 16, null).withWatermark(true), 1), DIGITS_VICTIM, victim);
        RunViewModel longRun = RunViewModel.theft(new ExperimentConfig(ExperimentConfig.SCHEMA, victim.toString(), "mnist", 128, "mse",
                "small-cnn", 500, false, List.of("digits"), List.of(), 1));
        fx(() -> {
            queue.submit(longRun);
            return null;
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (fx(() -> longRun.loss().isEmpty()) && System.nanoTime() < deadline) {
            fx(queue::drainAll);
            Thread.sleep(50);
        }
        assertTrue(fx(() -> queue.shutdown(60)), "running jobs stop within a batch when the window closes");
        Thread.sleep(200);
        fx(queue::drainAll);
        assertEquals(RunViewModel.State.CANCELLED, fx(longRun::state));
        try (var s = java.nio.file.Files.list(tmp.resolve("results"))) {
            assertEquals(0, s.filter(p -> !p.getFileName().toString().startsWith(".")).count(), "no half-written result");
        }
    }

    @Test
    void aVictimTrainedFromTheQueueIsWrittenAndOffered() throws Exception {
        NativeBackend.configure();
        RunQueueViewModel queue = fx(() -> new RunQueueViewModel(registry(), tmp.resolve("results"), fxThread));
        org.stealbench.ssl.SimClrConfig d = org.stealbench.ssl.SimClrConfig.demo();
        org.stealbench.ssl.SimClrConfig tiny = new org.stealbench.ssl.SimClrConfig("digits", 96, d.architecture(), 16, 2, 32,
                d.learningRate(), d.weightDecay(), d.temperature(), d.augmentationStrength(), d.cropScaleMin(), d.blurProbability(), true,
                d.watermarkWeight(), d.watermarkFraction(), 0, 1);
        RunViewModel job = RunViewModel.victim(tiny);
        fx(() -> {
            queue.submit(job);
            return null;
        });
        awaitFinished(queue, job, 180);
        assertEquals(RunViewModel.State.COMPLETED, fx(job::state), () -> job.messageProperty().get());
        assertEquals(2, (int) fx(() -> job.loss().size()));
        assertEquals(2, (int) fx(() -> job.watermark().size()), "the watermark's training accuracy per epoch");
        Path file = fx(() -> queue.lastVictimProperty().get());
        assertTrue(file != null && java.nio.file.Files.isRegularFile(file), "the queue offers the new victim: " + file);
    }

    @Test
    void aVictimTrainedOnShapesIsStolenAndEveryViewNamesItsDataset() throws Exception {
        NativeBackend.configure();
        Path results = tmp.resolve("results");
        RunQueueViewModel queue = fx(() -> new RunQueueViewModel(registry(), results, fxThread));
        org.stealbench.ssl.SimClrConfig d = org.stealbench.ssl.SimClrConfig.demo();
        org.stealbench.ssl.SimClrConfig tiny = new org.stealbench.ssl.SimClrConfig("shapes", 96, d.architecture(), 16, 1, 32,
                d.learningRate(), d.weightDecay(), d.temperature(), d.augmentationStrength(), d.cropScaleMin(), d.blurProbability(), true,
                d.watermarkWeight(), d.watermarkFraction(), 0, 1);
        RunViewModel training = RunViewModel.victim(tiny);
        fx(() -> {
            queue.submit(training);
            return null;
        });
        awaitFinished(queue, training, 180);
        assertEquals(RunViewModel.State.COMPLETED, fx(training::state), () -> training.messageProperty().get());
        Path victim = fx(() -> queue.lastVictimProperty().get());

        // picking the new victim in the panel makes its dataset the first task
        ExperimentViewModel form = fx(() -> new ExperimentViewModel(registry(), background, fxThread));
        fx(() -> {
            form.refresh();
            form.victimProperty().set(victim.toString());
            return null;
        });
        settle();
        assertEquals("shapes", fx(() -> form.victimDatasetProperty().get()));
        assertEquals("shapes", fx(() -> form.tasks().get(0)));
        fx(() -> {
            form.stealingDatasetProperty().set("mnist");
            form.queriesProperty().set(64);
            form.lossProperty().set("mse");
            form.epochsProperty().set(1);
            form.tasks().setAll("shapes");
            return null;
        });
        settle();
        ExperimentConfig cfg = fx(form::toConfig);
        RunViewModel theft = RunViewModel.theft(cfg);
        fx(() -> {
            queue.submit(theft);
            return null;
        });
        awaitFinished(queue, theft, 240);
        assertEquals(RunViewModel.State.COMPLETED, fx(theft::state), () -> theft.messageProperty().get());
        assertEquals("shapes", fx(() -> theft.baselinesProperty().get().victimDataset()), "the live charts name the victim's data");
        ResultsViewModel browser = fx(() -> new ResultsViewModel(results, background, fxThread));
        fx(() -> {
            browser.refresh();
            return null;
        });
        settle();
        assertEquals(1, (int) fx(() -> browser.rows().size()));
        assertEquals("shapes", fx(() -> browser.rows().get(0).run().victimDataset()), "the comparison names the victim's data");
    }

    @Test
    void theProgressBarIsFullOnlyWhenTheResultsAreWritten() throws Exception {
        RunViewModel run = fx(() -> RunViewModel.theft(ExperimentConfig.demo("mse").withEpochs(1)));
        fx(() -> {
            run.started();
            run.post(new org.stealbench.experiment.ExperimentEvent.Training(
                    new org.stealbench.model.train.TrainEvent.Started(1, 2, 0, 64)));
            run.post(new org.stealbench.experiment.ExperimentEvent.Training(
                    new org.stealbench.model.train.TrainEvent.Progress(0, 1, 2, 0.5, 100)));
            run.drain();
            return null;
        });
        assertEquals(RunViewModel.TRAINED, fx(() -> run.progressProperty().get()), 1e-9, "training done fills the training share");
        fx(() -> {
            run.post(new org.stealbench.experiment.ExperimentEvent.Evaluating("linear probe and kNN on mnist", 2, 3));
            run.drain();
            return null;
        });
        double evaluating = fx(() -> run.progressProperty().get());
        assertTrue(evaluating > RunViewModel.TRAINED && evaluating < 1, "evaluation moves the bar, short of full: " + evaluating);
        assertEquals("evaluating: linear probe and kNN on mnist (2/3)", fx(() -> run.phaseProperty().get()));
    }
}
