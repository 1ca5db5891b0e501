package org.stealbench.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.stealbench.experiment.ExperimentConfig;
import org.stealbench.ui.model.RunViewModel;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The rough edges a class hit, each driven as a user would: Enter in the budget field does not
 * start a run; the status bar follows the runs; queueing a second run keeps the Live view on the
 * one training; a run cancelled before it started does not claim a duration; Compare shows a
 * column per task, headers not cut, and its export names the stealing data.
 */
@ExtendWith(ApplicationExtension.class)
class WorkbenchFixesTest {

    private WorkbenchApp app;

    @Start
    void start(Stage stage) throws Exception {
        Path dir = Files.createTempDirectory("stealbench-ui-fixes");
        System.setProperty("stealbench.results", dir.toString());
        app = new WorkbenchApp();
        app.start(stage);
    }

    @Test
    void theRoughEdgesAreGone(FxRobot robot) throws Exception {
        Workbench wb = app.workbench();
        robot.interact(() -> wb.form().load(ExperimentConfig.demo("mse").withQueries(256).withEpochs(200).withTasks(List.of("digits"))));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> wb.form().validBinding().get());

        // validation decorations (ControlsFX): a budget over what the stealing data offers marks the field, with the reason
        robot.interact(() -> wb.form().queriesProperty().set(20_000));
        var validation = wb.panel().validation();
        // what the stealing data offers arrives from a background look-up, which can still be under way
        // here (the form is valid while it is unknown): the mark must be there once it has answered
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !wb.form().checkingDataProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(validation.isInvalid(), "the budget field is marked");
        var errors = validation.getValidationResult().getErrors();
        assertEquals(1, errors.size(), errors.toString());
        assertEquals("budgetField", errors.iterator().next().getTarget().getId());
        assertTrue(errors.iterator().next().getText().contains("offers 10,500 query images"), errors.toString());
        robot.interact(() -> wb.form().queriesProperty().set(256));
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(validation.isInvalid(), validation.getValidationResult().toString());

        // Enter in the budget field commits the number and starts nothing
        robot.doubleClickOn("#budgetField").write("300").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(300, wb.form().queriesProperty().get());
        assertTrue(wb.queue().items().isEmpty(), "Enter queued a run");

        Label status = robot.lookup("#statusLabel").queryAs(Label.class);
        robot.clickOn("#toolRun");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> wb.queue().items().size() == 1);
        RunViewModel first = wb.queue().items().get(0);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> first.state() == RunViewModel.State.RUNNING);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(status.getText().startsWith("Running #"), status.getText());
        assertEquals(first, wb.live().itemProperty().get());

        // a second run waits; the Live view stays on the first, which is training
        robot.press(KeyCode.CONTROL, KeyCode.R).release(KeyCode.R, KeyCode.CONTROL);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> wb.queue().items().size() == 2);
        RunViewModel second = wb.queue().items().get(1);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(first, wb.live().itemProperty().get(), "queueing switched the Live view away from the training run");
        assertEquals(RunViewModel.State.QUEUED, second.state());

        // cancelled while it waited: no duration
        robot.interact(() -> wb.queue().cancel(second));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> second.state().finished());
        assertEquals("did not start", second.timingProperty().get());
        robot.interact(() -> wb.queue().cancel(first));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> first.state().finished());
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(first.timingProperty().get().startsWith("took "), first.timingProperty().get());
        assertTrue(status.getText().startsWith("Cancelled #"), status.getText());

        // a finished run with three tasks: Compare has a column for each, none cut; the export names the stealing data
        robot.interact(() -> wb.form().load(ExperimentConfig.demo("mse").withQueries(256).withEpochs(1)
                .withTasks(List.of("fashion-mnist", "mnist", "digits"))));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> wb.form().validBinding().get());
        robot.clickOn("#toolRun");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> wb.queue().items().size() == 3);
        RunViewModel third = wb.queue().items().get(2);
        WaitForAsyncUtils.waitFor(300, TimeUnit.SECONDS, () -> third.state().finished());
        assertEquals(RunViewModel.State.COMPLETED, third.state(), third.messageProperty().get());
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> wb.results().rows().size() == 1);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(status.getText().startsWith("Finished #"), status.getText());
        // a notification for each run that ended: two cancelled, one finished
        assertEquals(List.of("Cancelled", "Cancelled", "Finished"), wb.notifications().stream().map(t -> t.substring(0, t.indexOf(' '))).toList());
        // the run's log: its phases, its epoch, its end
        List<String> log = List.copyOf(third.log());
        assertTrue(log.stream().anyMatch(l -> l.contains("loading the victim")), log.toString());
        assertTrue(log.stream().anyMatch(l -> l.contains("epoch 1/1: loss")), log.toString());
        assertTrue(log.get(log.size() - 1).contains("completed: done in"), log.toString());
        // a past run reopened into the panel
        ExperimentConfig ran = third.experiment();
        robot.interact(() -> wb.form().load(ExperimentConfig.demo("softnn")));
        robot.interact(() -> wb.showView("compare"));
        robot.interact(() -> robot.lookup("#resultsTable").queryTableView().getSelectionModel().select(0));
        robot.clickOn("#openInPanel");
        assertEquals(ran, wb.form().toConfig());
        List<String> titles = wb.compare().columnTitles();
        for (String task : List.of("fashion-mnist", "mnist", "digits")) {
            assertTrue(titles.contains(task + " lin / kNN"), titles.toString());
        }
        var table = robot.lookup("#resultsTable").queryTableView();
        for (var column : table.getColumns()) {
            javafx.scene.text.Text text = new javafx.scene.text.Text(column.getText());
            text.setFont(javafx.scene.text.Font.font(14));
            assertTrue(column.getWidth() >= text.getLayoutBounds().getWidth(), "header cut: " + column.getText() + " in " + column.getWidth());
        }
        String csv = wb.results().table().csv();
        assertTrue(csv.lines().findFirst().orElseThrow().contains("stealing data"), csv);
        assertTrue(csv.contains("digits linear"), csv);
        assertFalse(csv.lines().skip(1).findFirst().orElseThrow().isBlank());

        // the overlay: a second seed of the same experiment (its folder copied, seed and fidelity changed) joins the first as one
        // curve with a band, beside the reference lines the runs measured
        Path folder = wb.results().rows().get(0).result().folder();
        Path copy = folder.resolveSibling(folder.getFileName() + "-seed2");
        Files.createDirectories(copy);
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(folder.resolve("results.json").toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("result").get("config")).put("seed", 2);
        var epoch = (com.fasterxml.jackson.databind.node.ObjectNode) tree.get("epochs").get(0);
        double cosine = epoch.get("cosine").asDouble();
        epoch.put("cosine", cosine - 0.1);
        json.writeValue(copy.resolve("results.json").toFile(), tree);
        robot.interact(() -> wb.results().refresh());
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> wb.results().rows().size() == 2);
        robot.interact(() -> wb.showView("compare"));
        robot.clickOn("Curves per epoch");
        robot.interact(() -> wb.compare().metricChoice().setValue(org.stealbench.ui.model.RunCurves.Metric.FIDELITY));
        List<String> series = wb.compare().overlaySeries();
        assertEquals(3, series.size(), series.toString());
        assertTrue(series.get(0).endsWith("(2 seeds)"), series.get(0));
        assertTrue(series.get(1).startsWith("victim itself") && series.get(2).startsWith("random encoder"), series.toString());
        double[] band = wb.compare().overlayValues(0)[0];
        assertEquals(cosine - 0.05, band[0], 1e-9, "the mean of the two seeds");
        assertEquals(cosine - 0.1, band[1], 1e-9);
        assertEquals(cosine, band[2], 1e-9);
        assertTrue(robot.lookup("#overlayChart").tryQuery().isPresent());

        // the paper table: the victim's and a random encoder's rows, then the two seeds as one row with mean ± sd
        robot.clickOn("Paper table");
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> wb.compare().paperRows().size() == 3);
        List<List<String>> paper = wb.compare().paperRows();
        assertEquals("victim", paper.get(0).get(0));
        assertEquals("random encoder", paper.get(1).get(0));
        assertEquals("2", paper.get(2).get(4), "two seeds in one row");
        assertTrue(paper.get(2).stream().anyMatch(c -> c.contains("\u00b1")), paper.get(2).toString());
    }
}
