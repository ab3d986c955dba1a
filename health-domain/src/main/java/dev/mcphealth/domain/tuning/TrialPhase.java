package dev.mcphealth.domain.tuning;

import dev.mcphealth.domain.model.Coded;
import java.util.Locale;

/**
 * Where a {@link ChangeTrial} is: running until its window ends, then one of three ends. Its code ({@code running},
 * {@code kept}, {@code rolled_back}, {@code overtaken}) is the status in every output and in tuning_trials.
 */
public enum TrialPhase implements Coded {
    /** Applied; the window after the change is still being measured. */
    RUNNING,
    /** Judged no worse (or unjudged for too few calls): the change stays. */
    KEPT,
    /** Judged worse: the value before the change was put back. */
    ROLLED_BACK,
    /** Not rolled back: the setting no longer held the change's value, or refused the value before it. */
    OVERTAKEN;

    public boolean ended() {
        return this != RUNNING;
    }

    @Override
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
