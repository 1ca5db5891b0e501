package org.stealbench.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import javafx.application.Platform;
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

    /** One table row. */
    public record Row(String id, String source, String train, String test, String shape, String classes, String location) {
    }

    private final DatasetRegistry registry;
    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper backend = new ReadOnlyStringWrapper("native build: " + NativeBackend.buildName());
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);

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
                out.add(new Row(id, source, String.format("%,d", s.train().size()), String.format("%,d", s.test().size()),
                        s.train().channels() + "x" + s.train().height() + "x" + s.train().width(),
                        Integer.toString(s.train().numClasses()), where));
            } catch (DatasetException ex) {
                out.add(new Row(id, source, "!", "!", "-", "-", "unreadable: " + ex.getMessage()));
            }
        }
        return out;
    }
}
