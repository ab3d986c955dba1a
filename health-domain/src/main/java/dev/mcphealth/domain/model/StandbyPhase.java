package dev.mcphealth.domain.model;

import java.util.Locale;

/**
 * Where a standby instance of a pool is (a server configured with {@code "standby": true}): out of service and not
 * running, starting, or serving. Its code ({@code cold}, {@code warming}, {@code warm}) is what every output shows.
 */
public enum StandbyPhase implements Coded {
    /** Out of service: not probed, no session (a stdio server's process is not running), no calls routed to it. */
    COLD,
    /** Wanted: probed again, so the next probe opens its session; no calls until a probe has seen it usable. */
    WARMING,
    /** In service like any other instance of its pool. */
    WARM;

    /** Whether calls may be routed to it. */
    public boolean serves() {
        return this == WARM;
    }

    /** Whether the monitor probes it (and so opens its session). */
    public boolean probed() {
        return this != COLD;
    }

    @Override
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
