package org.stealbench.cli;

import picocli.CommandLine.Model.CommandSpec;

/** Test access to the command line's structure (the commands are package-private). */
public final class StealBenchCommandAccess {

    private StealBenchCommandAccess() {
    }

    public static CommandSpec spec(String subcommand) {
        return StealBenchCommand.commandLine().getSubcommands().get(subcommand).getCommandSpec();
    }
}
