package dev.mcphealth.application.monitoring;

import dev.mcphealth.domain.model.Alert;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.ServerId;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** The monitor's side of resuming what an earlier run left open. */
public interface EpisodeCarrier {
    /** The servers this monitor watches. */
    Set<ServerId> watched();

    /**
     * An earlier run left {@code failure} and {@code alert} open for {@code server} and last saw it at {@code lastSeen}:
     * they become this run's open episode, which the first observation continues (a failure) or closes at
     * {@code lastSeen} (an answer). False, and nothing taken, when this run has observed the server already or holds
     * an episode of its own.
     */
    boolean carryOver(ServerId server, Optional<Failure> failure, Optional<Alert> alert, Instant lastSeen);

    /**
     * Whether {@code server} is out of service in this run (a cold standby instance): it is not probed, so no
     * observation would ever end an episode carried over to it; what an earlier run left open for it is closed.
     */
    default boolean outOfService(ServerId server) {
        return false;
    }
}
