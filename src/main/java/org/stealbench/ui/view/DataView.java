package org.stealbench.ui.view;

import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.image.ImageView;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.stealbench.ui.DatasetsViewModel;

/** The data view: every dataset found (where, how big), and an image grid of the selected one, as is and augmented. */
public final class DataView extends SplitPane {

    private final TableView<DatasetsViewModel.Row> table = new TableView<>();

    public DataView(DatasetsViewModel datasets, java.util.concurrent.Executor background) {
        setOrientation(javafx.geometry.Orientation.VERTICAL);
        setDividerPositions(0.32);
        table.setId("datasetTable");
        column("Dataset", 130, DatasetsViewModel.Row::id);
        column("Source", 130, DatasetsViewModel.Row::source);
        column("Train", 80, DatasetsViewModel.Row::train);
        column("Test", 80, DatasetsViewModel.Row::test);
        column("Shape", 80, DatasetsViewModel.Row::shape);
        column("Classes", 70, DatasetsViewModel.Row::classes);
        column("Location", 480, DatasetsViewModel.Row::location);
        table.setItems(datasets.rows());
        table.setPlaceholder(new Label("Looking for datasets..."));
        Label head = new Label("Datasets");
        head.getStyleClass().add("section");
        VBox top = new VBox(6, head, table);
        top.setPadding(new Insets(10));
        VBox.setVgrow(table, Priority.ALWAYS);
        Label title = new Label();
        title.getStyleClass().add("section");
        title.textProperty().bind(datasets.previewTitleProperty());
        ImageView image = new ImageView();
        image.setId("previewImage");
        image.setPreserveRatio(true);
        image.imageProperty().bind(datasets.previewProperty());
        ScrollPane scroll = new ScrollPane(image);
        // the whole grid (originals and augmented views) fits the width; scroll vertically
        image.fitWidthProperty().bind(javafx.beans.binding.Bindings.createDoubleBinding(
                () -> Math.max(200, scroll.getViewportBounds().getWidth() - 4), scroll.viewportBoundsProperty()));
        scroll.getStyleClass().add("preview");
        VBox bottom = new VBox(6, title, scroll);
        bottom.setPadding(new Insets(10));
        VBox.setVgrow(scroll, Priority.ALWAYS);
        getItems().addAll(top, bottom);
        table.getSelectionModel().selectedItemProperty().addListener((o, a, row) -> datasets.showPreview(row, background));
        datasets.rows().addListener((javafx.collections.ListChangeListener<DatasetsViewModel.Row>) ch -> {
            if (!datasets.rows().isEmpty() && table.getSelectionModel().isEmpty()) {
                table.getSelectionModel().selectFirst();
            }
        });
    }

    private void column(String title, double width, Function<DatasetsViewModel.Row, String> value) {
        TableColumn<DatasetsViewModel.Row, String> col = new TableColumn<>(title);
        col.setCellValueFactory(cd -> new ReadOnlyStringWrapper(value.apply(cd.getValue())));
        col.setPrefWidth(width);
        table.getColumns().add(col);
    }
}
