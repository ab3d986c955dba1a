package dev.mcphealth.adapter.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code mcp-health} command line. */
@Command(name = "mcp-health", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Watches the MCP servers you use, over the real protocol, and records their health.",
        subcommands = {CheckCommand.class, WatchCommand.class, StatusCommand.class, HistoryCommand.class,
            FailuresCommand.class, UsageCommand.class, CallCommand.class, FailoverCommand.class, DbCommand.class,
            DashboardCommand.class, AuthCommand.class})
public final class McpHealthCommand implements java.util.concurrent.Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Without a command there is nothing to do: show what there is, and say so in the exit code. */
    @Override
    public Integer call() {
        return ExitCodes.usageWithoutSubcommand(spec);
    }
}
