package org.stealbench.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.stealbench.experiment.ExperimentConfig;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The workbench submits a sweep to Spark (local mode) and its results arrive in Compare. */
@ExtendWith(ApplicationExtension.class)
class SparkSweepViewTest {

    private WorkbenchApp app;

    @Start
    void start(Stage stage) throws Exception {
        System.setProperty("stealbench.results", Files.createTempDirectory("stealbench-ui-spark").toString());
        app = new WorkbenchApp();
        app.start(stage);
    }

    @Test
    void aSparkSweepFillsCompare(FxRobot robot) throws Exception {
        Workbench wb = app.workbench();
        ExperimentConfig base = ExperimentConfig.demo("mse").withEpochs(1).withTasks(List.of("digits"));
        List<ExperimentConfig> configs = List.of(base.withQueries(64), base.withQueries(96));
        Thread[] sweep = {null};
        robot.interact(() -> sweep[0] = wb.sweepOnSpark(configs, "local[2,2]"));
        sweep[0].join(TimeUnit.MINUTES.toMillis(3));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> wb.results().rows().size() == 2);
        Label status = robot.lookup("#statusLabel").queryAs(Label.class);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> status.getText().startsWith("Spark sweep done"));
        assertTrue(status.getText().contains("2 ran, 0 found done before"), status.getText());
        assertEquals(List.of(64, 96), wb.results().rows().stream().map(r -> r.result().config().queries()).sorted().toList());
    }
}
