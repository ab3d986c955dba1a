package dev.mcphealth.domain.tuning;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A trial as stored: the trial, and when its run was found stopped before it ended (the trial then still reads
 * running: nothing judged it, and the restart undid the change).
 */
public record TrialRecord(ChangeTrial trial, Optional<Instant> stoppedAt) {
    public TrialRecord {
        Objects.requireNonNull(trial, "trial");
        Objects.requireNonNull(stoppedAt, "stoppedAt");
        if (stoppedAt.isPresent() && trial.phase().ended()) {
            throw new IllegalArgumentException("only a trial that never ended was stopped");
        }
    }

    /** {@code running}, {@code kept}, {@code rolled_back}, {@code overtaken} or {@code stopped}. */
    public String status() {
        return stoppedAt.isPresent() ? "stopped" : trial.phase().code();
    }
}
