package dev.mcphealth.domain.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The integration_health_metrics rows one probe gives, for the monitor, a check and a linked health check alike: its
 * availability (1 when it answered, 0 otherwise) and, when it answered, its response time in milliseconds, both with
 * the probe's details ({@link ProbeDetails}), measured at the probe's start, with the status the caller gives.
 */
public final class ProbeMetrics {
    private ProbeMetrics() {
    }

    public static List<HealthMetric> of(MonitoredServer server, ProbeReport probe, HealthStatus status, CheckDepth depth) {
        Map<String, String> details = ProbeDetails.of(server, probe, depth);
        List<HealthMetric> rows = new ArrayList<>(2);
        boolean answered = probe.outcome() instanceof ProbeOutcome.Answered;
        rows.add(HealthMetric.of(server, MetricType.AVAILABILITY, answered ? 1.0 : 0.0, status, details,
                probe.startedAt()));
        if (probe.outcome() instanceof ProbeOutcome.Answered a) {
            rows.add(HealthMetric.of(server, MetricType.RESPONSE_TIME, ProbeDetails.millis(a.responseTime()), status,
                    details, probe.startedAt()));
        }
        return rows;
    }
}
