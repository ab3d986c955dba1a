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
 * {@code current} says, when the probe has answered, whether its result is still wanted: the scheduler's watchdog may
 * have started the server's loop again while this probe hung, and a late answer must not overwrite newer ones.
 */
@FunctionalInterface
public interface RunScheduledProbeUseCase {

    /** @throws UnknownServerException if the server is not monitored */
    List<MonitorEvent> probe(Command command);

    record Command(ServerId server, Instant scheduledAt, int missedBefore,
                   java.util.function.BooleanSupplier current) {
        public Command {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(scheduledAt, "scheduledAt");
            if (missedBefore < 0) {
                throw new IllegalArgumentException("missedBefore cannot be negative: " + missedBefore);
            }
            Objects.requireNonNull(current, "current");
        }

        /** A probe whose result is always wanted. */
        public Command(ServerId server, Instant scheduledAt, int missedBefore) {
            this(server, scheduledAt, missedBefore, () -> true);
        }
    }
}
