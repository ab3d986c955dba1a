package dev.mcphealth.domain.model;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** What one request to one server instance came to. Expected failures are values, not exceptions. */
public sealed interface CallOutcome permits CallOutcome.Replied, CallOutcome.Listed, CallOutcome.Answered,
        CallOutcome.Failed, CallOutcome.Cancelled {

    Duration elapsed();

    /**
     * The part of {@link #elapsed} spent before the request went out: opening a session with the server (starting
     * its process, the handshake) when there was none. The request's own round trip is the rest.
     */
    default Duration setup() {
        return Duration.ZERO;
    }

    /** The tool answered (possibly with {@code isError}: the tool ran and said no, the server is fine). */
    record Replied(ToolReply reply, Duration elapsed, Duration setup) implements CallOutcome {
        public Replied {
            Objects.requireNonNull(reply, "reply");
            requireElapsed(elapsed);
            requireSetup(setup, elapsed);
        }

        /** An answer whose request found its session open. */
        public Replied(ToolReply reply, Duration elapsed) {
            this(reply, elapsed, Duration.ZERO);
        }
    }

    /** The server listed its tools. */
    record Listed(List<ToolSpec> tools, Duration elapsed, Duration setup) implements CallOutcome {
        public Listed {
            tools = List.copyOf(Objects.requireNonNull(tools, "tools"));
            requireElapsed(elapsed);
            requireSetup(setup, elapsed);
        }

        /** A listing whose request found its session open. */
        public Listed(List<ToolSpec> tools, Duration elapsed) {
            this(tools, elapsed, Duration.ZERO);
        }
    }

    /**
     * The server answered an {@link UpstreamRequest}: {@code json} is its result as sent (a listing's pages joined in
     * one array); or, when {@code refused}, the JSON-RPC error it answered with ({@code code}, {@code message}): the
     * request was wrong (no such prompt, no such resource), the server is fine.
     */
    record Answered(String json, boolean refused, Duration elapsed, Duration setup) implements CallOutcome {
        public Answered {
            Text.requireText(json, "json");
            requireElapsed(elapsed);
            requireSetup(setup, elapsed);
        }

        /** An answer whose request found its session open. */
        public Answered(String json, boolean refused, Duration elapsed) {
            this(json, refused, elapsed, Duration.ZERO);
        }
    }

    /**
     * The request failed. {@code delivered} is false only when it certainly never reached the server (no session,
     * connection refused): only then may a call that is not idempotent be sent elsewhere.
     */
    record Failed(FailureType type, String message, boolean delivered, Duration elapsed) implements CallOutcome {
        public Failed {
            Objects.requireNonNull(type, "type");
            Text.requireText(message, "message");
            requireElapsed(elapsed);
        }
    }

    /**
     * The caller cancelled the request while it was under way ({@link Cancellation}); the server was told to stop. Says
     * nothing of the server: it is neither a success nor a failure of it.
     */
    record Cancelled(Duration elapsed) implements CallOutcome {
        public Cancelled {
            requireElapsed(elapsed);
        }
    }

    private static void requireSetup(Duration setup, Duration elapsed) {
        if (setup == null || setup.isNegative() || setup.compareTo(elapsed) > 0) {
            throw new IllegalArgumentException("setup must be 0.." + elapsed + ", got " + setup);
        }
    }

    private static void requireElapsed(Duration elapsed) {
        if (elapsed == null || elapsed.isNegative()) {
            throw new IllegalArgumentException("elapsed must be zero or more, got " + elapsed);
        }
    }
}
