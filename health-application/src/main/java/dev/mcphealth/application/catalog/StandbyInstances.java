package dev.mcphealth.application.catalog;

import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.StandbyPhase;
import dev.mcphealth.domain.model.StandbyTransition;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The standby instances of the pools (servers configured with {@code "standby": true}) and the phase each is in: what
 * the monitor asks before it probes a server, the router before it sends a call, the coordinator and the health check
 * before they touch one. Every other server is always in service. Thread-safe; a read allocates nothing (it runs on
 * every call).
 */
public interface StandbyInstances {
    /** No standby instances: every server in service. */
    StandbyInstances NONE = new StandbyRegistry(List.of(), Instant.EPOCH);

    /** One instance's phase and since when. */
    record Entry(StandbyPhase phase, Instant since) {
        public Entry {
            Objects.requireNonNull(phase, "phase");
            Objects.requireNonNull(since, "since");
        }
    }

    /** Whether {@code id} is a standby instance. */
    boolean isStandby(ServerId id);

    /** Its phase and since when; empty for a server that is not a standby instance. */
    Optional<Entry> entry(ServerId id);

    /** Whether calls may go to {@code id}: it is not a standby instance, or it is warm. */
    boolean serves(ServerId id);

    /** Whether the monitor probes {@code id} (and so opens its session): it is not a standby instance, or not cold. */
    boolean probed(ServerId id);

    /** The standby instances in configuration order. */
    Collection<ServerId> all();

    /**
     * Makes {@code change} at {@code at}; false (nothing changed) when the instance is no longer in the phase the
     * change starts from.
     *
     * @throws IllegalArgumentException if {@code id} is not a standby instance
     */
    boolean move(ServerId id, StandbyTransition change, Instant at);
}
