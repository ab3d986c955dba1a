package dev.mcphealth.domain.monitoring;

import static dev.mcphealth.domain.monitoring.HealthPhase.DEGRADED;
import static dev.mcphealth.domain.monitoring.HealthPhase.DOWN;
import static dev.mcphealth.domain.monitoring.HealthPhase.HEALTHY;
import static dev.mcphealth.domain.monitoring.HealthPhase.UNKNOWN;

import dev.mcphealth.domain.model.TransitionTable;
import java.util.Optional;

/**
 * Every legal change of a server's {@link HealthPhase}, in one table: {@link HysteresisPolicy} checks each state it
 * returns against it. What the table leaves out is as telling as what it has: a server that was down is never healthy
 * again at once (one answer does not prove a recovery), and nothing goes back to unknown.
 */
public enum HealthTransition {
    /** The first observation: a healthy answer. */
    UNKNOWN_TO_HEALTHY(UNKNOWN, HEALTHY),
    /** The first observation: a slow or throttled answer. */
    UNKNOWN_TO_DEGRADED(UNKNOWN, DEGRADED),
    /** The first observation: a failure, or a lost session. */
    UNKNOWN_TO_DOWN(UNKNOWN, DOWN),
    /** Slow answers in a row, a rate limit, or real calls failing. */
    HEALTHY_TO_DEGRADED(HEALTHY, DEGRADED),
    /** A failed probe or a lost session: failing acts at once. */
    HEALTHY_TO_DOWN(HEALTHY, DOWN),
    /** Enough healthy answers in a row. */
    DEGRADED_TO_HEALTHY(DEGRADED, HEALTHY),
    /** A failed probe or a lost session. */
    DEGRADED_TO_DOWN(DEGRADED, DOWN),
    /** It answers again (or says it is throttled): not yet healthy. */
    DOWN_TO_DEGRADED(DOWN, DEGRADED);

    private final HealthPhase from;
    private final HealthPhase to;

    HealthTransition(HealthPhase from, HealthPhase to) {
        this.from = from;
        this.to = to;
    }

    public HealthPhase from() {
        return from;
    }

    public HealthPhase to() {
        return to;
    }

    public static Optional<HealthTransition> find(HealthPhase from, HealthPhase to) {
        return Table.TABLE.find(from, to);
    }

    /** @throws IllegalStateException if the table has no such change */
    public static HealthTransition between(HealthPhase from, HealthPhase to) {
        return Table.TABLE.between(from, to);
    }

    /** Built on first use, after the constants (an enum's static fields come after them). */
    private static final class Table {
        static final TransitionTable<HealthPhase, HealthTransition> TABLE =
                new TransitionTable<>(HealthPhase.class, values(), HealthTransition::from, HealthTransition::to,
                        "health");
    }
}
