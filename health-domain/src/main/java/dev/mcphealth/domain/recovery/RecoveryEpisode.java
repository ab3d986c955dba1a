package dev.mcphealth.domain.recovery;

import dev.mcphealth.domain.model.ServerId;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One server's recovery episode, from the failure that started it until it has stayed up long enough for its attempt
 * counter to reset. Changed only by {@link dev.mcphealth.domain.recovery.RecoveryPolicy}.
 *
 * @param startedAt when the failure that started the episode was seen
 * @param attempts recovery attempts made so far (restarts or reconnects)
 * @param nextAttemptAt when the next attempt is due; meaningless while {@code upSince} is present
 * @param exhausted all of the configured attempts failed: the server is retried slowly from now on
 * @param upSince when the server came back, if it is up now
 */
public record RecoveryEpisode(ServerId server, Instant startedAt, int attempts, Instant nextAttemptAt,
                              boolean exhausted, Optional<Instant> upSince) {

    public RecoveryEpisode {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        Objects.requireNonNull(upSince, "upSince");
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts cannot be negative: " + attempts);
        }
        if (nextAttemptAt.isBefore(startedAt)) {
            throw new IllegalArgumentException("the next attempt cannot come before the episode starts");
        }
    }

    /** Whether the server is down and an attempt is due at {@code now}. */
    public boolean due(Instant now) {
        return upSince.isEmpty() && !now.isBefore(nextAttemptAt);
    }

    public boolean up() {
        return upSince.isPresent();
    }
}
