package org.stealbench.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.control.TableView;
import javafx.scene.image.ImageView;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;
import org.stealbench.experiment.ExperimentConfig;
import org.stealbench.ui.model.RunViewModel;

/**
 * The workbench under Monocle (headless): it opens on the bundled data and victim, runs a tiny
 * experiment whose chart points appear live, cancels a second run, loads a saved experiment,
 * and shows the datasets.
 */
@ExtendWith(ApplicationExtension.class)
class WorkbenchAppTest {

    private WorkbenchApp app;
    private static Path results;

    @Start
    void start(Stage stage) throws Exception {
        results = Files.createTempDirectory("stealbench-ui-results");
        System.setProperty("stealbench.results", results.toString());
        app = new WorkbenchApp();
        app.start(stage);
    }

    @Test
    void runsATinyExperimentLiveCancelsASecondAndLoadsASavedOne(FxRobot robot) throws Exception {
        Workbench wb = app.workbench();
        robot.interact(() -> wb.form().load(ExperimentConfig.demo("mse").withQueries(256).withEpochs(3).withTasks(List.of("digits"))));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> wb.form().validBinding().get());
        robot.clickOn("#toolRun");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> wb.queue().items().size() == 1);
        RunViewModel first = wb.queue().items().get(0);
        WaitForAsyncUtils.waitFor(300, TimeUnit.SECONDS, () -> wb.live().accuracyPoints() >= 1);
        // what the attacker sees: the images of its latest request with the victim's answers
        var lastRequest = first.lastAnsweredProperty().get();
        assertEquals(256, lastRequest.answeredSoFar(), "the bank's queries, all answered");
        assertTrue(lastRequest.count() >= 1 && lastRequest.count() <= 8, "up to 8 images of the request: " + lastRequest.count());
        assertEquals(lastRequest.count() * 128, lastRequest.representations().length);
        assertEquals(lastRequest.count(), wb.live().attackerStrip().shown());
        WaitForAsyncUtils.waitFor(300, TimeUnit.SECONDS, () -> first.state().finished());
        assertEquals(RunViewModel.State.COMPLETED, first.state(), first.messageProperty().get());
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> wb.live().accuracyPoints() == 3);
        assertEquals(3, wb.live().accuracyPoints(), "one live point per epoch");
        // the embedding view follows the epochs: the same held-out images through victim and copy
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> wb.embedding().drawnEpoch() == 3);
        assertEquals(org.stealbench.experiment.LiveMonitor.EMBEDDED, wb.embedding().points()[0]);
        assertEquals(org.stealbench.experiment.LiveMonitor.EMBEDDED, wb.embedding().points()[1]);
        Label verdict = robot.lookup("#verdict").queryAs(Label.class);
        assertTrue(verdict.getText().contains("watermark"), verdict.getText());
        // the cost ledger: the bundled victim's recorded training cost against this theft's
        Label cost = robot.lookup("#costLedger").queryAs(Label.class);
        assertTrue(cost.getText().contains("training the victim took 13.6 min and 1,377,792 images") && cost.getText().contains(
                "This theft: 256 queries (3% of the victim's training images)"), cost.getText());
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> wb.results().rows().size() == 1);

        robot.interact(() -> wb.form().epochsProperty().set(200));
        robot.press(KeyCode.CONTROL, KeyCode.R).release(KeyCode.R, KeyCode.CONTROL);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> wb.queue().items().size() == 2);
        RunViewModel second = wb.queue().items().get(1);
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> second.loss().size() >= 1);
        robot.clickOn("#liveCancel");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> second.state().finished());
        assertEquals(RunViewModel.State.CANCELLED, second.state());
        assertEquals(1, wb.results().rows().size(), "a cancelled run adds no result");

        Path saved = results.resolve("saved.json");
        ExperimentConfig cfg = ExperimentConfig.demo("softnn").withQueries(1500).withEpochs(9);
        Files.writeString(saved, cfg.toJson());
        robot.interact(() -> wb.openExperiment(saved));
        assertEquals(cfg, wb.form().toConfig());
        System.out.println("[ui] " + wb.stallMeter().summary() + " while a run trained");
    }

    @Test
    void theDefencePanelBuildsTheChainAndShowsALoadedOne(FxRobot robot) throws Exception {
        Workbench wb = app.workbench();
        robot.interact(() -> wb.form().load(ExperimentConfig.demo("mse")));
        javafx.scene.control.CheckBox pow = robot.lookup("#defense-pow").queryAs(javafx.scene.control.CheckBox.class);
        javafx.scene.control.TextField powParams = robot.lookup("#defense-pow-params").queryAs(javafx.scene.control.TextField.class);
        javafx.scene.control.CheckBox prada = robot.lookup("#defense-prada").queryAs(javafx.scene.control.CheckBox.class);
        assertFalse(powParams.isVisible(), "parameters show once their defence is ticked");
        assertTrue(pow.getTooltip().getText().contains("base = 8 (0 to 24)"), pow.getTooltip().getText());
        robot.interact(prada::fire);
        robot.interact(pow::fire);
        robot.interact(() -> powParams.setText("base=10"));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> wb.form().validBinding().get());
        assertEquals(List.of("prada", "pow:base=10"), wb.form().toConfig().defenses());
        robot.interact(() -> powParams.setText("base=99"));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !wb.form().validBinding().get());
        assertTrue(wb.form().problemsBinding().get().contains("between 0 and 24"), wb.form().problemsBinding().get());
        robot.interact(() -> wb.form().load(ExperimentConfig.demo("mse").withDefenses(List.of("coverage:sigma=4")).withSybils(4)));
        javafx.scene.control.CheckBox coverage = robot.lookup("#defense-coverage").queryAs(javafx.scene.control.CheckBox.class);
        assertTrue(coverage.isSelected() && !pow.isSelected() && !prada.isSelected());
        assertEquals("sigma=4", robot.lookup("#defense-coverage-params").queryAs(javafx.scene.control.TextField.class).getText());
        assertEquals(4, robot.lookup("#sybils").queryAs(javafx.scene.control.Spinner.class).getValue());

        // a defended run: the Live view draws each client's state over the images it sent
        robot.interact(() -> wb.form().load(ExperimentConfig.demo("mse").withQueries(256).withEpochs(1).withTasks(List.of("digits"))
                .withDefenses(List.of("pow:base=2", "prada"))));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> wb.form().validBinding().get());
        robot.clickOn("#toolRun");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !wb.queue().items().isEmpty());
        RunViewModel run = wb.queue().items().get(wb.queue().items().size() - 1);
        WaitForAsyncUtils.waitFor(300, TimeUnit.SECONDS, () -> run.state().finished());
        assertEquals(RunViewModel.State.COMPLETED, run.state(), run.messageProperty().get());
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> wb.live().defenseClients() == 2);
        assertTrue(robot.lookup("#defenseRow").query().isVisible());
        String summary = robot.lookup("#defenseSummary").queryAs(Label.class).getText();
        assertTrue(summary.contains("attacker: 256 sent") && summary.contains("honest:") && summary.contains("prada W"), summary);
        assertTrue(run.resultProperty().get().defense() != null);
    }

    @Test
    void listsDatasetsAndShowsSamples(FxRobot robot) throws Exception {
        robot.clickOn("Data");
        TableView<?> table = robot.lookup("#datasetTable").queryAs(TableView.class);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> table.getItems().size() >= 4);
        assertTrue(table.getItems().stream().anyMatch(r -> ((DatasetsViewModel.Row) r).spec().equals("fashion-mnist")));
        assertTrue(table.getItems().stream().anyMatch(r -> ((DatasetsViewModel.Row) r).spec().equals("shapes")));
        ImageView preview = robot.lookup("#previewImage").queryAs(ImageView.class);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> preview.getImage() != null);
        assertNotNull(preview.getImage());
        assertTrue(preview.getImage().getWidth() > 300);
        // the About view reports the process's memory and the engine's open arrays
        robot.clickOn("About");
        Label memory = robot.lookup("#memoryLabel").queryAs(Label.class);
        assertTrue(memory.getText().contains("engine arrays open") && memory.getText().contains("Java heap"), memory.getText());
    }

    @Test
    @SuppressWarnings("unchecked")
    void aVictimTrainedOnShapesByPointAndClickIsStolenAndTheViewsNameItsData(FxRobot robot) throws Exception {
        Workbench wb = app.workbench();
        robot.clickOn("#toolTrain");
        javafx.scene.control.ComboBox<String> dataset = robot.lookup(".dialog-pane .combo-box").queryAs(javafx.scene.control.ComboBox.class);
        List<javafx.scene.control.Spinner<Integer>> spinners = robot.lookup(".dialog-pane .spinner").queryAllAs(javafx.scene.control.Spinner.class)
                .stream().map(x -> (javafx.scene.control.Spinner<Integer>) x).toList();
        robot.interact(() -> {
            dataset.setValue("shapes");
            spinners.get(0).getValueFactory().setValue(256); // training images
            spinners.get(1).getValueFactory().setValue(1); // epochs
        });
        robot.clickOn("OK");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> wb.queue().items().size() == 1);
        RunViewModel training = wb.queue().items().get(0);
        WaitForAsyncUtils.waitFor(240, TimeUnit.SECONDS, () -> training.state().finished());
        assertEquals(RunViewModel.State.COMPLETED, training.state(), training.messageProperty().get());

        robot.clickOn("Experiment").clickOn("Use the last trained victim");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> "shapes".equals(wb.form().victimDatasetProperty().get()));
        assertEquals("shapes", wb.form().tasks().get(0), "the victim's dataset becomes the first task");
        robot.interact(() -> {
            wb.form().lossProperty().set("mse");
            wb.form().queriesProperty().set(256);
            wb.form().epochsProperty().set(1);
            wb.form().tasks().setAll("shapes");
        });
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> wb.form().validBinding().get());
        robot.clickOn("#toolRun");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> wb.queue().items().size() == 2);
        RunViewModel theft = wb.queue().items().get(1);
        WaitForAsyncUtils.waitFor(300, TimeUnit.SECONDS, () -> theft.state().finished());
        assertEquals(RunViewModel.State.COMPLETED, theft.state(), theft.messageProperty().get());
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> wb.live().charts().get(1).getTitle().getText().contains("shapes"));
        for (int i = 1; i < 4; i++) {
            String title = wb.live().charts().get(i).getTitle().getText();
            assertTrue(title.contains("on shapes"), "the Live view names the victim's data: " + title);
        }
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> wb.results().rows().size() >= 1);
        TableView<?> table = robot.lookup("#resultsTable").queryAs(TableView.class);
        var victimColumn = table.getColumns().stream().filter(c -> c.getText().equals("victim data")).findFirst().orElseThrow();
        assertTrue(java.util.stream.IntStream.range(0, table.getItems().size()).anyMatch(r -> "shapes".equals(victimColumn.getCellData(r))),
                "Compare names the victim's data");
    }
}
