package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.RecoveryAction;
import dev.mcphealth.domain.model.ServerId;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One recovery attempt of one instance now, whatever the backoff says (automated_recovery_system's {@code recover}):
 * restart for stdio, reconnect otherwise. It counts as an attempt made. On an instance recovery has down, it is an
 * attempt of its episode; on one that is not down it recovers nothing (no recovered episode, nothing in the mean time
 * to recover) and, when it works, leaves no episode open; when it fails, the instance is down from then and recovery
 * goes on from there with its backoff.
 */
@FunctionalInterface
public interface RecoverServerUseCase {

    /** @throws UnknownServerException if the server is not monitored */
    Outcome recover(ServerId server);

    /**
     * {@code ran} is false when an attempt was already running (then nothing was done now); {@code events} are what this
     * attempt raised (recovery_started, recovery_succeeded or recovery_failed, ...).
     */
    record Outcome(ServerId server, RecoveryAction action, boolean ran, boolean succeeded, String detail,
                   Duration took, List<MonitorEvent> events) {
        public Outcome {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(took, "took");
            events = List.copyOf(events);
        }
    }
}
