package dev.mcphealth.application.service;

import dev.mcphealth.domain.model.MetricType;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.Thresholds;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The latency and error-rate forecasts of one server. */
final class Predictions {
    private final Thresholds thresholds;

    Predictions(Thresholds thresholds) {
        this.thresholds = thresholds;
    }

    /** Takes one probe's latency (when answered) and the current 1-minute error rate; returns predictions to raise. */
    List<MonitorEvent.PredictionRaised> observe(ServerId server, Instant at, Optional<Double> latencyMs,
                                                Optional<Double> errorRate) {
        return List.of();
    }

    Thresholds thresholds() {
        return thresholds;
    }

    static MetricType latency() {
        return MetricType.RESPONSE_TIME;
    }
}
