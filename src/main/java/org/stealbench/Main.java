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
        args = takeBackend(args);
        try {
            NativeBackend.configure();
        } catch (IllegalArgumentException e) {
            System.err.println("stealbench: " + e.getMessage() + " (the backend comes from --backend, $STEALBENCH_BACKEND or "
                    + NativeBackend.settingsFile() + ")");
            System.exit(2);
        }
        java.util.Map<String, String> env = NativeBackend.relaunchEnvironment();
        if (env != null && System.getenv("STEALBENCH_RELAUNCHED") == null) {
            // ND4J reads its backend priorities from the environment only: start again with them set
            System.exit(relaunch(env, args));
        }
        if (args.length == 0) {
            org.stealbench.ui.WorkbenchLauncher.launch(args);
            return;
        }
        System.exit(StealBenchCommand.run(args));
    }

    /** Removes {@code --backend X} / {@code --backend=X} from the arguments, setting {@link NativeBackend#BACKEND_PROPERTY}. */
    static String[] takeBackend(String[] args) {
        java.util.List<String> rest = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--backend") && i + 1 < args.length) {
                System.setProperty(NativeBackend.BACKEND_PROPERTY, args[++i]);
            } else if (args[i].startsWith("--backend=")) {
                System.setProperty(NativeBackend.BACKEND_PROPERTY, args[i].substring("--backend=".length()));
            } else {
                rest.add(args[i]);
            }
        }
        return rest.toArray(new String[0]);
    }

    /** This JVM's command again (same JVM options, class path and arguments) with {@code env} added; its exit code. */
    private static int relaunch(java.util.Map<String, String> env, String[] args) {
        java.util.List<String> cmd = relaunchCommand(ProcessHandle.current().info().command().orElse("java"),
                java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments(), System.getProperty("java.class.path"),
                System.getProperty("jdk.module.path"), System.getProperty(NativeBackend.BACKEND_PROPERTY), args);
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().putAll(env);
        pb.environment().put("STEALBENCH_RELAUNCHED", "1");
        try {
            return pb.start().waitFor();
        } catch (java.io.IOException e) {
            System.err.println("stealbench: cannot restart with the CPU backend (" + e.getMessage() + "); set BACKEND_PRIORITY_CPU=1000");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    static java.util.List<String> relaunchCommand(String javaBin, java.util.List<String> jvmArgs, String classPath, String modulePath,
                                                  String backend, String[] args) {
        java.util.List<String> cmd = new java.util.ArrayList<>();
        cmd.add(javaBin);
        cmd.addAll(jvmArgs);
        if (modulePath != null && !modulePath.isBlank() && jvmArgs.stream().noneMatch(a -> a.startsWith("--module-path")
                || a.equals("-p"))) {
            cmd.add("--module-path");
            cmd.add(modulePath);
        }
        if (backend != null && jvmArgs.stream().noneMatch(a -> a.startsWith("-D" + NativeBackend.BACKEND_PROPERTY + "="))) {
            cmd.add("-D" + NativeBackend.BACKEND_PROPERTY + "=" + backend);
        }
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(Main.class.getName());
        cmd.addAll(java.util.List.of(args));
        return cmd;
    }
}
