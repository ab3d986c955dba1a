package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.model.Caller;
import dev.mcphealth.domain.model.Cancellation;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.Progress;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.ToolReply;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Calls a tool on a server type through its pool: healthy instances first, circuit breakers, fail-over to other
 * instances (and to the fallback type), fail-fast when nothing can serve. Every call feeds the monitor's metrics.
 */
@FunctionalInterface
public interface CallToolUseCase {

    Result call(Command command);

    /**
     * {@code arguments}: plain JSON-like values (maps, lists, strings, numbers, booleans, null); {@code caller}: who
     * is told how far the call has come, when it asked to be (its server's progress notifications), whether it
     * cancelled the call (the instance it is under way on is told to stop, and it goes nowhere else), and whom the
     * server may ask something while the call is under way (sampling, elicitation).
     */
    record Command(ServerType serverType, String tool, Map<String, Object> arguments, Caller caller) {
        public Command {
            Objects.requireNonNull(serverType, "serverType");
            if (tool == null || tool.isBlank()) {
                throw new IllegalArgumentException("tool must be named");
            }
            // JSON null is a legal argument value, which Map.copyOf refuses
            arguments = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(
                    Objects.requireNonNull(arguments, "arguments")));
            Objects.requireNonNull(caller, "caller");
        }

        /** A call whose caller may cancel it and follow its progress, and cannot be asked anything. */
        public Command(ServerType serverType, String tool, Map<String, Object> arguments,
                       Optional<Consumer<Progress>> progress, Cancellation cancel) {
            this(serverType, tool, arguments, new Caller(progress, cancel, Optional.empty()));
        }

        /** A call its caller cannot cancel. */
        public Command(ServerType serverType, String tool, Map<String, Object> arguments,
                       Optional<Consumer<Progress>> progress) {
            this(serverType, tool, arguments, progress, Cancellation.NEVER);
        }

        /** A call whose caller is not told its progress. */
        public Command(ServerType serverType, String tool, Map<String, Object> arguments) {
            this(serverType, tool, arguments, Caller.NONE);
        }

        /** Who is told the call's progress, if its caller follows it. */
        public Optional<Consumer<Progress>> progress() {
            return caller.progress();
        }

        /** Set when the caller no longer wants the answer. */
        public Cancellation cancel() {
            return caller.cancel();
        }
    }

    /** What a call came to. */
    sealed interface Result permits Served, Unavailable, Failed, Cancelled {
        /** How many instances were tried (0 when the call failed fast). */
        int attempts();
    }

    /** An instance answered; {@code failovers} counts the instances that failed before it. */
    record Served(ServerId servedBy, ToolReply reply, Duration latency, int attempts, int failovers)
            implements Result {
    }

    /**
     * Nothing could serve the call and it was not sent: every instance is down or its breaker open. {@code message}
     * reads like "echo: no healthy instance; retry after 12 s".
     */
    record Unavailable(ServerType serverType, String message, Duration retryAfter, int attempts) implements Result {
    }

    /**
     * The call failed on the last instance tried, and was not replayed elsewhere (it may have reached a server and the
     * tool is not declared idempotent, or every instance failed). When no instance tried could have received it (every
     * one failed before the call was sent), the result is {@link Unavailable} instead.
     */
    record Failed(ServerId lastTried, FailureType type, String message, int attempts) implements Result {
    }

    /** The caller cancelled the call ({@link Command#cancel}) before an answer came; {@code reason} is theirs. */
    record Cancelled(ServerType serverType, String reason, int attempts) implements Result {
    }
}
