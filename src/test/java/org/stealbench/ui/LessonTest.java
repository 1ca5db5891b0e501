package org.stealbench.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.TabPane;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.stealbench.attack.StealingLoss;
import org.stealbench.ui.model.RunViewModel;
import org.stealbench.ui.model.TeachingTexts;
import org.stealbench.ui.view.GlossaryView;
import org.stealbench.ui.view.LessonView;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The teaching texts of resources/teaching in the workbench: the lesson's steps advance and each
 * button does its step (a theft queued with the step's loss, the views opened); the glossary has
 * the terms a class meets; every tooltip of the file lands on a control that exists.
 */
@ExtendWith(ApplicationExtension.class)
class LessonTest {

    private WorkbenchApp app;

    @Start
    void start(Stage stage) throws Exception {
        System.setProperty("stealbench.results", Files.createTempDirectory("stealbench-ui-lesson").toString());
        app = new WorkbenchApp();
        app.start(stage);
    }

    @Test
    void theLessonAdvancesAndEachStepDoesWhatItSays(FxRobot robot) throws Exception {
        Workbench wb = app.workbench();
        robot.type(KeyCode.F1);
        WaitForAsyncUtils.waitForFxEvents();
        LessonView lesson = robot.lookup("#lesson").queryAs(LessonView.class);
        assertTrue(lesson.isVisible());
        Label heading = robot.lookup("#lessonHeading").queryAs(Label.class);
        assertTrue(heading.getText().contains("step 1 of 6"), heading.getText());
        TabPane tabs = robot.lookup("#views").queryAs(TabPane.class);

        robot.clickOn("#lessonAct");
        assertEquals("Data", tabs.getSelectionModel().getSelectedItem().getText());
        robot.clickOn("#lessonNext");
        assertTrue(heading.getText().contains("step 2 of 6, Steal with MSE"), heading.getText());
        robot.clickOn("#lessonAct");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> wb.queue().items().size() == 1);
        RunViewModel theft = wb.queue().items().get(0);
        assertEquals("mse", theft.experiment().loss());
        assertEquals(16, theft.experiment().epochs());
        assertEquals("Live", tabs.getSelectionModel().getSelectedItem().getText());
        robot.interact(() -> wb.queue().cancel(theft));

        robot.clickOn("#lessonNext").clickOn("#lessonNext");
        assertTrue(heading.getText().contains("step 4 of 6"), heading.getText());
        robot.clickOn("#lessonAct");
        assertEquals("Compare", tabs.getSelectionModel().getSelectedItem().getText());
        assertTrue(robot.lookup("#overlayChart").query().isVisible(), "the per-epoch curves are shown");
        robot.clickOn("#lessonNext");
        robot.clickOn("#lessonAct");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> wb.queue().items().size() == 2);
        assertEquals(List.of("prada"), wb.queue().items().get(1).experiment().defenses());
        robot.interact(() -> wb.queue().cancel(wb.queue().items().get(1)));
        robot.clickOn("#lessonBack");
        assertTrue(heading.getText().contains("step 4 of 6"), heading.getText());
        robot.clickOn("Close lesson");
        assertFalse(robot.lookup("#lesson").tryQuery().isPresent(), "closed");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> wb.queue().items().stream().allMatch(i -> i.state().finished()));
    }

    @Test
    void theGlossaryExplainsWhatAClassMeetsAndEveryTooltipHasItsControl(FxRobot robot) throws Exception {
        Workbench wb = app.workbench();
        Map<String, String> glossary = TeachingTexts.glossary();
        for (String term : List.of("Representation", "Fidelity", "Linear probe", "kNN", "Watermark", "p-value", "MSE", "InfoNCE", "SoftNN",
                "SupCon", "Wasserstein", "Barlow Twins")) {
            assertTrue(glossary.containsKey(term) && glossary.get(term).length() > 40, term);
        }
        for (StealingLoss loss : StealingLoss.values()) {
            String id = loss.id().replace("-paired", "");
            assertTrue(glossary.keySet().stream().anyMatch(t -> t.toLowerCase(java.util.Locale.ROOT).replace(" ", "").startsWith(id)),
                    "the loss " + loss.id() + " is in the glossary");
        }
        GlossaryView[] view = {null};
        robot.interact(() -> view[0] = wb.showGlossary());
        robot.interact(() -> view[0].select("Fidelity"));
        assertEquals(glossary.get("Fidelity"), view[0].shownText());

        for (Map.Entry<String, String> tip : TeachingTexts.tooltips().entrySet()) {
            javafx.scene.Node n = wb.root().lookup("#" + tip.getKey());
            assertNotNull(n, "tooltips.properties names a control the workbench does not have: " + tip.getKey());
            if (n instanceof Control c) {
                assertEquals(tip.getValue(), c.getTooltip().getText(), tip.getKey());
            }
        }
        // every button, field, choice, table and chart of every view explains itself on hover
        java.util.Set<String> bare = new java.util.LinkedHashSet<>();
        collectBare(wb.root(), bare);
        assertTrue(bare.isEmpty(), "controls without a tooltip: " + bare);
        for (TeachingTexts.Step s : TeachingTexts.lesson().steps()) {
            assertFalse(s.text().isEmpty() || s.lookAt().isEmpty(), s.title());
        }
    }

    /** Buttons, inputs, choices, tables and charts (ChartViewer) under {@code n} with no tooltip, tabs' contents included. */
    static void collectBare(javafx.scene.Node n, java.util.Set<String> bare) {
        boolean wanted = n instanceof javafx.scene.control.ButtonBase || n instanceof javafx.scene.control.TextInputControl
                || n instanceof javafx.scene.control.ComboBoxBase || n instanceof javafx.scene.control.Spinner
                || n instanceof javafx.scene.control.Slider || n instanceof javafx.scene.control.TableView
                || n instanceof javafx.scene.control.ListView || n instanceof org.jfree.chart.fx.ChartViewer;
        boolean inner = n.getStyleClass().contains("arrow-button") || n.getStyleClass().contains("increment-arrow-button")
                || n.getStyleClass().contains("decrement-arrow-button") || n.getParent() instanceof javafx.scene.control.Spinner
                || n.getParent() instanceof javafx.scene.control.ComboBoxBase || n.getParent() != null && n.getParent().getParent()
                instanceof javafx.scene.control.ComboBoxBase;
        if (wanted && !inner && n.isVisible() && !n.getClass().getSimpleName().equals("MenuBarButton")) {
            boolean has = n instanceof javafx.scene.control.Control c && c.getTooltip() != null
                    || n.getProperties().values().stream().anyMatch(v -> v instanceof javafx.scene.control.Tooltip);
            if (!has) {
                bare.add(n.getClass().getSimpleName() + (n.getId() != null ? "#" + n.getId() : "")
                        + (n instanceof javafx.scene.control.Labeled l ? " '" + l.getText() + "'" : ""));
            }
        }
        if (n instanceof javafx.scene.control.TabPane tp) {
            tp.getTabs().forEach(t -> {
                if (t.getContent() != null) {
                    collectBare(t.getContent(), bare);
                }
            });
        }
        if (n instanceof javafx.scene.control.ScrollPane sp && sp.getContent() != null) {
            collectBare(sp.getContent(), bare);
        }
        if (n instanceof javafx.scene.control.SplitPane sp) {
            sp.getItems().forEach(i -> collectBare(i, bare));
        }
        if (n instanceof javafx.scene.control.TitledPane tp && tp.getContent() != null) {
            collectBare(tp.getContent(), bare);
        }
        if (n instanceof javafx.scene.Parent p && !(n instanceof javafx.scene.control.TableView) && !(n instanceof javafx.scene.control.ListView)
                && !(n instanceof javafx.scene.control.ComboBoxBase) && !(n instanceof javafx.scene.control.Spinner)) {
            p.getChildrenUnmodifiable().forEach(c -> collectBare(c, bare));
        }
    }
}
