package dev.mcphealth.application.service;

import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.ProbeOutcome;
import java.time.Duration;

/**
 * What a use case that works on many servers reports for one whose work threw (a bug, or an adapter closed under it),
 * so that one server's fault does not take the others' answers with it.
 */
final class Faults {
    private Faults() {
    }

    /** The exception in one line: its class and message. */
    static String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    /** A probe that threw instead of returning a report, as a failed probe of type server_error that says so. */
    static ProbeOutcome.Failed probeThrew(RuntimeException thrown, Duration elapsed) {
        return new ProbeOutcome.Failed(FailureType.SERVER_ERROR, "the probe failed inside MCP Health: "
                + describe(thrown), elapsed.isNegative() ? Duration.ZERO : elapsed);
    }
}
