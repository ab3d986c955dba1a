package dev.mcphealth.domain.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One alert: one episode of one server being unhealthy, from the first unhealthy status until it is healthy again.
 * The severity is the worst the episode reached; the id is stable (server and start), so storing it twice updates it.
 */
public record Alert(String id, ServerId server, AlertSeverity severity, String message, Instant raisedAt,
                    Optional<Instant> resolvedAt) {

    public Alert {
        Text.requireText(id, "id");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(severity, "severity");
        Text.requireText(message, "message");
        Objects.requireNonNull(raisedAt, "raisedAt");
        Objects.requireNonNull(resolvedAt, "resolvedAt");
        resolvedAt.ifPresent(r -> {
            if (r.isBefore(raisedAt)) {
                throw new IllegalArgumentException("an alert cannot be resolved before it was raised");
            }
        });
    }

    public static Alert raise(ServerId server, AlertSeverity severity, String message, Instant at) {
        return new Alert(server.value() + "@" + at.toEpochMilli(), server, severity, message, at, Optional.empty());
    }

    public boolean resolved() {
        return resolvedAt.isPresent();
    }

    public Alert escalatedTo(AlertSeverity worse, String why) {
        return worse.compareTo(severity) > 0 ? new Alert(id, server, worse, why, raisedAt, resolvedAt) : this;
    }

    /** The same alert, with at least {@code severity}, saying {@code why} (an update of an open episode). */
    public Alert restated(AlertSeverity atLeast, String why) {
        AlertSeverity s = atLeast.compareTo(severity) > 0 ? atLeast : severity;
        return new Alert(id, server, s, why, raisedAt, resolvedAt);
    }

    public Alert resolvedAt(Instant at) {
        return new Alert(id, server, severity, message, raisedAt, Optional.of(at));
    }
}
