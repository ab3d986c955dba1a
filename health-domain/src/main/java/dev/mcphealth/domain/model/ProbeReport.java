package dev.mcphealth.domain.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** One probe of one server: when, the session it used (if one could be established), and the outcome. */
public record ProbeReport(ServerId server, Instant startedAt, Optional<Handshake> handshake, ProbeOutcome outcome) {
    public ProbeReport {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(handshake, "handshake");
        Objects.requireNonNull(outcome, "outcome");
    }
}
