package dev.mcphealth.infrastructure.events;

import dev.mcphealth.domain.model.Alert;
import dev.mcphealth.domain.model.AlertSeverity;
import dev.mcphealth.domain.model.AnomalyRaised;
import dev.mcphealth.domain.model.AnomalyResolved;
import dev.mcphealth.domain.model.ChangeJudged;
import dev.mcphealth.domain.model.TrialVerdict;
import dev.mcphealth.domain.model.WindowStats;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MetricType;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.ToolDrift;
import dev.mcphealth.domain.model.UsageBand;
import dev.mcphealth.domain.model.UsageFigure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** One event of each kind, for server "memory" at 2026-03-01T12:00:00Z, as docs/events.md shows them. */
final class SampleEvents {
    static final ServerId MEMORY = ServerId.of("memory");
    static final Instant AT = Instant.parse("2026-03-01T12:00:00Z");

    private SampleEvents() {
    }

    static MonitorEvent.StatusChanged firstStatus() {
        return new MonitorEvent.StatusChanged(MEMORY, Optional.empty(), HealthStatus.HEALTHY, AT, Optional.empty());
    }

    static MonitorEvent.StatusChanged wentCritical() {
        return new MonitorEvent.StatusChanged(MEMORY, Optional.of(HealthStatus.HEALTHY), HealthStatus.CRITICAL, AT,
                Optional.of(new MonitorEvent.FailureSummary(FailureType.TIMEOUT, "request timed out after 2000 ms")));
    }

    static MonitorEvent.StatusChanged recovered() {
        return new MonitorEvent.StatusChanged(MEMORY, Optional.of(HealthStatus.CRITICAL), HealthStatus.HEALTHY,
                AT.plusSeconds(312), Optional.empty());
    }

    static Alert alert() {
        return Alert.raise(MEMORY, AlertSeverity.CRITICAL, "memory is critical: timeout", AT);
    }

    static MonitorEvent.AlertRaised alertRaised() {
        return new MonitorEvent.AlertRaised(alert());
    }

    static MonitorEvent.AlertResolved alertResolved() {
        return new MonitorEvent.AlertResolved(alert().resolvedAt(AT.plus(Duration.ofMillis(312_250))));
    }

    static MonitorEvent.PredictionRaised prediction() {
        return new MonitorEvent.PredictionRaised(MEMORY, MetricType.RESPONSE_TIME, 2000.0, 850.0, 10.0,
                Duration.ofSeconds(115), AT);
    }

    static MonitorEvent.ToolsDrifted drift() {
        return new MonitorEvent.ToolsDrifted(MEMORY, new ToolDrift(List.of("search_nodes"), List.of("delete_all"),
                List.of("read_graph"), "sha256:1f0c", "sha256:9ab2"), AT);
    }

    static AnomalyRaised anomaly() {
        return new AnomalyRaised(ServerType.of("memory"), Optional.of("search_nodes"), UsageFigure.RATE,
                true, 96.0, 1, new UsageBand(20.5, 9.25, 36.0, 0.75), 12.5, AT);
    }

    static AnomalyResolved anomalyResolved() {
        return new AnomalyResolved(ServerType.of("memory"), Optional.of("search_nodes"), UsageFigure.RATE,
                AT, AT.plus(Duration.ofMinutes(7)));
    }

    static ChangeJudged changeRolledBack() {
        WindowStats before = new WindowStats(Duration.ofMinutes(15), 1290, 3, 90, 90, Optional.empty(),
                Optional.of(Duration.ofMillis(41)), Optional.empty());
        WindowStats after = new WindowStats(Duration.ofMinutes(15), 1302, 15, 90, 79, Optional.empty(),
                Optional.of(Duration.ofMillis(44)), Optional.empty());
        return new ChangeJudged(MEMORY, "probe_timeout_ms", "5000", "800", ChangeJudged.Outcome.ROLLED_BACK,
                TrialVerdict.WORSE, List.of("worse: probes failed 0 of 90 before, 11 of 90 after",
                "calls failed 3 of 1200 before, 4 of 1212 after", "p95 41 ms before, 44 ms after"), before, after,
                AT.minus(Duration.ofMinutes(15)), AT);
    }

    static dev.mcphealth.domain.model.StandbyChanged standbyWarmed() {
        return new dev.mcphealth.domain.model.StandbyChanged(ServerId.of("memory-2"),
                dev.mcphealth.domain.model.ServerType.of("memory"), dev.mcphealth.domain.model.StandbyTransition.WARM_UP,
                "ahead: Mon 09:00 usually brings 3.2x the pool's typical busy hour (64.0 calls/min against 20.0)", AT);
    }

    /** A status change numbered {@code n} (1-based), to tell events apart in order checks. */
    static MonitorEvent numbered(int n) {
        HealthStatus to = n % 2 == 0 ? HealthStatus.HEALTHY : HealthStatus.WARNING;
        HealthStatus from = n % 2 == 0 ? HealthStatus.WARNING : HealthStatus.HEALTHY;
        return new MonitorEvent.StatusChanged(MEMORY, Optional.of(from), to, AT.plusSeconds(n), Optional.empty());
    }
}
