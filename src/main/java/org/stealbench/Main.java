package org.stealbench;

import org.stealbench.cli.StealBenchCommand;
import org.stealbench.model.NativeBackend;

/**
 * The one entry point: with no arguments (or {@code gui}) it opens the workbench; with arguments it runs the
 * command line (see {@code scripts/stealbench --help}). {@code gui -Dname=value ...} sets the workbench's
 * system properties (the packaged application's JVM options are fixed in its image).
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("gui")) {
            for (int i = 1; i < args.length; i++) {
                int eq = args[i].indexOf('=');
                if (!args[i].startsWith("-D") || eq < 3) {
                    System.err.println("gui takes system properties only (-Dname=value), not '" + args[i] + "'");
                    System.exit(2);
                }
                System.setProperty(args[i].substring(2, eq), args[i].substring(eq + 1));
            }
            args = new String[0];
        }
        NativeBackend.configure();
        if (args.length == 0) {
            org.stealbench.ui.WorkbenchLauncher.launch(args);
            return;
        }
        System.exit(StealBenchCommand.run(args));
    }
}
