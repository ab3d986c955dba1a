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
    /** The trials ended by this call, in the order they were applied; empty when none was due. */
    List<ChangeTrial> judgeDue();
}
