package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.tuning.ChangeTrial;
import java.util.List;

/** The trials of changes applied since the monitor started: those running and the latest ended, newest first. */
@FunctionalInterface
public interface ReadTrialsUseCase {
    List<ChangeTrial> trials();
}
