package dev.mcphealth.application.recovery;

import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.recovery.RecoveryEpisode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Recovery attempts asked for now, whatever the backoff says: by hand, by failover, by a linked workflow. */
public interface ManualRecovery {
    /**
     * One attempt now. On a server recovery has down in an open episode, it is an attempt of that episode. On a server
     * that is not down it is counted as an attempt made, but it recovers nothing; while it runs an episode guards the
     * restart, and when it works that episode goes again. Nothing is done while an attempt of the server runs. The
     * events it raised (none when nothing was done).
     */
    default List<MonitorEvent> attemptNow(ServerId server) {
        return attemptNow(server, Optional.empty());
    }

    /**
     * As {@link #attemptNow(ServerId)}, for a run linked to the orchestrator task {@code recoveryTask} (if any): the
     * failure episode the attempt handles records that task ({@link RecoveryListener#handledBy}).
     */
    List<MonitorEvent> attemptNow(ServerId server, Optional<String> recoveryTask);

    /**
     * As {@link #attemptNow}, unless recovery already has the server down in an open episode: then nothing is done
     * (its attempts follow their backoff, and a failure seen meanwhile must not restart a crash loop faster) and the
     * episode is returned, read under the same lock as the decision.
     */
    default NowOrLater attemptUnlessRecovering(ServerId server) {
        return attemptUnlessRecovering(server, Optional.empty());
    }

    /**
     * As {@link #attemptUnlessRecovering(ServerId)}, for a run linked to the orchestrator task {@code recoveryTask}
     * (if any): an attempt it makes links the failure episode it handles to that task; when it leaves the server to
     * its episode, it handled nothing and links nothing.
     */
    NowOrLater attemptUnlessRecovering(ServerId server, Optional<String> recoveryTask);

    /**
     * What {@link #attemptUnlessRecovering} came to: the events of the attempt it made (none when an attempt was
     * already running), or no attempt and the open episode that recovery brings the server back in, with whether one
     * of its attempts runs now.
     */
    public record NowOrLater(List<MonitorEvent> raised, Optional<RecoveryEpisode.Down> leftTo,
                             boolean attemptRunning) {
        public NowOrLater {
            raised = List.copyOf(raised);
            Objects.requireNonNull(leftTo, "leftTo");
            if (leftTo.isPresent() && !raised.isEmpty()) {
                throw new IllegalArgumentException("no attempt was made when the server was left to its episode");
            }
        }
    }
}
