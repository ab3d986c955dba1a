package dev.mcphealth.application.port.out;

import dev.mcphealth.domain.model.ServerId;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How many requests each instance takes at once: an adaptive limit per instance, learned from how its latency moves
 * with its load, so that an overloaded instance is shed (its requests go elsewhere, or fail fast with when to retry)
 * before its latency explodes.
 */
public interface ConcurrencyLimitPort {
    /** No limit: every request is admitted. */
    ConcurrencyLimitPort NONE = new ConcurrencyLimitPort() {
        private final Optional<Admission> always = Optional.of(Admission.NOTHING);

        @Override
        public Optional<Admission> tryAcquire(ServerId server) {
            return always;
        }

        @Override
        public OptionalInt limit(ServerId server) {
            return OptionalInt.empty();
        }
    };

    /** Admits one request to {@code server}, or empty when the instance is at its limit now (the request is shed). */
    Optional<Admission> tryAcquire(ServerId server);

    /** The instance's limit now (requests at once), if it has one. */
    OptionalInt limit(ServerId server);

    /**
     * One admitted request: exactly one of its three ends is told when it ends.
     *
     * @param answered   it came back answered (its time teaches the limit)
     * @param overloaded it timed out or the instance said it was overloaded (the limit comes down)
     * @param ignored    it failed for a reason that says nothing of load (a refused connection, a crash)
     */
    record Admission(Runnable answered, Runnable overloaded, Runnable ignored) {
        /** An admission that tells nothing to anyone. */
        public static final Admission NOTHING = new Admission(() -> { }, () -> { }, () -> { });

        public Admission {
            Objects.requireNonNull(answered, "answered");
            Objects.requireNonNull(overloaded, "overloaded");
            Objects.requireNonNull(ignored, "ignored");
        }
    }
}
