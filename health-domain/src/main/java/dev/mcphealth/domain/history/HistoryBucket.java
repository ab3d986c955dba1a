package dev.mcphealth.domain.history;

import dev.mcphealth.domain.model.HealthStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One server over one stretch of time, as stored: probes, how many answered, latency percentiles of the answered ones,
 * and the worst status recorded. Raw rows give minute buckets; roll-ups give hour buckets.
 */
public record HistoryBucket(Instant start, Duration width, long probes, long answered, Optional<Double> p50Ms,
                            Optional<Double> p95Ms, Optional<Double> p99Ms, HealthStatus worst) {
    public HistoryBucket {
        Objects.requireNonNull(start, "start");
        if (width == null || width.isNegative() || width.isZero()) {
            throw new IllegalArgumentException("width must be positive, got " + width);
        }
        if (probes < 0 || answered < 0 || answered > probes) {
            throw new IllegalArgumentException("inconsistent counts: " + answered + " of " + probes);
        }
        Objects.requireNonNull(p50Ms, "p50Ms");
        Objects.requireNonNull(p95Ms, "p95Ms");
        Objects.requireNonNull(p99Ms, "p99Ms");
        Objects.requireNonNull(worst, "worst");
    }

    public Optional<Double> availability() {
        return probes == 0 ? Optional.empty() : Optional.of((double) answered / probes);
    }
}
