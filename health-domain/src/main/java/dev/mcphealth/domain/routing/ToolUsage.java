package dev.mcphealth.domain.routing;

import dev.mcphealth.domain.model.ServerType;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One window (a minute by default) of one tool's calls through its pool, from {@code from}: how many were sent, how
 * many failed (no answer: a timeout, a dead instance, nothing usable; a tool's own error answer is an answer), and the
 * answered calls' p50, p95 and p99 in milliseconds (within 12.5 %; empty when none answered) and their mean (within
 * 6.25 %; empty when none answered, or in rows written before it was kept). What the calls through
 * the gateway and the library leave in the store, for learning each server's usage.
 */
public record ToolUsage(ServerType serverType, String tool, Instant from, Duration window, long calls, long failures,
                        OptionalDouble p50Ms, OptionalDouble p95Ms, OptionalDouble p99Ms, OptionalDouble meanMs) {
    public ToolUsage {
        Objects.requireNonNull(serverType, "serverType");
        if (tool == null || tool.isBlank()) {
            throw new IllegalArgumentException("tool must be named");
        }
        Objects.requireNonNull(from, "from");
        if (window == null || window.isZero() || window.isNegative()) {
            throw new IllegalArgumentException("the window must be positive, got " + window);
        }
        if (calls < 1 || failures < 0 || failures > calls) {
            throw new IllegalArgumentException("calls must be at least 1 and failures 0.." + calls + ", got " + calls
                    + " and " + failures);
        }
        Objects.requireNonNull(p50Ms, "p50Ms");
        Objects.requireNonNull(p95Ms, "p95Ms");
        Objects.requireNonNull(p99Ms, "p99Ms");
        Objects.requireNonNull(meanMs, "meanMs");
    }

    /** One window of a {@link ToolLatency}: its index and figures as it holds them. */
    public static ToolUsage of(ServerType type, String tool, long windowIndex, long windowNanos,
                               ToolLatency.Window w) {
        long fromNanos = Math.multiplyExact(windowIndex, windowNanos);
        return new ToolUsage(type, tool, Instant.ofEpochSecond(Math.floorDiv(fromNanos, 1_000_000_000L),
                Math.floorMod(fromNanos, 1_000_000_000L)), Duration.ofNanos(windowNanos), w.calls(),
                Math.min(w.failures(), w.calls()), ms(w.p50Nanos()), ms(w.p95Nanos()), ms(w.p99Nanos()),
                ms(w.meanNanos()));
    }

    private static OptionalDouble ms(long nanos) {
        return nanos < 0 ? OptionalDouble.empty() : OptionalDouble.of(nanos / 1e6);
    }
}
