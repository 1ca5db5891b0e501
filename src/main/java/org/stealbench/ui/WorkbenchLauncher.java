package org.stealbench.ui;

import javafx.application.Application;

/**
 * Starts the JavaFX application. A separate class from {@link WorkbenchApp} so the JavaFX
 * runtime can start from the class path (a main class that extends Application cannot).
 */
public final class WorkbenchLauncher {

    private WorkbenchLauncher() {
    }

    public static void launch(String[] args) {
        Application.launch(WorkbenchApp.class, args);
    }
}
