package dev.mcphealth.domain.prediction;

import java.time.Instant;
import java.util.Optional;

/**
 * What stays the same for the life of one {@link TrendPredictor}, and how it reads its lines: the settings, the
 * threshold, the horizon (seconds), the noise correlation factor, the confirmations (usual and {@link Sprint}), and
 * the {@link Seasonality} that says what level is usual when.
 */
record TrendTuning(TrendSettings settings, double threshold, double horizon, double correlation, int confirmations,
                   int sprintConfirmations, Seasonality seasonality) {

    /** One line's reading at one instant: the level, its pace a second, the slope's t-statistic, the time to cross. */
    record Reading(double level, double slope, double tStatistic, double secondsToCross) {
    }

    /** What the lines fit: the value, or for multiplicative noise its logarithm. */
    double scale(double value) {
        return settings.logScale() ? Math.log(value + settings.noiseFloor()) : value;
    }

    /** A level on the lines' scale back to the metric's unit. */
    double unscale(double y) {
        return settings.logScale() ? Math.exp(y) - settings.noiseFloor() : y;
    }

    Reading read(DiscountedLine line, double medianLongRun, Instant at) {
        double fitted = line.levelAt(at);
        double fittedSlope = line.slope();
        double floor = settings.logScale() ? settings.relativeNoiseFloor()
                : Math.max(settings.noiseFloor(), settings.relativeNoiseFloor() * Math.abs(line.mean()));
        // with few points the residual deviation is itself uncertain: widen by a Student t's standard deviation
        double dof = line.effectiveSamples() - 2;
        double smallSample = Math.sqrt(dof / (dof - 2));
        // a rolling-window metric is already smooth: its window's correlation dominates the median's, they do not add
        double error = line.slopeError(line.residualDeviation(floor)) * Math.max(medianLongRun, correlation)
                * smallSample;
        // values are never negative, so neither is a level worth reporting
        double level = Math.max(0, unscale(fitted));
        double slope = settings.logScale() ? (level + settings.noiseFloor()) * fittedSlope : fittedSlope;
        double toCross = slope > 0 ? (threshold - level) / slope : Double.POSITIVE_INFINITY;
        return new Reading(level, slope, fittedSlope / error, toCross);
    }

    boolean strong(Reading r) {
        return r.level() < threshold && r.tStatistic() >= settings.minTStatistic() && r.secondsToCross() <= horizon;
    }

    boolean weak(Reading r) {
        return r.tStatistic() >= settings.minTStatistic() / 2 && r.secondsToCross() <= 2 * horizon;
    }

    /**
     * Whether {@code level} at {@code at} is usual: within the band of that time, and the usual level then and a
     * horizon ahead below the threshold (what is usual then is no fault, and usually stays clear of it).
     */
    boolean usual(double level, Instant at) {
        Optional<Seasonality.Band> now = seasonality.usual(at);
        if (now.isEmpty() || !now.get().contains(level) || now.get().level() >= threshold) {
            return false;
        }
        Optional<Seasonality.Band> ahead = seasonality.usual(at.plusMillis(Math.round(horizon * 1000)));
        return ahead.isEmpty() || ahead.get().level() < threshold;
    }

    TrendTuning with(Seasonality s) {
        return new TrendTuning(settings, threshold, horizon, correlation, confirmations, sprintConfirmations, s);
    }
}
