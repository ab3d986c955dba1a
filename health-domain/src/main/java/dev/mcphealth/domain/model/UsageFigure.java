package dev.mcphealth.domain.model;

/** The figures a usage profile learns of a server type or a tool, and an anomaly names. */
public enum UsageFigure {
    /** Calls per minute. */
    RATE("rate"),
    /** The answered calls' median latency, in milliseconds. */
    P50("p50"),
    /** The answered calls' 95th-percentile latency, in milliseconds. */
    P95("p95"),
    /** The share of calls that failed (no answer), 0..1. */
    ERRORS("errors");

    private final String code;

    UsageFigure(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static UsageFigure fromCode(String code) {
        for (UsageFigure f : values()) {
            if (f.code.equals(code)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown usage figure '" + code + "' (rate, p50, p95, errors)");
    }
}
