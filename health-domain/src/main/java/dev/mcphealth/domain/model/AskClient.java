package dev.mcphealth.domain.model;

/**
 * The client behind a call, as its server may ask it something while the call is under way ({@link ClientAsk}): in
 * gateway mode, the MCP client that sent the call. Requests and answers are the protocol's JSON, as they came.
 */
public interface AskClient {

    /** Who the client is (its session): a server's request is never passed to another client than its call's. */
    String clientId();

    /** Whether the client declared it can answer {@code kind}. */
    boolean can(ClientAsk kind);

    /** Whether a call of the client's may wait for a person's answer ({@link ClientAsk#asksAPerson}). */
    default boolean mayAskAPerson() {
        for (ClientAsk kind : ClientAsk.values()) {
            if (kind.asksAPerson() && can(kind)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Asks the client and waits for its answer: the result's JSON.
     *
     * @throws Refused when the client cannot answer (it did not declare the capability, it refused, it is gone)
     */
    String ask(ClientAsk kind, String paramsJson);

    /** The client did not answer what it was asked: {@code code} and {@code message} as JSON-RPC says them. */
    final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int code;

        public Refused(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        public int code() {
            return code;
        }
    }
}
