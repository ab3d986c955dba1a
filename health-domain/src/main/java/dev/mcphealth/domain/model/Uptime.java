package dev.mcphealth.domain.model;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Time-weighted availability: how long a server has been watched and how much of that it was down (from the failure
 * that began an outage to the first answer after it), so that an outage between two probes counts for as long as it
 * lasted, and a probe missed in a quiet hour counts for nothing.
 */
public record Uptime(Duration observed, Duration down) {
    public static final Uptime NONE = new Uptime(Duration.ZERO, Duration.ZERO);

    public Uptime {
        Objects.requireNonNull(observed, "observed");
        Objects.requireNonNull(down, "down");
        if (observed.isNegative() || down.isNegative() || down.compareTo(observed) > 0) {
            throw new IllegalArgumentException("down " + down + " must be within observed " + observed);
        }
    }

    /** The share of the watched time the server was up; empty before any time was watched. */
    public Optional<Double> ratio() {
        if (observed.isZero()) {
            return Optional.empty();
        }
        return Optional.of(1.0 - (double) down.toNanos() / observed.toNanos());
    }
}
