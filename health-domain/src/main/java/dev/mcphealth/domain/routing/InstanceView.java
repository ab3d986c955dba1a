package dev.mcphealth.domain.routing;

import dev.mcphealth.domain.model.BreakerState;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.ServerId;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the router knows of one instance of a pool right now.
 *
 * @param fallback whether it belongs to the fallback server type rather than the primary one
 * @param status its monitored status; empty before its first probe
 * @param statusSince since when it has had that status
 * @param breaker its circuit breaker's state
 */
public record InstanceView(ServerId id, boolean fallback, Optional<HealthStatus> status,
                           Optional<Instant> statusSince, BreakerState breaker) {
    public InstanceView {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(statusSince, "statusSince");
        Objects.requireNonNull(breaker, "breaker");
    }

    /** Fit to take calls: its breaker lets calls through and its monitor does not see it down. */
    public boolean usable() {
        if (breaker == BreakerState.OPEN) {
            return false;
        }
        return status.isEmpty() || !status.get().isDown();
    }

    /** Healthy without a break for at least {@code d} at {@code now}. (Without allocating: it runs on calls.) */
    public boolean healthyFor(java.time.Duration d, Instant now) {
        if (status.isEmpty() || status.get() != HealthStatus.HEALTHY || statusSince.isEmpty()) {
            return false;
        }
        Instant since = statusSince.get();
        long seconds = since.getEpochSecond() + d.getSeconds();
        long nanos = (long) since.getNano() + d.getNano();
        if (nanos >= 1_000_000_000L) {
            seconds++;
            nanos -= 1_000_000_000L;
        }
        return now.getEpochSecond() > seconds || now.getEpochSecond() == seconds && now.getNano() >= nanos;
    }
}
