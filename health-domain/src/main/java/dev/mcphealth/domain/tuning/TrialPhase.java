package dev.mcphealth.domain.tuning;

/** Where a {@link ChangeTrial} is: running until its window ends, then one of three ends. */
public enum TrialPhase {
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
}
