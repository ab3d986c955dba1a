package dev.mcphealth.application.routing;

import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.routing.ToolLatency;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each tool's recent call times and failures, per server type: what its hedging delay and its statistics are made
 * of. At most {@value #MAX_TOOLS_PER_TYPE} tools a type are followed (a caller sending made-up tool names cannot grow
 * it without bound); calls of others are not.
 */
public final class ToolStats {
    static final int MAX_TOOLS_PER_TYPE = 256;

    private final Map<ServerType, Map<String, ToolLatency>> byType = new ConcurrentHashMap<>();
    private final long windowNanos;

    /** Statistics in windows of a minute. */
    public ToolStats() {
        this(ToolLatency.DEFAULT_WINDOW_NANOS);
    }

    /** Statistics in windows of {@code windowNanos}. */
    public ToolStats(long windowNanos) {
        this.windowNanos = windowNanos;
    }

    /** The tool's latency, followed from now on if it is not yet and there is room. */
    Optional<ToolLatency> of(ServerType type, String tool) {
        Map<String, ToolLatency> tools = byType.computeIfAbsent(type, t -> new ConcurrentHashMap<>());
        ToolLatency known = tools.get(tool);
        if (known != null || tools.size() >= MAX_TOOLS_PER_TYPE) {
            return Optional.ofNullable(known);
        }
        return Optional.of(tools.computeIfAbsent(tool, t -> new ToolLatency(windowNanos)));
    }

    /** Every followed tool of every type, as they are now (live: read them at once). */
    Map<ServerType, Map<String, ToolLatency>> all() {
        return byType;
    }
}
