package org.stealbench.ui;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import javafx.scene.control.TableView;
import javafx.scene.image.ImageView;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The window opens headless (Monocle), lists the bundled datasets and previews the first. */
@ExtendWith(ApplicationExtension.class)
class WorkbenchAppTest {

    @Start
    void start(Stage stage) throws Exception {
        new WorkbenchApp().start(stage);
    }

    @Test
    void listsDatasetsAndShowsSamples(FxRobot robot) throws Exception {
        TableView<?> table = robot.lookup("#datasetTable").queryAs(TableView.class);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> table.getItems().size() >= 4);
        assertTrue(table.getItems().stream().anyMatch(r -> ((DatasetsViewModel.Row) r).spec().equals("fashion-mnist")));
        assertTrue(table.getItems().stream().anyMatch(r -> ((DatasetsViewModel.Row) r).spec().equals("shapes")));
        ImageView preview = robot.lookup("#previewImage").queryAs(ImageView.class);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> preview.getImage() != null);
        assertNotNull(preview.getImage());
        assertTrue(preview.getImage().getWidth() > 300);
    }
}
