package dev.mcphealth.domain.learning;

import dev.mcphealth.domain.model.UsageFigure;
/**
 * The scales a {@link UsageProfile} learns its figures on, where their noise is even: the call rate on Anscombe's
 * square root (a Poisson count's spread is then 1/2 at any level, and its mean unbiased), latencies on their logarithm
 * (their spread is relative), the error share as it is; and each figure's least spread on its scale.
 */
final class LearningScale {
    /** Anscombe's shift: the mean of sqrt(x + 3/8) of a Poisson count is the square root of its mean, unbiased. */
    private static final double ANSCOMBE = 3.0 / 8;

    private LearningScale() {
    }

    /** {@code calls} (per minute, or over a window) on the rate's scale. */
    static double rate(double calls) {
        return Math.sqrt(Math.max(0, calls) + ANSCOMBE);
    }

    /** A level on the rate's scale back to calls. */
    static double rateOf(double level) {
        return back(UsageFigure.RATE, level);
    }

    /** From the learning scale back to the figure's own. */
    static double back(UsageFigure figure, double y) {
        if (figure == UsageFigure.RATE) {
            return y <= 0 ? 0 : Math.max(0, y * y - ANSCOMBE);
        }
        if (figure == UsageFigure.ERRORS) {
            return Math.max(0, Math.min(1, y));
        }
        return Math.exp(y);
    }

    /** The least spread a figure has on its scale: a Poisson count's 1/2, 5 % of a latency, 1 % of calls failing. */
    static double floor(UsageFigure figure) {
        return figure == UsageFigure.RATE ? 0.5 : figure == UsageFigure.ERRORS ? 0.01 : 0.05;
    }
}
