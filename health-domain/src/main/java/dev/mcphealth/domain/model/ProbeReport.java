package dev.mcphealth.domain.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One probe of one server: when, the session it used (if one could be established), whether this probe opened that
 * session (only then is the handshake's connect time part of this probe), and the outcome.
 */
public record ProbeReport(ServerId server, Instant startedAt, Optional<Handshake> handshake, boolean sessionOpened,
                          ProbeOutcome outcome) {
    public ProbeReport {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(handshake, "handshake");
        Objects.requireNonNull(outcome, "outcome");
        if (sessionOpened && handshake.isEmpty()) {
            throw new IllegalArgumentException("a probe that opened a session has its handshake");
        }
    }

    /** A probe that opened its session if it has a handshake at all. */
    public ProbeReport(ServerId server, Instant startedAt, Optional<Handshake> handshake, ProbeOutcome outcome) {
        this(server, startedAt, handshake, handshake.isPresent(), outcome);
    }

    /** How long this probe spent connecting, if it opened the session. */
    public Optional<java.time.Duration> connectTime() {
        return sessionOpened ? handshake.map(Handshake::connectTime) : Optional.empty();
    }
}
