package dev.mcphealth.adapter.cli.di;

import dev.mcphealth.adapter.cli.CheckCommand;
import dev.mcphealth.adapter.cli.ExitCodes;
import dev.mcphealth.adapter.cli.McpHealthCommand;
import picocli.CommandLine;

/** Entry point of {@code bin/mcp-health}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        configureLogging(System.getenv().getOrDefault("MCP_HEALTH_LOG", "error"));
        System.exit(run(args));
    }

    /**
     * Logs go to stderr, quietly: stdout is for results only; MCP_HEALTH_LOG=debug|info|warn shows more of ours. The
     * MCP SDK stays at error whatever is asked: at lower levels it logs response bodies and messages, which may carry
     * what a server echoed of our credentials. Must run before the first logger is made.
     */
    static void configureLogging(String level) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
        System.setProperty("org.slf4j.simpleLogger.log.io.modelcontextprotocol", "error");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    }

    static int run(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        ComponentCheckSessions sessions = new ComponentCheckSessions(System.getenv(),
                System.getProperty("user.home"));
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == CheckCommand.class) {
                    return type.cast(new CheckCommand(sessions));
                }
                return CommandLine.defaultFactory().create(type);
            }
        };
        return ExitCodes.install(new CommandLine(new McpHealthCommand(), factory));
    }
}
