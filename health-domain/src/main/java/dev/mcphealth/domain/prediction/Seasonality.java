package dev.mcphealth.domain.prediction;

import java.time.Instant;
import java.util.Optional;

/**
 * The band a metric usually keeps at a given time (a learned week: docs/learning.md), so that a forecast can tell the
 * usual rise of a Monday morning from a fault: a {@link TrendPredictor} with one holds a forecast back while the level
 * is within the band of the time under way and the usual level then and a horizon ahead is below the threshold.
 */
@FunctionalInterface
public interface Seasonality {
    /** No seasonality: nothing is usual, every forecast stands. */
    Seasonality NONE = at -> Optional.empty();

    /** The usual band at {@code at}, in the metric's unit; empty where none is known. */
    Optional<Band> usual(Instant at);

    /** From {@code low} to {@code high} around the usual {@code level}. */
    record Band(double low, double level, double high) {
        public Band {
            if (!(low <= level && level <= high) || Double.isNaN(low)) {
                throw new IllegalArgumentException("a band runs from low to high around its level, got " + low + ".."
                        + high + " around " + level);
            }
        }

        public boolean contains(double v) {
            return v >= low && v <= high;
        }
    }
}
