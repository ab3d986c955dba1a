package dev.mcphealth.domain.prediction;

/**
 * A fast approach to the threshold, which the usual confirmation (30 s at a 1 s interval) would raise too late: a
 * latency climbing from 100 ms to critical in a minute was raised 8-10 s ahead. Raised after a short confirmation
 * ({@link #CONFIRMATION_SECONDS}) when the short line's forecast is significant (the usual t-statistic) <em>and</em> the
 * level now (the higher of the short line's and the median of the last three samples: the fit lags a fast rise) has
 * already risen {@link #RISE} times above where the long line has been (its mean): a rise by half within a minute or
 * two, held for seconds, which stationary noise, outliers and daily cycles do not make (docs/predictions.md,
 * ApproachLeadSimulationTest). Latency only (a log scale): an error rate's rolling minute is too smooth for a short
 * confirmation.
 */
final class Sprint {
    /** How many times above where the long line has been the short line's level must be. */
    static final double RISE = 1.5;
    /** How long a fast approach must hold before it is raised, at least 3 samples. */
    static final double CONFIRMATION_SECONDS = 5;

    private Sprint() {
    }

    /** The consecutive samples a fast approach must hold for at this probe interval (seconds). */
    static int confirmations(double interval) {
        return (int) Math.max(3, Math.ceil(CONFIRMATION_SECONDS / interval) + 1);
    }

    /**
     * Whether the short line's reading shows a fast approach: its level {@code level} at least {@link #RISE} times
     * {@code longMean}, where the long line has been (both in the metric's unit), {@code tStatistic} at least
     * {@code minT}, and the crossing within the horizon.
     */
    static boolean shows(double level, double tStatistic, double secondsToCross, double longMean, double minT,
                         double horizon) {
        return level >= RISE * longMean && tStatistic >= minT && secondsToCross <= horizon;
    }
}
