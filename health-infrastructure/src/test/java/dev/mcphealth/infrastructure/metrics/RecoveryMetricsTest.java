package dev.mcphealth.infrastructure.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.model.FailoverConfig;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.RecoveryAction;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.Thresholds;
import dev.mcphealth.domain.model.TransportKind;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Recovery's events counted: attempts, failed attempts, recoveries, the time to recovery, failovers. */
class RecoveryMetricsTest {
    private static final Instant AT = Instant.parse("2026-12-06T08:00:00Z");
    private static final ServerId MEMORY = ServerId.of("memory");

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final RecoveryMetrics metrics = new RecoveryMetrics(registry, List.of(new MonitoredServer(MEMORY,
            ServerType.of("kv"), TransportKind.STDIO, Duration.ofSeconds(10), Duration.ofSeconds(30),
            Thresholds.DEFAULTS, FailoverConfig.defaultsFor(ServerType.of("kv")))));

    private String text() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anEpisodeWithAFailedAttemptThenARecoveryIsCountedAndTimed() throws Exception {
        metrics.deliver(new MonitorEvent.RecoveryStarted(MEMORY, RecoveryAction.RESTART, 1, AT));
        metrics.deliver(new MonitorEvent.RecoveryFailed(MEMORY, RecoveryAction.RESTART, 1,
                new MonitorEvent.FailureSummary(FailureType.CONNECTION_ERROR, "exited"), AT.plusSeconds(2), AT));
        metrics.deliver(new MonitorEvent.RecoveryStarted(MEMORY, RecoveryAction.RESTART, 2, AT.plusSeconds(2)));
        metrics.deliver(new MonitorEvent.RecoverySucceeded(MEMORY, RecoveryAction.RESTART, 2,
                Duration.ofMillis(3500), AT.plusSeconds(3)));
        metrics.deliver(new MonitorEvent.RecoverySucceeded(ServerId.of("not-configured"), RecoveryAction.RECONNECT, 1,
                Duration.ofSeconds(1), AT.plusSeconds(3)));
        String t = text();
        assertTrue(t.contains("mcphealth_recovery_attempts_total{action=\"restart\",server=\"memory\",server_type=\"kv\"}"
                + " 2.0"), t);
        assertTrue(t.contains("mcphealth_recovery_failures_total{action=\"restart\",server=\"memory\","
                + "server_type=\"kv\"} 1.0"), t);
        assertTrue(t.contains("mcphealth_recoveries_total{action=\"restart\",server=\"memory\",server_type=\"kv\"} 1.0"),
                t);
        assertTrue(t.contains("mcphealth_time_to_recovery_seconds_bucket{server=\"memory\",server_type=\"kv\",le=\"2.0\"}"
                + " 0"), t);
        assertTrue(t.contains("mcphealth_time_to_recovery_seconds_bucket{server=\"memory\",server_type=\"kv\",le=\"5.0\"}"
                + " 1"), t);
        assertTrue(t.contains("mcphealth_time_to_recovery_seconds_sum{server=\"memory\",server_type=\"kv\"} 3.5"), t);
        assertTrue(t.contains("mcphealth_recoveries_total{action=\"reconnect\",server=\"other\",server_type=\"other\"}"),
                "a name not configured is not a label of its own: " + t);
    }
}
