package org.stealbench.ui.view;

import java.util.function.Consumer;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.stealbench.ui.model.TeachingTexts;

/**
 * The guided lesson, a strip above the views: the current step's title, its two or three sentences
 * and what to look at, one button that does the step (queues the theft, opens the view), Back and
 * Next, and Close. The steps come from resources/teaching/lesson.md.
 */
public final class LessonView extends VBox {

    private final TeachingTexts.Lesson lesson;
    private final IntegerProperty index = new SimpleIntegerProperty(0);
    private final Label heading = new Label();
    private final Label text = new Label();
    private final Label look = new Label();
    private final Button act = new Button();
    private final Button back = new Button("Back");
    private final Button next = new Button("Next");

    /**
     * @param perform carries out a step's action
     * @param close   hides the lesson
     */
    public LessonView(TeachingTexts.Lesson lesson, Consumer<TeachingTexts.Action> perform, Runnable close) {
        this.lesson = lesson;
        setId("lesson");
        getStyleClass().add("lesson");
        setSpacing(4);
        setPadding(new Insets(8, 12, 8, 12));
        heading.getStyleClass().add("section");
        heading.setId("lessonHeading");
        text.setWrapText(true);
        text.setId("lessonText");
        text.setMinHeight(Region.USE_PREF_SIZE);
        look.setWrapText(true);
        look.getStyleClass().add("note");
        look.setMinHeight(Region.USE_PREF_SIZE);
        act.setId("lessonAct");
        act.getStyleClass().add("run-button");
        act.setOnAction(e -> perform.accept(step().action()));
        back.setId("lessonBack");
        next.setId("lessonNext");
        back.setOnAction(e -> index.set(Math.max(0, index.get() - 1)));
        next.setOnAction(e -> index.set(Math.min(lesson.steps().size() - 1, index.get() + 1)));
        Button closeButton = new Button("Close lesson");
        closeButton.setOnAction(e -> close.run());
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox buttons = new HBox(8, act, gap, back, next, closeButton);
        buttons.setAlignment(Pos.CENTER_LEFT);
        getChildren().addAll(heading, text, look, buttons);
        index.addListener((o, a, b) -> show());
        show();
    }

    private TeachingTexts.Step step() {
        return lesson.steps().get(index.get());
    }

    private void show() {
        TeachingTexts.Step s = step();
        heading.setText(String.format("%s: step %d of %d, %s", lesson.title(), index.get() + 1, lesson.steps().size(), s.title()));
        text.setText(s.text());
        look.setText(s.lookAt().isEmpty() ? "" : "Look at: " + s.lookAt());
        String label = s.action().buttonText();
        act.setText(label);
        act.setVisible(!label.isEmpty());
        act.setManaged(!label.isEmpty());
        back.setDisable(index.get() == 0);
        next.setDisable(index.get() == lesson.steps().size() - 1);
    }

    /** The current step, from 0. */
    public IntegerProperty indexProperty() {
        return index;
    }

    public TeachingTexts.Lesson lesson() {
        return lesson;
    }
}
