package org.stealbench.ui;

import java.io.InputStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javafx.application.Application;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.stage.Stage;
import org.stealbench.data.DatasetRegistry;

/** The workbench window. Engine work runs on {@link #BACKGROUND}, never on the FX thread. */
public final class WorkbenchApp extends Application {

    /** Background threads for the engine; daemon threads so closing the window ends the program. */
    static final ExecutorService BACKGROUND = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "stealbench-worker");
        t.setDaemon(true);
        return t;
    });

    @Override
    public void start(Stage stage) throws Exception {
        DatasetsViewModel datasets = new DatasetsViewModel(DatasetRegistry.standard(DatasetRegistry.Roots.defaults(null)));
        FXMLLoader loader = new FXMLLoader(WorkbenchApp.class.getResource("workbench.fxml"));
        loader.setControllerFactory(type -> new WorkbenchController(datasets));
        Parent root = loader.load();
        Scene scene = new Scene(root, 1100, 680);
        scene.getStylesheets().add(WorkbenchApp.class.getResource("stealbench.css").toExternalForm());
        stage.setTitle("StealBench");
        try (InputStream icon = WorkbenchApp.class.getResourceAsStream("/org/stealbench/icons/app.png")) {
            if (icon != null) {
                stage.getIcons().add(new Image(icon));
            }
        }
        stage.setScene(scene);
        stage.show();
        datasets.refresh(BACKGROUND);
    }
}
