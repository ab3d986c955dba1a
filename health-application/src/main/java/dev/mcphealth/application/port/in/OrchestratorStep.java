package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.model.Coded;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One step of a workflow on the MCP Task Orchestrator's own tools: the tool (an orchestrator tool's name, or
 * {@value #PROCESS_RESTART} for MCP Health restarting the orchestrator's process), how it went, a one-line
 * {@code detail}, and the JSON object it answered (empty unless {@link Outcome#ANSWERED}).
 */
public record OrchestratorStep(String tool, Outcome outcome, String detail, Map<String, Object> answer) {
    /** The step that is not an orchestrator tool: MCP Health restarting the orchestrator's process (stdio). */
    public static final String PROCESS_RESTART = "process_restart";

    public OrchestratorStep {
        requireText(tool, "tool");
        Objects.requireNonNull(outcome, "outcome");
        requireText(detail, "detail");
        answer = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(answer, "answer")));
        if (!answer.isEmpty() && outcome != Outcome.ANSWERED) {
            throw new IllegalArgumentException("only an answered step has an answer, not a " + outcome.code() + " one");
        }
    }

    /** A step without an answer. */
    public static OrchestratorStep of(String tool, Outcome outcome, String detail) {
        return new OrchestratorStep(tool, outcome, detail, Map.of());
    }

    /** How one step went. */
    public enum Outcome implements Coded {
        /** The orchestrator answered a JSON object that reports no error. */
        ANSWERED("answered"),
        /** It answered an error although the work was done (a known quirk of the contract). */
        DONE_DESPITE_ERROR("done_despite_error"),
        /** It answered that it did not do it (an error, or a text that is not JSON). */
        REFUSED("refused"),
        /** It never got the call (no session, its breaker open, it could not be started). */
        NOT_DELIVERED("not_delivered"),
        /** Sent, but no answer came: it may or may not have done it. */
        UNCONFIRMED("unconfirmed"),
        /** Not made: what came before said it should not be (the detail says why). */
        SKIPPED("skipped"),
        /** MCP Health restarted the orchestrator's process and it answered the MCP handshake again. */
        RESTARTED("restarted"),
        /** MCP Health's restart of the orchestrator's process failed. */
        RESTART_FAILED("restart_failed");

        private final String code;

        Outcome(String code) {
            this.code = code;
        }

        @Override
        public String code() {
            return code;
        }
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }
}
