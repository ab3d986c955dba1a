package dev.mcphealth.infrastructure.persistence;

import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.StatusSnapshot;
import dev.mcphealth.domain.model.WindowStats;
import dev.mcphealth.domain.model.Uptime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Snapshots for the status tests: one with every field set, one with every optional empty. */
final class Snapshots {
    private Snapshots() {
    }

    /** Every field set, latencies down to the nanosecond, a window with empty percentiles too. */
    static StatusSnapshot full(String server, Instant updatedAt) {
        return new StatusSnapshot(ServerId.of(server), ServerType.of("everything"), Optional.of(HealthStatus.WARNING),
                Optional.of(Instant.parse("2026-11-23T10:15:30.123Z")),
                List.of(new WindowStats(Duration.ofMinutes(1), 10, 1, 6, 5, Optional.of(Duration.ofNanos(1_250_000)),
                                Optional.of(Duration.ofMillis(3)), Optional.of(Duration.ofNanos(3_000_001))),
                        WindowStats.empty(Duration.ofMinutes(15)),
                        new WindowStats(Duration.ofHours(1), 400, 0, 360, 360, Optional.of(Duration.ofSeconds(2)),
                                Optional.of(Duration.ofSeconds(12, 345)), Optional.of(Duration.ofMinutes(1)))),
                120, 118, new Uptime(Duration.ofSeconds(3600, 123_456_789), Duration.ofNanos(600_000_001)), 0.999,
                Optional.of(new MonitorEvent.FailureSummary(FailureType.TIMEOUT, "no answer within 10 s")),
                Optional.of(Instant.parse("2026-11-23T10:14:00Z")), updatedAt,
                Map.of("bufferDepth", "0", "a", "b \"quoted\" ü"));
    }

    /** No status yet, no probes, no failure, no details. */
    static StatusSnapshot empty(String server, Instant updatedAt) {
        return new StatusSnapshot(ServerId.of(server), ServerType.of("memory"), Optional.empty(), Optional.empty(),
                List.of(), 0, 0, Uptime.NONE, 1.0, Optional.empty(), Optional.empty(), updatedAt, Map.of());
    }
}
