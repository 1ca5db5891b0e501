package org.stealbench;

import org.stealbench.cli.StealBenchCommand;
import org.stealbench.model.NativeBackend;

/**
 * The one entry point: with no arguments (or {@code gui}) it opens the workbench; with arguments it runs the
 * command line (see {@code scripts/stealbench --help}).
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        NativeBackend.configure();
        if (args.length == 0 || (args.length == 1 && args[0].equals("gui"))) {
            org.stealbench.ui.WorkbenchLauncher.launch(args);
            return;
        }
        System.exit(StealBenchCommand.run(args));
    }
}
