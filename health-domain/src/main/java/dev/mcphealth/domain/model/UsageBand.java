package dev.mcphealth.domain.model;

/**
 * The band a usage figure keeps in an hour of the week: {@code expected} within {@code low}..{@code high}, learned
 * with {@code confidence} (0..1), in the figure's unit (calls per minute, milliseconds, the share of calls failing).
 */
public record UsageBand(double expected, double low, double high, double confidence) {
    public UsageBand {
        if (!Double.isFinite(expected) || !Double.isFinite(low) || !Double.isFinite(high) || low > high
                || !(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("a band is finite, low <= high, confidence 0..1, got " + low + ".."
                    + high + " (" + expected + ", " + confidence + ")");
        }
    }
}
