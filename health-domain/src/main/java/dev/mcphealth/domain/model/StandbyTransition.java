package dev.mcphealth.domain.model;

import static dev.mcphealth.domain.model.StandbyPhase.COLD;
import static dev.mcphealth.domain.model.StandbyPhase.WARM;
import static dev.mcphealth.domain.model.StandbyPhase.WARMING;

import java.util.Locale;
import java.util.Optional;

/**
 * Every legal change of a standby instance's {@link StandbyPhase}: warmed when wanted, in service once seen usable,
 * cooled when no longer wanted (also while still warming: it never came up, or the need passed first). Its code is
 * the {@code change} of the {@code standby_changed} event.
 */
public enum StandbyTransition implements Coded {
    /** Wanted: a surge is due, or no active instance of its pool is usable. */
    WARM_UP(COLD, WARMING),
    /** A probe saw it usable: calls may go to it. */
    READY(WARMING, WARM),
    /** No longer wanted, and in service long enough: out of service, its session closed. */
    COOL(WARM, COLD),
    /** No longer wanted before it came up. */
    CANCEL(WARMING, COLD);

    private final StandbyPhase from;
    private final StandbyPhase to;

    StandbyTransition(StandbyPhase from, StandbyPhase to) {
        this.from = from;
        this.to = to;
    }

    public StandbyPhase from() {
        return from;
    }

    public StandbyPhase to() {
        return to;
    }

    @Override
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<StandbyTransition> find(StandbyPhase from, StandbyPhase to) {
        return Table.TABLE.find(from, to);
    }

    /** @throws IllegalStateException if the table has no such change */
    public static StandbyTransition between(StandbyPhase from, StandbyPhase to) {
        return Table.TABLE.between(from, to);
    }

    private static final class Table {
        static final TransitionTable<StandbyPhase, StandbyTransition> TABLE = new TransitionTable<>(
                StandbyPhase.class, values(), StandbyTransition::from, StandbyTransition::to, "standby instance");
    }
}
