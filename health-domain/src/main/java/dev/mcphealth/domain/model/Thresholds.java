package dev.mcphealth.domain.model;

import java.time.Duration;

/**
 * When a server stops being healthy. Latency thresholds apply to one probe's round trip; error-rate thresholds to a
 * window of calls; the counts give hysteresis so one bad probe does not flip a server offline and one good probe does not
 * declare it healthy. Defaults and the reasons for them: docs/configuration.md.
 */
public record Thresholds(
        Duration responseTimeWarning,
        Duration responseTimeCritical,
        double errorRateWarning,
        double errorRateCritical,
        int offlineAfterFailures,
        int healthyAfterSuccesses) {

    /** The most failures or successes in a row a status change may wait for. */
    public static final int MAX_COUNT = 100;

    public static final Thresholds DEFAULTS = new Thresholds(
            Duration.ofMillis(500), Duration.ofMillis(2000), 0.05, 0.25, 3, 2);

    public Thresholds {
        requirePositive(responseTimeWarning, "responseTimeWarningMs");
        requirePositive(responseTimeCritical, "responseTimeCriticalMs");
        if (responseTimeCritical.compareTo(responseTimeWarning) <= 0) {
            throw new IllegalArgumentException("responseTimeCriticalMs (" + responseTimeCritical.toMillis()
                    + ") must be greater than responseTimeWarningMs (" + responseTimeWarning.toMillis() + ")");
        }
        requireFraction(errorRateWarning, "errorRateWarning");
        requireFraction(errorRateCritical, "errorRateCritical");
        if (errorRateCritical <= errorRateWarning) {
            throw new IllegalArgumentException("errorRateCritical (" + errorRateCritical
                    + ") must be greater than errorRateWarning (" + errorRateWarning + ")");
        }
        if (offlineAfterFailures < 1 || offlineAfterFailures > MAX_COUNT) {
            throw new IllegalArgumentException("offlineAfterFailures must be 1.." + MAX_COUNT + ", got "
                    + offlineAfterFailures);
        }
        if (healthyAfterSuccesses < 1 || healthyAfterSuccesses > MAX_COUNT) {
            throw new IllegalArgumentException("healthyAfterSuccesses must be 1.." + MAX_COUNT + ", got "
                    + healthyAfterSuccesses);
        }
    }

    private static void requirePositive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be a positive number of milliseconds, got " + d);
        }
    }

    private static void requireFraction(double v, String what) {
        if (!(v > 0 && v < 1)) {
            throw new IllegalArgumentException(what + " must be a fraction between 0 and 1 (exclusive), got " + v);
        }
    }
}
