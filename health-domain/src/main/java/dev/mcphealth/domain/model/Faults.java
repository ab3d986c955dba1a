package dev.mcphealth.domain.model;

import java.time.Duration;

/**
 * What a use case that works on many servers reports for one whose work threw (a bug, or an adapter closed under it),
 * so that one server's fault does not take the others' answers with it.
 */
public final class Faults {
    private Faults() {
    }

    /**
     * The exception in one line, for a client, a log or the database: its message, unless it has none or shows the
     * program's code (a class name, a JVM message: {@link Printable#revealsCode}); never its class.
     */
    public static String describe(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank() || Printable.revealsCode(message) >= 0 ? "an internal error"
                : message;
    }

    /** A probe that threw instead of returning a report, as a failed probe of type server_error that says so. */
    public static ProbeOutcome.Failed probeThrew(RuntimeException thrown, Duration elapsed) {
        return new ProbeOutcome.Failed(FailureType.SERVER_ERROR, "the probe failed inside MCP Health: "
                + describe(thrown), elapsed.isNegative() ? Duration.ZERO : elapsed);
    }
}
