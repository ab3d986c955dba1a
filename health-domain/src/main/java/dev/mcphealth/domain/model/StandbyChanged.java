package dev.mcphealth.domain.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A standby instance of a pool changed phase: warmed (before a surge its usage profile foresees, or because no active
 * instance of its pool is usable), in service once a probe saw it usable, or cooled (its session closed, its process
 * stopped) when no longer wanted.
 *
 * @param reason why, in a sentence (the surge's hour and ratio, the pool's failover, what a probe saw)
 */
public record StandbyChanged(ServerId server, ServerType serverType, StandbyTransition change, String reason,
                             Instant at) implements MonitorEvent {
    public StandbyChanged {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(serverType, "serverType");
        Objects.requireNonNull(change, "change");
        Text.requireText(reason, "reason");
        Objects.requireNonNull(at, "at");
    }

    /** The phase it is in now. */
    public StandbyPhase phase() {
        return change.to();
    }

    @Override
    public String kind() {
        return "standby_changed";
    }
}
