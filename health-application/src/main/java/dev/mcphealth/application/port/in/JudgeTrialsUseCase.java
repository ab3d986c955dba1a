package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.tuning.ChangeTrial;
import java.util.List;

/**
 * Ends the trials of applied changes whose window is over ({@link ApplyTuningUseCase}): each is judged on the server's
 * window after the change against the one before, kept or rolled back, and its {@code change_judged} event published.
 * The monitor calls it on each flush (every second).
 */
@FunctionalInterface
public interface JudgeTrialsUseCase {
    /**
     * The trials ended by this call, in the order they were applied; empty when none was due.
     *
     * @param stopping the monitor is stopping: after the due ones, the trials still under way are written as stopped
     *                 (the stop undoes their changes: the configuration file is the source of truth)
     */
    List<ChangeTrial> judge(boolean stopping);

    /** The trials due now, while the monitor runs on. */
    default List<ChangeTrial> judgeDue() {
        return judge(false);
    }
}
