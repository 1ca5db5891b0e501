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
        // the look-up sets the victim's info, then its dataset, in one FX task: let it finish before reading the rest
        WaitForAsyncUtils.waitForFxEvents();
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

    @Test
    void theImportFormGivesTheRequestAndRefusesAShapeItCannotRead(FxRobot robot) {
        Path model = dir.resolve("model.h5");
        javafx.collections.ObservableList<String> datasets = javafx.collections.FXCollections.observableArrayList("digits", "fashion-mnist");
        java.util.concurrent.atomic.AtomicReference<javafx.scene.control.Dialog<VictimImport.Request>> form =
                new java.util.concurrent.atomic.AtomicReference<>();
        robot.interact(() -> form.set(Dialogs.importVictimForm(model, datasets)));
        var pane = form.get().getDialogPane();
        javafx.scene.control.TextField shape = (javafx.scene.control.TextField) pane.lookup("#importShape");
        javafx.scene.Node ok = pane.lookupButton(javafx.scene.control.ButtonType.OK);
        assertTrue(!ok.isDisabled(), "an empty shape takes the dataset's");
        robot.interact(() -> shape.setText("1x32"));
        assertTrue(ok.isDisabled(), "a shape that does not read disables OK");
        robot.interact(() -> {
            shape.setText("3 x 32 x 32");
            ((javafx.scene.control.TextField) pane.lookup("#importIndices")).setText("first:5000");
            ((javafx.scene.control.TextField) pane.lookup("#importLayer")).setText("features");
            @SuppressWarnings("unchecked")
            javafx.scene.control.ComboBox<String> layout = (javafx.scene.control.ComboBox<String>) pane.lookup("#importLayout");
            layout.setValue("nhwc");
        });
        assertTrue(!ok.isDisabled());
        VictimImport.Request r = form.get().getResultConverter().call(javafx.scene.control.ButtonType.OK);
        assertEquals(model, r.model());
        assertEquals("fashion-mnist", r.trainedOn());
        assertEquals("first:5000", r.trainIndices());
        assertEquals(org.stealbench.model.Dl4jEncoder.Layout.NHWC, r.layout());
        assertEquals("features", r.layer());
        assertEquals(1.0, r.pixelScale());
        assertEquals(List.of(3, 32, 32), java.util.Arrays.stream(r.inputShape()).boxed().toList());
        assertEquals(null, form.get().getResultConverter().call(javafx.scene.control.ButtonType.CANCEL));
    }
}
