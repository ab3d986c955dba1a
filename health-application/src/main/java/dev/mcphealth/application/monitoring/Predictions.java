package dev.mcphealth.application.monitoring;

import dev.mcphealth.domain.prediction.Forecast;
import dev.mcphealth.domain.model.MetricType;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.Thresholds;
import dev.mcphealth.domain.prediction.TrendPredictor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The latency and error-rate forecasts of one server (the method: docs/predictions.md), the latency's held against
 * its probe profile (a rise its week always has is not a fault). Each predictor raises once per approach to its
 * critical threshold. Guarded by the server's lock.
 */
final class Predictions {
    private TrendPredictor latency;
    private TrendPredictor errorRate;
    private final ProbeProfile profile;

    /** {@code profile}: the server's probe latency by hour of the week, learned from the probes seen here. */
    Predictions(Thresholds thresholds, Duration interval, ProbeProfile profile) {
        this.profile = profile;
        this.latency = TrendPredictor.forMetric(MetricType.RESPONSE_TIME, thresholds, interval)
                .withSeasonality(profile);
        this.errorRate = TrendPredictor.forMetric(MetricType.ERROR_RATE, thresholds, interval);
    }

    /** Takes one probe's latency (when answered) and the current 1-minute error rate; returns predictions to raise. */
    List<MonitorEvent.PredictionRaised> observe(ServerId server, Instant at, Optional<Double> latencyMs,
                                                Optional<Double> rate) {
        List<MonitorEvent.PredictionRaised> raised = new ArrayList<>(0);
        if (latencyMs.isPresent()) {
            profile.sample(at, latencyMs.get());
            TrendPredictor.Step step = latency.observe(at, latencyMs.get());
            latency = step.next();
            step.raise().ifPresent(f -> raised.add(event(server, MetricType.RESPONSE_TIME, f)));
        }
        if (rate.isPresent()) {
            TrendPredictor.Step step = errorRate.observe(at, rate.get());
            errorRate = step.next();
            step.raise().ifPresent(f -> raised.add(event(server, MetricType.ERROR_RATE, f)));
        }
        return raised;
    }

    private static MonitorEvent.PredictionRaised event(ServerId server, MetricType metric, Forecast f) {
        return new MonitorEvent.PredictionRaised(server, metric, f.threshold(), f.level(), f.trendPerSecond(),
                f.timeToCross(), f.estimatedAt());
    }
}
