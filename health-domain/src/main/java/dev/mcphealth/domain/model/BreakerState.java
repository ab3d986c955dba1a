package dev.mcphealth.domain.model;

/** The state of one server instance's circuit breaker, as the router sees it. */
public enum BreakerState implements Coded {
    /** Calls flow. */
    CLOSED("closed"),
    /** Calls are refused at once until the open period ends. */
    OPEN("open"),
    /** A few trial calls are let through; their outcome closes or re-opens the breaker. */
    HALF_OPEN("half_open");

    private final String code;

    BreakerState(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    public static BreakerState fromCode(String code) {
        return Coded.parse(BreakerState.class, code, "breaker state");
    }
}
