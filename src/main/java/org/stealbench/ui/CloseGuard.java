package org.stealbench.ui;

import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.stealbench.ui.model.RunQueueViewModel;
import org.stealbench.ui.model.ServerViewModel;

/**
 * Closing the window: with nothing in flight it closes at once (stopping a server the Server view
 * started); with runs waiting or running it asks, cancels them, waits for them to stop in the
 * background (their checkpoints are written), and then quits.
 */
final class CloseGuard {

    private final Stage stage;
    private final RunQueueViewModel queue;
    private final ServerViewModel server;
    private final FxStallMeter stallMeter;
    private final Dialogs dialogs;
    private final Consumer<String> status;
    private boolean closing;

    CloseGuard(Stage stage, RunQueueViewModel queue, ServerViewModel server, FxStallMeter stallMeter, Dialogs dialogs, Consumer<String> status) {
        this.stage = stage;
        this.queue = queue;
        this.server = server;
        this.stallMeter = stallMeter;
        this.dialogs = dialogs;
        this.status = status;
        stage.setOnCloseRequest(e -> {
            if (!mayClose()) {
                e.consume();
            }
        });
    }

    /** Whether the window may close now; with runs in flight, asks and (on yes) quits once they stopped. */
    boolean mayClose() {
        if (closing) {
            return false;
        }
        long n = queue.inFlight();
        if (n == 0) {
            stallMeter.stop();
            server.close();
            return true;
        }
        if (!dialogs.confirmQuit(n)) {
            return false;
        }
        closing = true;
        status.accept("Stopping the runs...");
        queue.cancelAll();
        Thread t = new Thread(() -> {
            queue.shutdown(60);
            server.close();
            Platform.runLater(() -> {
                stallMeter.stop();
                stage.close();
                Platform.exit();
            });
        }, "stealbench-close");
        t.setDaemon(true);
        t.start();
        return false;
    }
}
