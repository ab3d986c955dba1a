package dev.mcphealth.application.recovery;

import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.ProbeOutcome;
import dev.mcphealth.domain.model.ServerId;

/** What others see of a server that recovery must know: each probe's outcome, and failures seen outside probes. */
public interface FailureObserver {
    /** After each probe: failures may start an episode, answers may show the server back, or end the episode. */
    void observed(ServerId server, ProbeOutcome outcome);

    /** A failure seen outside a probe: a session died, a call failed. Starts or continues an episode. */
    void failureSeen(ServerId server, FailureType type, String message);
}
