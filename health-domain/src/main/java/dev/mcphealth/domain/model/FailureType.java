package dev.mcphealth.domain.model;

/** How a call to a server failed, as the schema's integration_failures.failure_type spells it. */
public enum FailureType implements Coded {
    /** No answer within the timeout. */
    TIMEOUT("timeout"),
    /** The server could not be started or reached, or its process exited. */
    CONNECTION_ERROR("connection_error"),
    /** HTTP 401 or 403. */
    AUTHENTICATION("authentication"),
    /** HTTP 429. */
    RATE_LIMIT("rate_limit"),
    /** A JSON-RPC error, HTTP 5xx, or an answer that breaks the protocol. */
    SERVER_ERROR("server_error");

    private final String code;

    FailureType(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    public static FailureType fromCode(String code) {
        return Coded.parse(FailureType.class, code, "failure type");
    }
}
