package dev.mcphealth.domain.recovery;

import dev.mcphealth.domain.model.ServerId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One server's recovery episode, from the failure that started it until it has stayed up long enough for its attempt
 * counter to reset: the server is either {@link Down} (an attempt is due at a time) or {@link Back} (on probation
 * until the counter resets). Each state holds only what means something in it. Changed only by
 * {@link RecoveryPolicy}; which changes are legal is {@link RecoveryTransition}'s table.
 */
public sealed interface RecoveryEpisode permits RecoveryEpisode.Down, RecoveryEpisode.Back {

    ServerId server();

    /** When the failure that started the episode was seen. */
    Instant startedAt();

    /** Recovery attempts made so far (restarts or reconnects). */
    int attempts();

    /** All of the configured attempts failed: the server is retried slowly from now on. */
    boolean exhausted();

    /** Whether the server is back (on probation). */
    default boolean up() {
        return this instanceof Back;
    }

    /** When the server came back, while it is. */
    default Optional<Instant> upSince() {
        return this instanceof Back b ? Optional.of(b.since()) : Optional.empty();
    }

    /** Whether the server is down and an attempt is due at {@code now}. */
    default boolean due(Instant now) {
        return this instanceof Down d && !now.isBefore(d.nextAttemptAt());
    }

    /** The server is down: the next attempt is due at {@code nextAttemptAt} (slowly, once exhausted). */
    record Down(ServerId server, Instant startedAt, int attempts, Instant nextAttemptAt, boolean exhausted)
            implements RecoveryEpisode {
        public Down {
            requireCommon(server, startedAt, attempts);
            Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
            if (nextAttemptAt.isBefore(startedAt)) {
                throw new IllegalArgumentException("the next attempt cannot come before the episode starts");
            }
        }
    }

    /** The server is back since {@code since}; the episode ends once it has stayed up long enough. */
    record Back(ServerId server, Instant startedAt, int attempts, boolean exhausted, Instant since)
            implements RecoveryEpisode {
        public Back {
            requireCommon(server, startedAt, attempts);
            Objects.requireNonNull(since, "since");
        }
    }

    private static void requireCommon(ServerId server, Instant startedAt, int attempts) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(startedAt, "startedAt");
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts cannot be negative: " + attempts);
        }
    }
}
