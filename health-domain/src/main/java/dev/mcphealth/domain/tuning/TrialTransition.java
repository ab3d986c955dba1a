package dev.mcphealth.domain.tuning;

import static dev.mcphealth.domain.tuning.TrialPhase.KEPT;
import static dev.mcphealth.domain.tuning.TrialPhase.OVERTAKEN;
import static dev.mcphealth.domain.tuning.TrialPhase.ROLLED_BACK;
import static dev.mcphealth.domain.tuning.TrialPhase.RUNNING;

import dev.mcphealth.domain.model.TransitionTable;
import java.util.Optional;

/** Every legal change of a {@link ChangeTrial}'s phase: a trial ends once, and an ended trial stays as it ended. */
public enum TrialTransition {
    /** Judged no worse, or too few calls to judge. */
    KEEP(RUNNING, KEPT),
    /** Judged worse, and the value before the change is back in force. */
    ROLL_BACK(RUNNING, ROLLED_BACK),
    /** The setting was changed by something else before the trial ended, or refused being set back. */
    OVERTAKE(RUNNING, OVERTAKEN);

    private final TrialPhase from;
    private final TrialPhase to;

    TrialTransition(TrialPhase from, TrialPhase to) {
        this.from = from;
        this.to = to;
    }

    public TrialPhase from() {
        return from;
    }

    public TrialPhase to() {
        return to;
    }

    public static Optional<TrialTransition> find(TrialPhase from, TrialPhase to) {
        return Table.TABLE.find(from, to);
    }

    /** @throws IllegalStateException if the table has no such change */
    public static TrialTransition between(TrialPhase from, TrialPhase to) {
        return Table.TABLE.between(from, to);
    }

    private static final class Table {
        static final TransitionTable<TrialPhase, TrialTransition> TABLE = new TransitionTable<>(TrialPhase.class,
                values(), TrialTransition::from, TrialTransition::to, "trial");
    }
}
