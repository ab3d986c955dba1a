package dev.mcphealth.application.recovery;

import dev.mcphealth.domain.model.MonitorEvent;
import java.util.List;
import java.util.Objects;

/**
 * What one {@link RecoveryService#attemptNow} came to, read from the events it raised: whether it ran at all (it does
 * not when an attempt of the server was already running), whether the server answered after it, and a short line.
 */
public record RecoveryOutcome(boolean ran, boolean succeeded, String detail) {
    static final String ALREADY_RUNNING = "a recovery attempt is already running";

    public RecoveryOutcome {
        Objects.requireNonNull(detail, "detail");
    }

    public static RecoveryOutcome of(List<MonitorEvent> raised) {
        if (raised.isEmpty()) {
            return new RecoveryOutcome(false, false, ALREADY_RUNNING);
        }
        for (MonitorEvent e : raised) {
            if (e instanceof MonitorEvent.RecoverySucceeded) {
                return new RecoveryOutcome(true, true, "up again");
            }
            if (e instanceof MonitorEvent.RecoveryFailed f) {
                return new RecoveryOutcome(true, false,
                        f.failure().type().code() + ": " + f.failure().message());
            }
        }
        // started, but the episode ended under it (the server stayed up long enough meanwhile): nothing to report
        return new RecoveryOutcome(true, false, "the attempt ended without an outcome");
    }
}
