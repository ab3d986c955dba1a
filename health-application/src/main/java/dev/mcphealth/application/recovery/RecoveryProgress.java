package dev.mcphealth.application.recovery;

import dev.mcphealth.application.port.in.ReadRecoveryStatusUseCase;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.recovery.RecoveryEpisode;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** Where recovery stands, for status reads and a shutdown that wants to know what still runs. */
public interface RecoveryProgress {
    /**
     * The server's episode, attempting flag and attempt counts, read at one moment so that they agree.
     *
     * @throws dev.mcphealth.application.port.in.UnknownServerException if the server is not monitored
     */
    Progress progress(ServerId server);

    /** How many servers have a recovery attempt running now (or handed out to run). */
    int attemptsRunning();

    /** When the next attempt is due, if any server waits for one. */
    Optional<Instant> nextDue();

    /**
     * What recovery stands at for one server, read at one moment: its open episode, whether an attempt is running (or
     * handed out to run), and the attempts made since this service was built.
     */
    public record Progress(Optional<RecoveryEpisode> episode, boolean attempting,
                           ReadRecoveryStatusUseCase.Attempts attempts) {
        public Progress {
            Objects.requireNonNull(episode, "episode");
            Objects.requireNonNull(attempts, "attempts");
        }
    }
}
