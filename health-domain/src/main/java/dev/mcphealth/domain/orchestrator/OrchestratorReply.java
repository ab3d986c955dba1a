package dev.mcphealth.domain.orchestrator;

import java.util.Map;
import java.util.Objects;

/**
 * What became of one call to the orchestrator, as far as the caller can know. The orchestrator answers one text
 * holding JSON, except when it fails (a Python dict repr, not JSON), and some tools report an error although the work
 * was done (the orchestrator contract (docs/configuration.md, Orchestrator)); the adapter sorts its answers into these cases.
 */
public sealed interface OrchestratorReply permits OrchestratorReply.Answered, OrchestratorReply.DoneDespiteError,
        OrchestratorReply.Refused, OrchestratorReply.NotDelivered, OrchestratorReply.Unconfirmed {

    /** Whether the work was done (or may have been): such a call must never be sent again. */
    boolean delivered();

    /** Which case it is: answered, done_despite_error, refused, not_delivered, unconfirmed (safe to log). */
    String code();

    /** The reply in one line: its case and what it said (an error, a reason), never a whole answer. */
    String describe();

    /** What it said in its own words: an answer's gist, the raw text, the error, or why no answer came. */
    String said();

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }

    /**
     * A JSON object that reports no error: what it says ({@code answer}, read by the adapter for the tool called), its
     * gist in one line (the keys that say how it went, for a log), and the object as it came ({@code json}, kept as the
     * record of the call and shown to clients, never read by the core).
     */
    record Answered(OrchestratorAnswer answer, String gist, Map<String, Object> json) implements OrchestratorReply {
        public Answered {
            Objects.requireNonNull(answer, "answer");
            requireText(gist, "gist");
            json = Map.copyOf(Objects.requireNonNull(json, "json"));
        }

        @Override
        public boolean delivered() {
            return true;
        }

        @Override
        public String code() {
            return "answered";
        }

        @Override
        public String describe() {
            return "answered";
        }

        @Override
        public String said() {
            return gist;
        }
    }

    /** One of the contract's known answers that say error although the work was done (update_task); the raw text. */
    record DoneDespiteError(String raw) implements OrchestratorReply {
        public DoneDespiteError {
            requireText(raw, "raw");
        }

        @Override
        public boolean delivered() {
            return true;
        }

        @Override
        public String code() {
            return "done_despite_error";
        }

        @Override
        public String describe() {
            return "done despite an error: " + raw;
        }

        @Override
        public String said() {
            return raw;
        }
    }

    /** It answered that it did not do it (an error, a text that is not JSON): the error, cut to a readable length. */
    record Refused(String error) implements OrchestratorReply {
        public Refused {
            requireText(error, "error");
        }

        @Override
        public boolean delivered() {
            return true;
        }

        @Override
        public String code() {
            return "refused";
        }

        @Override
        public String describe() {
            return "refused: " + error;
        }

        @Override
        public String said() {
            return error;
        }
    }

    /** It never got the call (no session, breaker open, could not connect): safe to send again later. */
    record NotDelivered(String reason) implements OrchestratorReply {
        public NotDelivered {
            requireText(reason, "reason");
        }

        @Override
        public boolean delivered() {
            return false;
        }

        @Override
        public String code() {
            return "not_delivered";
        }

        @Override
        public String describe() {
            return "not delivered: " + reason;
        }

        @Override
        public String said() {
            return reason;
        }
    }

    /** Sent, but no answer came (timeout, it died): it may or may not have done it, so it is never sent again. */
    record Unconfirmed(String reason) implements OrchestratorReply {
        public Unconfirmed {
            requireText(reason, "reason");
        }

        @Override
        public boolean delivered() {
            return true;
        }

        @Override
        public String code() {
            return "unconfirmed";
        }

        @Override
        public String describe() {
            return "no answer: " + reason;
        }

        @Override
        public String said() {
            return reason;
        }
    }
}
