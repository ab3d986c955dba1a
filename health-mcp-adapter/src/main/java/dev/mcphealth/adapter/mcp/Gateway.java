package dev.mcphealth.adapter.mcp;

import dev.mcphealth.application.port.in.CallToolUseCase;
import dev.mcphealth.application.port.in.ForwardRequestUseCase;
import dev.mcphealth.application.port.in.ListToolsUseCase;
import dev.mcphealth.application.port.in.ReadToolStatsUseCase;
import dev.mcphealth.application.port.in.ReadUsageProfilesUseCase;
import dev.mcphealth.application.port.in.ReportUsageUseCase;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Gateway mode (docs/gateway.md): the configured server types whose tools, prompts and resources MCP Health serves
 * beside its own, each type's once, tools and prompts named {@code <serverType>__<name>}, resources under their own
 * URIs, each call, get and read sent through the resilient path ({@code call}, {@code forward}: the pool's balancing,
 * breakers, failover, recovery); {@code usage}, the profiles learned from those calls, and {@code report}, what they
 * say of each pool's capacity (optimization_report, orchestrator_performance_optimizer).
 */
public record Gateway(ListToolsUseCase list, CallToolUseCase call, ReadToolStatsUseCase stats,
                      ForwardRequestUseCase forward, List<String> serverTypes, java.time.Duration refreshEvery,
                      ReadUsageProfilesUseCase usage, Optional<ReportUsageUseCase> report) {
    /** Between a server type and its tool's name in the name a client sees. */
    public static final String SEPARATOR = "__";
    /**
     * How often the served types are listed again by default (besides at once on drift): an upstream's tools that
     * changed show within this even when it does not say so (this protocol version gives no cache lifetime).
     */
    public static final java.time.Duration REFRESH_EVERY = java.time.Duration.ofSeconds(60);

    public Gateway {
        Objects.requireNonNull(list, "list");
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(stats, "stats");
        Objects.requireNonNull(forward, "forward");
        serverTypes = List.copyOf(serverTypes);
        Objects.requireNonNull(refreshEvery, "refreshEvery");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(report, "report");
    }

    /** Gateway mode without usage profiles (a test's). */
    public Gateway(ListToolsUseCase list, CallToolUseCase call, ReadToolStatsUseCase stats,
                   ForwardRequestUseCase forward, List<String> serverTypes, java.time.Duration refreshEvery) {
        this(list, call, stats, forward, serverTypes, refreshEvery, ReadUsageProfilesUseCase.NONE, Optional.empty());
    }
}
