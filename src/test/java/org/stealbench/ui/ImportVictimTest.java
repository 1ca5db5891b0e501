package org.stealbench.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.stealbench.experiment.VictimImport;
import org.stealbench.ui.model.RunViewModel;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Experiment > Import a DL4J or Keras victim: the imported model becomes the panel's victim, and a theft of it runs. */
@ExtendWith(ApplicationExtension.class)
class ImportVictimTest {

    private WorkbenchApp app;
    private Path dir;

    @Start
    void start(Stage stage) throws Exception {
        dir = Files.createTempDirectory("stealbench-ui-import");
        System.setProperty("stealbench.results", dir.toString());
        app = new WorkbenchApp();
        app.start(stage);
    }

    /** What {@code action} returns, called on the FX thread (the workbench's actions start there, like a menu's). */
    private static <T> T onFx(FxRobot robot, java.util.function.Supplier<T> action) {
        java.util.concurrent.atomic.AtomicReference<T> out = new java.util.concurrent.atomic.AtomicReference<>();
        robot.interact(() -> out.set(action.get()));
        return out.get();
    }

    @Test
    void aKerasModelImportedInTheWorkbenchIsStolen(FxRobot robot) throws Exception {
        Workbench wb = app.workbench();
        Path h5 = dir.resolve("encoder.h5");
        try (var in = ImportVictimTest.class.getResourceAsStream("/keras/encoder.h5")) {
            Files.copy(in, h5);
        }
        Path victim = onFx(robot, () -> wb.importVictim(new VictimImport.Request(h5, "digits", "all", null, null, 1, new int[] {1, 12, 12})))
                .get(60, TimeUnit.SECONDS);
        assertEquals(dir.resolve("imported").resolve("encoder-victim.zip"), victim);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(victim.toAbsolutePath().toString(), wb.form().victimProperty().get());
        Label status = robot.lookup("#statusLabel").queryAs(Label.class);
        assertTrue(status.getText().contains("a Keras MultiLayerNetwork") && status.getText().contains("10-d"), status.getText());
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> wb.form().victimInfoProperty().get().contains("DL4J MultiLayerNetwork"));
        String info = wb.form().victimInfoProperty().get();
        assertTrue(info.contains("1x12x12 in, 10-d out") && info.contains("4,000 images of digits") && info.contains("no watermark"), info);
        assertEquals("digits", wb.form().victimDatasetProperty().get());

        robot.interact(() -> {
            wb.form().stealingDatasetProperty().set("digits");
            wb.form().queriesProperty().set(256);
            wb.form().epochsProperty().set(2);
            wb.form().tasks().setAll(List.of("digits"));
        });
        try {
            WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> wb.form().validBinding().get());
        } catch (java.util.concurrent.TimeoutException t) {
            throw new AssertionError("the form stays invalid: " + wb.form().problemsBinding().get());
        }
        robot.clickOn("#toolRun");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> wb.queue().items().size() == 1);
        RunViewModel run = wb.queue().items().get(0);
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> run.state().finished());
        assertEquals(RunViewModel.State.COMPLETED, run.state(), run.messageProperty().get());

        // a file that is no model: the import fails with the reason, and the victim stays
        Path junk = dir.resolve("junk.h5");
        Files.writeString(junk, "not a model");
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> onFx(robot, () -> wb.importVictim(new VictimImport.Request(junk, "digits", "all", null, null, 1, null)))
                        .get(60, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("neither a DL4J model"), e.getCause().getMessage());
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(status.getText().startsWith("import failed"), status.getText());
        assertEquals(victim.toAbsolutePath().toString(), wb.form().victimProperty().get());
    }
}
