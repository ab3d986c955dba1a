package dev.mcphealth.domain.recovery;

import static dev.mcphealth.domain.recovery.RecoveryPhase.ATTEMPTING;
import static dev.mcphealth.domain.recovery.RecoveryPhase.EXHAUSTED;
import static dev.mcphealth.domain.recovery.RecoveryPhase.PROBATION;
import static dev.mcphealth.domain.recovery.RecoveryPhase.UP;
import static dev.mcphealth.domain.recovery.RecoveryPhase.WAITING;

import dev.mcphealth.domain.model.TransitionTable;
import java.util.Optional;

/**
 * Every legal change of a server's {@link RecoveryPhase}, in one table (as resilience4j's
 * {@code CircuitBreaker.StateTransition}): recovery checks each change it makes against it, and anything else is a bug
 * that fails loudly instead of leaving a server stuck.
 */
public enum RecoveryTransition {
    /** A failure a restart can fix: an episode begins, its first attempt due at once. */
    UP_TO_WAITING(UP, WAITING),
    /** The same with no attempts configured (maxRetryAttempts 0): retried slowly from the start. */
    UP_TO_EXHAUSTED(UP, EXHAUSTED),
    /** An attempt asked for by hand on a server that was not down. */
    UP_TO_ATTEMPTING(UP, ATTEMPTING),
    /** The attempt is due (or asked for by hand). */
    WAITING_TO_ATTEMPTING(WAITING, ATTEMPTING),
    /** Back with no attempt of ours: a healed partition, or it restarted itself. */
    WAITING_TO_PROBATION(WAITING, PROBATION),
    /** The slow retry is due (or asked for by hand). */
    EXHAUSTED_TO_ATTEMPTING(EXHAUSTED, ATTEMPTING),
    /** Back on its own after exhaustion. */
    EXHAUSTED_TO_PROBATION(EXHAUSTED, PROBATION),
    /** Stayed up long enough: the episode ends and the attempt counter resets. */
    PROBATION_TO_UP(PROBATION, UP),
    /** Failed again before the episode ended: the backoff of the attempts made so far (a crash loop). */
    PROBATION_TO_WAITING(PROBATION, WAITING),
    /** Failed again after the last configured attempt: retried slowly. */
    PROBATION_TO_EXHAUSTED(PROBATION, EXHAUSTED),
    /** An attempt asked for by hand while on probation. */
    PROBATION_TO_ATTEMPTING(PROBATION, ATTEMPTING),
    /** The attempt brought it back (or a probe saw it back while the attempt ran). */
    ATTEMPTING_TO_PROBATION(ATTEMPTING, PROBATION),
    /** The attempt failed: the next one after the backoff. */
    ATTEMPTING_TO_WAITING(ATTEMPTING, WAITING),
    /** The attempt failed and was the last configured one. */
    ATTEMPTING_TO_EXHAUSTED(ATTEMPTING, EXHAUSTED),
    /**
     * An attempt by hand on a server that was not down worked and there was no episode before, or the episode ended
     * under the attempt, or an attempt handed out found the server back and its episode over.
     */
    ATTEMPTING_TO_UP(ATTEMPTING, UP);

    private final RecoveryPhase from;
    private final RecoveryPhase to;

    RecoveryTransition(RecoveryPhase from, RecoveryPhase to) {
        this.from = from;
        this.to = to;
    }

    public RecoveryPhase from() {
        return from;
    }

    public RecoveryPhase to() {
        return to;
    }

    /** The transition from {@code from} to {@code to}, if the table has it. */
    public static Optional<RecoveryTransition> find(RecoveryPhase from, RecoveryPhase to) {
        return Table.TABLE.find(from, to);
    }

    /**
     * The transition from {@code from} to {@code to}.
     *
     * @throws IllegalStateException if the table has none
     */
    public static RecoveryTransition between(RecoveryPhase from, RecoveryPhase to) {
        return Table.TABLE.between(from, to);
    }

    /** Built on first use, after the constants (an enum's static fields come after them). */
    private static final class Table {
        static final TransitionTable<RecoveryPhase, RecoveryTransition> TABLE =
                new TransitionTable<>(RecoveryPhase.class, values(), RecoveryTransition::from, RecoveryTransition::to,
                        "recovery");
    }
}
