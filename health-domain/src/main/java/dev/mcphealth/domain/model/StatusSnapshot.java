package dev.mcphealth.domain.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the monitor knows of one server now: its status and since when, its rolling windows (1 min, 15 min, 1 h), its
 * running availability against the SLA target (probes answered, and time up: {@link Uptime}), and its last failure. {@code details} carries what does not fit a
 * column (for MCP Health's own row: probe-loop lag, missed probes, database write latency, buffer depth).
 */
public record StatusSnapshot(ServerId server, ServerType type, Optional<HealthStatus> status, Optional<Instant> since,
                             List<WindowStats> windows, long slaProbes, long slaAnswered, Uptime uptime,
                             double slaTarget,
                             Optional<MonitorEvent.FailureSummary> lastFailure, Optional<Instant> lastFailureAt,
                             Instant updatedAt, Map<String, String> details) {

    /** The server name of the monitor's own row (self-monitoring): no configured server may take it. */
    public static final ServerId MONITOR = ServerId.of("mcp-health");
    /**
     * The detail saying a row is another monitor's (monitors sharing a database: docs/cluster.md), shown as that
     * monitor last stored it.
     */
    public static final String HELD_ELSEWHERE = "heldElsewhere";

    public StatusSnapshot {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(since, "since");
        windows = List.copyOf(windows);
        if (slaProbes < 0 || slaAnswered < 0 || slaAnswered > slaProbes) {
            throw new IllegalArgumentException("inconsistent SLA counts: " + slaAnswered + " of " + slaProbes);
        }
        Objects.requireNonNull(uptime, "uptime");
        if (!(slaTarget > 0 && slaTarget <= 1)) {
            throw new IllegalArgumentException("SLA target must be in (0, 1], got " + slaTarget);
        }
        Objects.requireNonNull(lastFailure, "lastFailure");
        Objects.requireNonNull(lastFailureAt, "lastFailureAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        details = Map.copyOf(new TreeMap<>(details));
    }

    /** Whether this is the monitor's own row, not a watched server's. */
    public boolean isMonitor() {
        return server.equals(MONITOR);
    }

    /**
     * Availability since monitoring began, time-weighted ({@link Uptime}); a snapshot written before that was kept
     * (an older database's status board) has answered probes over all probes. Empty before the first probe.
     */
    public Optional<Double> sla() {
        if (uptime.ratio().isPresent()) {
            return uptime.ratio();
        }
        return slaProbes == 0 ? Optional.empty() : Optional.of((double) slaAnswered / slaProbes);
    }

    /** Its phase when it is a standby instance of its pool ({@code details.standby}): cold, warming or warm. */
    public Optional<StandbyPhase> standby() {
        String code = details.get("standby");
        for (StandbyPhase p : StandbyPhase.values()) {
            if (p.code().equals(code)) {
                return Optional.of(p);
            }
        }
        return Optional.empty(); // none, or a stored board's value this version does not know: not a standby phase
    }

    /** The status as people read it: its code, else {@code standby} for a cold standby instance, else {@code none}. */
    public String statusOr(String none) {
        if (status.isPresent()) {
            return status.get().code();
        }
        return standby().filter(p -> p == StandbyPhase.COLD).isPresent() ? "standby" : none;
    }

    /** The window of that length, if kept. */
    public Optional<WindowStats> window(java.time.Duration length) {
        return windows.stream().filter(w -> w.window().equals(length)).findFirst();
    }
}
