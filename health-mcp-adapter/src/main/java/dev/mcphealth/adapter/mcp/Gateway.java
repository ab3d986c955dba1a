package dev.mcphealth.adapter.mcp;

import dev.mcphealth.application.port.in.CallToolUseCase;
import dev.mcphealth.application.port.in.ListToolsUseCase;
import dev.mcphealth.application.port.in.ReadToolStatsUseCase;
import java.util.List;
import java.util.Objects;

/**
 * Gateway mode (docs/gateway.md): the configured server types whose tools MCP Health serves beside its own, each
 * type's tools once, named {@code <serverType>__<tool>}, each call sent through the resilient path ({@code call}:
 * the pool's balancing, breakers, failover, recovery).
 */
public record Gateway(ListToolsUseCase list, CallToolUseCase call, ReadToolStatsUseCase stats,
                      List<String> serverTypes) {
    /** Between a server type and its tool's name in the name a client sees. */
    public static final String SEPARATOR = "__";

    public Gateway {
        Objects.requireNonNull(list, "list");
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(stats, "stats");
        serverTypes = List.copyOf(serverTypes);
    }
}
