package dev.mcphealth.adapter.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code -c/--config FILE}: the client configuration naming the servers, as every command that reaches them reads it. */
public final class ConfigOption {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "claude_desktop_config.json, .mcp.json or VS Code's mcp.json")
    private Path file;

    /** The file given (picocli refuses the command without one). */
    public Path file() {
        return file;
    }
}
