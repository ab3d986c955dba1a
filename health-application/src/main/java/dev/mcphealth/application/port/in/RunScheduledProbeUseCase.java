package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.ServerId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Probe one server now, for the probe that was due at {@code scheduledAt}, and take in what it says. Thread-safe across
 * servers; the caller never runs two probes of one server at once. {@code missedBefore} is how many scheduled probes of
 * this server were skipped since the last one because it was still busy: they count as missed in self-monitoring.
 */
@FunctionalInterface
public interface RunScheduledProbeUseCase {

    /** @throws UnknownServerException if the server is not monitored */
    List<MonitorEvent> probe(Command command);

    record Command(ServerId server, Instant scheduledAt, int missedBefore) {
        public Command {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(scheduledAt, "scheduledAt");
            if (missedBefore < 0) {
                throw new IllegalArgumentException("missedBefore cannot be negative: " + missedBefore);
            }
        }
    }
}
