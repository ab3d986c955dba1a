package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.model.ServerType;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** How each tool called through the pools has fared lately: real traffic, per tool (the gateway's calls). */
@FunctionalInterface
public interface ReadToolStatsUseCase {
    /** Each tool called in the last one to two minutes, of the types asked (every type when empty), by type and name. */
    List<ToolFigures> toolStats(Set<ServerType> types);

    /**
     * One tool's figures over the last one to two minutes: requests sent to its instances (a failover or a hedge is a
     * request of its own), how many failed, and the quantiles of their times (within 12.5 % above the truth).
     */
    record ToolFigures(ServerType type, String tool, long requests, long failures, double p50Ms, double p95Ms,
                       double p99Ms) {
        public ToolFigures {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(tool, "tool");
        }

        /** The share of its requests that failed, 0..1. */
        public double errorRate() {
            return requests == 0 ? 0 : failures / (double) requests;
        }
    }
}
