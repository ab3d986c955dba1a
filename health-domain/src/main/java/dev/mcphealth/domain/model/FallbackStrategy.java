package dev.mcphealth.domain.model;

/** What to do when no instance of a server type is healthy. */
public enum FallbackStrategy implements Coded {
    /** Route to instances of the fallback server type. */
    ALTERNATIVE_SERVER("alternative_server"),
    /** Fail fast with a clear error and serve what is cached. */
    GRACEFUL_DEGRADATION("graceful_degradation"),
    /** Do nothing automatically; a person decides. */
    MANUAL_MODE("manual_mode");

    private final String code;

    FallbackStrategy(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    public static FallbackStrategy fromCode(String code) {
        return Coded.parse(FallbackStrategy.class, code, "fallback strategy");
    }
}
