package org.stealbench.ui.view;

import java.util.Map;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.layout.VBox;

/** The glossary (Help > Glossary): the terms on the left, the selected one's explanation on the right (resources/teaching/glossary.md). */
public final class GlossaryView extends SplitPane {

    private final ListView<String> terms = new ListView<>();
    private final Label explanation = new Label();

    public GlossaryView(Map<String, String> glossary) {
        setId("glossary");
        terms.setId("glossaryTerms");
        terms.getItems().setAll(glossary.keySet());
        Label title = new Label();
        title.getStyleClass().add("section");
        explanation.setId("glossaryText");
        explanation.setWrapText(true);
        VBox right = new VBox(8, title, explanation);
        right.setPadding(new Insets(10));
        ScrollPane scroll = new ScrollPane(right);
        scroll.setFitToWidth(true);
        terms.getSelectionModel().selectedItemProperty().addListener((o, a, term) -> {
            title.setText(term == null ? "" : term);
            explanation.setText(term == null ? "" : glossary.get(term));
        });
        getItems().addAll(terms, scroll);
        setDividerPositions(0.3);
        setPrefSize(640, 360);
        terms.getSelectionModel().selectFirst();
    }

    /** Selects a term (if the glossary has it). */
    public void select(String term) {
        terms.getSelectionModel().select(term);
    }

    public String shownText() {
        return explanation.getText();
    }
}
