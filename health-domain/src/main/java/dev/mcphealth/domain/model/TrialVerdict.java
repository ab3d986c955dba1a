package dev.mcphealth.domain.model;

/**
 * How a server fared after a change, judged over a trial window against the same length of time before it: its probes'
 * failures, its real calls' errors and its p95 latency.
 */
public enum TrialVerdict implements Coded {
    /** At least one figure is significantly better and none is worse. */
    BETTER("better"),
    /** Enough calls to judge, and no figure moved significantly (or some better, some the same). */
    NO_WORSE("no_worse"),
    /** At least one figure is significantly worse: the change is rolled back. */
    WORSE("worse"),
    /** Too few probes and calls in one of the windows to judge any figure: the change is kept, unjudged. */
    TOO_FEW_CALLS("too_few_calls");

    private final String code;

    TrialVerdict(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }
}
