package dev.mcphealth.application.monitoring;

import dev.mcphealth.domain.model.CheckDepth;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the monitor runs: an interval for every server instead of each one's own, the depth of each probe (comprehensive
 * also lists tools and so detects drift), the availability target the running SLA is held against, and how many metric
 * rows may wait for the store before the oldest are dropped (and counted).
 */
public record MonitoringSettings(Optional<Duration> intervalOverride, CheckDepth depth, double slaTarget,
                                 int bufferCapacity) {
    /** The design's 99.9 %. */
    public static final double DEFAULT_SLA_TARGET = 0.999;
    /** A day of 1 s probes of 1 server, or 100 s of 1,000 servers (two rows a probe); about 30 MB at most. */
    public static final int DEFAULT_BUFFER_CAPACITY = 200_000;

    public MonitoringSettings {
        Objects.requireNonNull(intervalOverride, "intervalOverride");
        intervalOverride.ifPresent(i -> {
            if (i.compareTo(Duration.ofSeconds(1)) < 0 || i.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException("interval must be 1..86400 seconds, got " + i.toMillis() / 1000.0);
            }
        });
        Objects.requireNonNull(depth, "depth");
        if (!(slaTarget > 0 && slaTarget <= 1)) {
            throw new IllegalArgumentException("SLA target must be in (0, 1], got " + slaTarget);
        }
        if (bufferCapacity < 1) {
            throw new IllegalArgumentException("buffer capacity must be at least 1, got " + bufferCapacity);
        }
    }

    public static MonitoringSettings defaults() {
        return new MonitoringSettings(Optional.empty(), CheckDepth.BASIC, DEFAULT_SLA_TARGET, DEFAULT_BUFFER_CAPACITY);
    }

    public MonitoringSettings withInterval(Duration interval) {
        return new MonitoringSettings(Optional.of(interval), depth, slaTarget, bufferCapacity);
    }

    public MonitoringSettings withDepth(CheckDepth d) {
        return new MonitoringSettings(intervalOverride, d, slaTarget, bufferCapacity);
    }

    public MonitoringSettings withBufferCapacity(int capacity) {
        return new MonitoringSettings(intervalOverride, depth, slaTarget, capacity);
    }
}
