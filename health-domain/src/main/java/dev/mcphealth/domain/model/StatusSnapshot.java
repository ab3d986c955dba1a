package dev.mcphealth.domain.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the monitor knows of one server now: its status and since when, its rolling windows (1 min, 15 min, 1 h), its
 * running availability against the SLA target, and its last failure. {@code details} carries what does not fit a
 * column (for MCP Health's own row: probe-loop lag, missed probes, database write latency, buffer depth).
 */
public record StatusSnapshot(ServerId server, ServerType type, Optional<HealthStatus> status, Optional<Instant> since,
                             List<WindowStats> windows, long slaProbes, long slaAnswered, double slaTarget,
                             Optional<MonitorEvent.FailureSummary> lastFailure, Optional<Instant> lastFailureAt,
                             Instant updatedAt, Map<String, String> details) {

    public StatusSnapshot {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(since, "since");
        windows = List.copyOf(windows);
        if (slaProbes < 0 || slaAnswered < 0 || slaAnswered > slaProbes) {
            throw new IllegalArgumentException("inconsistent SLA counts: " + slaAnswered + " of " + slaProbes);
        }
        if (!(slaTarget > 0 && slaTarget <= 1)) {
            throw new IllegalArgumentException("SLA target must be in (0, 1], got " + slaTarget);
        }
        Objects.requireNonNull(lastFailure, "lastFailure");
        Objects.requireNonNull(lastFailureAt, "lastFailureAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        details = Map.copyOf(new TreeMap<>(details));
    }

    /** Answered probes over all probes since monitoring began; empty before the first probe. */
    public Optional<Double> sla() {
        return slaProbes == 0 ? Optional.empty() : Optional.of((double) slaAnswered / slaProbes);
    }

    /** The window of that length, if kept. */
    public Optional<WindowStats> window(java.time.Duration length) {
        return windows.stream().filter(w -> w.window().equals(length)).findFirst();
    }
}
