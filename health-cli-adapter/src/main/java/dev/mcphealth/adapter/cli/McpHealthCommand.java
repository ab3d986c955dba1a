package dev.mcphealth.adapter.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code mcp-health} command line. */
@Command(name = "mcp-health", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Watches the MCP servers you use, over the real protocol, and records their health.",
        subcommands = {CheckCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:all selected servers healthy",
            "1:a server in warning",
            "2:a server critical or offline",
            "3:usage, configuration or database error"})
public final class McpHealthCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
