package org.stealbench.ui;

import javafx.fxml.FXML;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.image.ImageView;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;

/** Binds the workbench layout to its view models; no logic of its own. */
public final class WorkbenchController {

    private final DatasetsViewModel datasets;

    @FXML
    private TableView<DatasetsViewModel.Row> datasetTable;
    @FXML
    private Label statusLabel;
    @FXML
    private Label backendLabel;
    @FXML
    private ProgressIndicator busyIndicator;
    @FXML
    private Label previewTitle;
    @FXML
    private ImageView previewImage;

    public WorkbenchController(DatasetsViewModel datasets) {
        this.datasets = datasets;
    }

    @FXML
    private void initialize() {
        column("Dataset", 130, DatasetsViewModel.Row::id);
        column("Source", 130, DatasetsViewModel.Row::source);
        column("Train", 80, DatasetsViewModel.Row::train);
        column("Test", 80, DatasetsViewModel.Row::test);
        column("Shape", 80, DatasetsViewModel.Row::shape);
        column("Classes", 70, DatasetsViewModel.Row::classes);
        column("Location", 480, DatasetsViewModel.Row::location);
        datasetTable.setItems(datasets.rows());
        statusLabel.textProperty().bind(datasets.statusProperty());
        backendLabel.textProperty().bind(datasets.backendProperty());
        busyIndicator.visibleProperty().bind(datasets.busyProperty());
        previewTitle.textProperty().bind(datasets.previewTitleProperty());
        previewImage.imageProperty().bind(datasets.previewProperty());
        datasetTable.getSelectionModel().selectedItemProperty()
                .addListener((obs, old, row) -> datasets.showPreview(row, WorkbenchApp.BACKGROUND));
        // Show the first dataset as soon as the table fills.
        datasets.rows().addListener((javafx.collections.ListChangeListener<DatasetsViewModel.Row>) change -> {
            if (!datasets.rows().isEmpty() && datasetTable.getSelectionModel().isEmpty()) {
                datasetTable.getSelectionModel().selectFirst();
            }
        });
    }

    private void column(String title, double width, Function<DatasetsViewModel.Row, String> value) {
        TableColumn<DatasetsViewModel.Row, String> col = new TableColumn<>(title);
        col.setCellValueFactory(cd -> new ReadOnlyStringWrapper(value.apply(cd.getValue())));
        col.setPrefWidth(width);
        datasetTable.getColumns().add(col);
    }
}
