package org.stealbench.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.awt.image.BufferedImage;
import java.util.concurrent.atomic.AtomicLong;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.image.Image;
import org.stealbench.data.ImageDataset;
import org.stealbench.data.preview.SampleGrid;
import org.stealbench.data.transform.BatchAugmenter;
import org.stealbench.data.transform.SimClrAugmentation;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.stealbench.data.DatasetException;
import org.stealbench.data.DatasetRegistry;
import org.stealbench.data.DatasetSplits;
import org.stealbench.model.NativeBackend;

/** State of the datasets view: one row per found dataset location, filled in the background. */
public final class DatasetsViewModel {

    /** One table row; {@code spec} is what the registry loads for it (e.g. fashion-mnist@system). */
    public record Row(String spec, String id, String source, String train, String test, String shape, String classes,
                      String location) {
    }

    private final DatasetRegistry registry;
    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper backend = new ReadOnlyStringWrapper("native build: " + NativeBackend.buildName());
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyObjectWrapper<Image> preview = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper previewTitle = new ReadOnlyStringWrapper("Select a dataset to see samples");
    private final AtomicLong previewRequest = new AtomicLong();

    public DatasetsViewModel(DatasetRegistry registry) {
        this.registry = registry;
    }

    public ObservableList<Row> rows() {
        return rows;
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty backendProperty() {
        return backend.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Image> previewProperty() {
        return preview.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty previewTitleProperty() {
        return previewTitle.getReadOnlyProperty();
    }

    /**
     * Renders samples of {@code row}'s dataset, original and augmented, on {@code executor}; the
     * image arrives on the FX thread. A newer request supersedes an older one still rendering.
     */
    public void showPreview(Row row, Executor executor) {
        if (row == null) {
            return;
        }
        long request = previewRequest.incrementAndGet();
        previewTitle.set("Rendering samples of " + row.spec() + "...");
        executor.execute(() -> {
            try {
                ImageDataset train = registry.load(row.spec()).train();
                BufferedImage grid = SampleGrid.render(train, 8, 10, new BatchAugmenter(SimClrAugmentation.reference()), 1);
                Image fx = SwingFXUtils.toFXImage(grid, null);
                Platform.runLater(() -> {
                    if (previewRequest.get() == request) {
                        preview.set(fx);
                        previewTitle.set(row.spec() + ": samples per class, and the same images as SimCLR training sees them");
                    }
                });
            } catch (RuntimeException ex) {
                Platform.runLater(() -> previewTitle.set("Cannot show " + row.spec() + ": " + ex.getMessage()));
            }
        });
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** Scans and loads every dataset on {@code executor}; rows arrive on the FX thread. */
    public void refresh(Executor executor) {
        busy.set(true);
        status.set("Looking for datasets...");
        executor.execute(() -> {
            List<Row> found = scan();
            Platform.runLater(() -> {
                rows.setAll(found);
                busy.set(false);
                status.set(found.size() + " dataset locations found. Sample data: " + registry.roots().sampleData());
            });
        });
    }

    /** The rows, computed on the calling thread (a background thread in the app). */
    List<Row> scan() {
        List<Row> out = new ArrayList<>();
        for (DatasetRegistry.Entry e : registry.entries()) {
            if (!e.present()) {
                continue;
            }
            String id = e.source().id();
            String spec = e.selected() ? id : id + "@" + e.location().origin().label();
            String where = e.location().path() == null ? "generated" : e.location().path().toString();
            String source = e.location().origin().label() + (e.selected() ? " (default)" : "");
            try {
                DatasetSplits s = registry.load(spec);
                out.add(new Row(spec, id, source, String.format("%,d", s.train().size()), String.format("%,d", s.test().size()),
                        s.train().channels() + "x" + s.train().height() + "x" + s.train().width(),
                        Integer.toString(s.train().numClasses()), where));
            } catch (DatasetException ex) {
                out.add(new Row(spec, id, source, "!", "!", "-", "-", "unreadable: " + ex.getMessage()));
            }
        }
        return out;
    }
}
