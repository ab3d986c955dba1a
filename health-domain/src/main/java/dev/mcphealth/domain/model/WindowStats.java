package dev.mcphealth.domain.model;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One server's calls over one rolling window: probes and the real calls reported through the library.
 * Latency percentiles are over answered calls; availability is over probes only (probes are the steady sample of
 * "is it up"; real traffic comes in bursts).
 */
public record WindowStats(Duration window, long calls, long errors, long probes, long answeredProbes,
                          Optional<Duration> p50, Optional<Duration> p95, Optional<Duration> p99) {

    public WindowStats {
        if (window == null || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, got " + window);
        }
        if (calls < 0 || errors < 0 || probes < 0 || answeredProbes < 0 || errors > calls || answeredProbes > probes
                || probes > calls) {
            throw new IllegalArgumentException("inconsistent counts: calls=" + calls + " errors=" + errors
                    + " probes=" + probes + " answered=" + answeredProbes);
        }
        Objects.requireNonNull(p50, "p50");
        Objects.requireNonNull(p95, "p95");
        Objects.requireNonNull(p99, "p99");
    }

    public static WindowStats empty(Duration window) {
        return new WindowStats(window, 0, 0, 0, 0, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Failed calls over all calls; empty with no calls. */
    public Optional<Double> errorRate() {
        return calls == 0 ? Optional.empty() : Optional.of((double) errors / calls);
    }

    /** Answered probes over probes; empty with no probes. */
    public Optional<Double> availability() {
        return probes == 0 ? Optional.empty() : Optional.of((double) answeredProbes / probes);
    }

    /** Probes that failed. */
    public long failedProbes() {
        return probes - answeredProbes;
    }

    /** Real calls (through the gateway and the library): the calls that were not probes. */
    public long realCalls() {
        return calls - probes;
    }

    /** Real calls that failed: the errors that were not failed probes (every failed probe is an error too). */
    public long failedRealCalls() {
        return Math.max(0, errors - failedProbes());
    }

    /** Calls per second over the whole window. */
    public double throughput() {
        return calls / (window.toMillis() / 1000.0);
    }

    /**
     * Nearest rank over latencies in microseconds, sorted ascending: the smallest value with at least q of the values
     * at or below it.
     */
    public static Optional<Duration> percentile(long[] sortedMicros, double q) {
        if (sortedMicros.length == 0) {
            return Optional.empty();
        }
        int rank = (int) Math.ceil(q * sortedMicros.length);
        return Optional.of(Duration.ofNanos(sortedMicros[Math.max(0, rank - 1)] * 1_000));
    }
}
