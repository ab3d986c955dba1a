package dev.mcphealth.domain.tuning;

import static dev.mcphealth.domain.tuning.TuningAdvisor.MEANINGFUL_CHANGE;
import static dev.mcphealth.domain.tuning.TuningAdvisor.reach;

import dev.mcphealth.domain.history.FailureAnalysis;
import dev.mcphealth.domain.model.StatusSnapshot;
import dev.mcphealth.domain.tuning.TuningAdvice.Level;
import dev.mcphealth.domain.tuning.TuningAdvice.Value;
import dev.mcphealth.domain.model.WindowStats;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/** The figures and the words of tuning advice: reaches, rounding, readable durations and counts. */
final class TuningFigures {
    private TuningFigures() {
    }

    /**
     * {@code wanted}, kept within the level's {@link TuningAdvisor#reach} of {@code current}: at most {@code current}
     * x reach and at least {@code current} / reach. A bound it stops at is rounded towards {@code current}: to whole seconds when
     * {@code wholeSeconds}, else to 100 ms from 1 s up and to 1 ms below.
     */
    static Duration withinReach(Duration current, Duration wanted, Level level, boolean wholeSeconds) {
        long now = current.toNanos();
        long by = reach(level);
        long lowest = Math.min(now, roundUp(Math.floorDiv(now + by - 1, by), wholeSeconds));
        long highest = Math.max(now, roundDown(Math.multiplyExact(now, by), wholeSeconds));
        long proposed = Math.max(lowest, Math.min(highest, wanted.toNanos()));
        return proposed == wanted.toNanos() ? wanted : Duration.ofNanos(proposed);
    }

    /** The step a bound of the reach is rounded to: whole seconds, or 100 ms from 1 s up and 1 ms below. */
    static long step(long nanos, boolean wholeSeconds) {
        if (wholeSeconds) {
            return 1_000_000_000L;
        }
        return nanos >= 1_000_000_000L ? 100_000_000L : 1_000_000L;
    }

    static long roundUp(long nanos, boolean wholeSeconds) {
        long step = step(nanos, wholeSeconds);
        return Math.floorDiv(nanos + step - 1, step) * step;
    }

    static long roundDown(long nanos, boolean wholeSeconds) {
        long step = step(nanos, wholeSeconds);
        return Math.floorDiv(nanos, step) * step;
    }

    // ---- figures --------------------------------------------------------------------------------------------

    static Optional<WindowStats> longest(StatusSnapshot s, Predicate<WindowStats> enough) {
        return s.windows().stream().filter(enough).max(Comparator.comparing(WindowStats::window));
    }

    static boolean meaningful(Duration current, Duration proposed) {
        return meaningful(current.toNanos(), proposed.toNanos());
    }

    static boolean meaningful(long current, long proposed) {
        return Math.abs(proposed - current) > MEANINGFUL_CHANGE * current;
    }

    /** Rounded up to a readable value: 100 ms steps below 1 s, then 1 s, 5 s (from 10 s), 30 s (from 1 min), 1 min. */
    static Duration niceCeil(Duration d) {
        long ms = (d.toNanos() + 999_999) / 1_000_000;
        long step;
        if (ms <= 1_000) {
            step = 100;
        } else if (ms <= 10_000) {
            step = 1_000;
        } else if (ms <= 60_000) {
            step = 5_000;
        } else if (ms <= 600_000) {
            step = 30_000;
        } else {
            step = 60_000;
        }
        return Duration.ofMillis((ms + step - 1) / step * step);
    }

    static Duration ceilSeconds(Duration d) {
        Duration whole = Duration.ofSeconds(d.getSeconds());
        return whole.equals(d) ? d : whole.plusSeconds(1);
    }

    static Duration floorSeconds(Duration d) {
        return Duration.ofSeconds(d.getSeconds());
    }

    static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    // ---- text -----------------------------------------------------------------------------------------------

    /** Real tool calls in a window: its calls that were not probes. */
    static long realCalls(WindowStats w) {
        return w.calls() - w.probes();
    }

    /** The p99 and what it is over: the probes' ping latency alone when there were no real tool calls. */
    static String latency(WindowStats w) {
        String p99 = "p99 " + duration(w.p99().orElseThrow());
        String probes = count(w.answeredProbes()) + " of " + count(w.probes()) + " probes answered";
        long real = realCalls(w);
        if (real == 0) {
            return p99 + " of probe (ping) latency over " + probes + " in " + duration(w.window())
                    + "; no real tool calls";
        }
        long answered = w.calls() - w.errors();
        return p99 + " over " + count(answered) + " answered calls in " + duration(w.window()) + ", probes and real"
                + " tool calls together: " + probes + ", " + count(real) + " real tool call" + (real == 1 ? "" : "s");
    }

    static String availability(WindowStats w) {
        return count(w.answeredProbes()) + " of " + count(w.probes()) + " probes answered in " + duration(w.window())
                + " (" + percent(w.availability().orElseThrow()) + ")";
    }

    static String episodes(FailureAnalysis.InstanceFailures f, Duration history) {
        return f.episodes() + " failure episode" + (f.episodes() == 1 ? "" : "s") + " in " + duration(history) + " ("
                + f.open() + " open, " + duration(f.downtime()) + " down)";
    }

    static String times(Duration a, Duration b) {
        double ratio = (double) a.toNanos() / Math.max(1, b.toNanos());
        return BigDecimal.valueOf(ratio).setScale(ratio >= 10 ? 0 : 1, RoundingMode.HALF_UP).stripTrailingZeros()
                .toPlainString() + "x";
    }

    static String stretchText(Duration from, Duration to) {
        return times(to, from);
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String percent(double fraction) {
        return BigDecimal.valueOf(fraction * 100).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros()
                .toPlainString() + " %";
    }

    static Value time(Duration d) {
        return new Value.Time(d);
    }

    /** Readable: 412 ms, 2.5 s, 10 s, 4 min 10 s, 1 h, 1 h 30 min. */
    static String duration(Duration d) {
        long ms = d.toMillis();
        if (ms < 1_000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return BigDecimal.valueOf(ms, 3).setScale(1, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString()
                    + " s";
        }
        long s = d.getSeconds();
        if (s < 3_600) {
            return s / 60 + " min" + (s % 60 == 0 ? "" : " " + s % 60 + " s");
        }
        long m = s / 60;
        return m / 60 + " h" + (m % 60 == 0 ? "" : " " + m % 60 + " min");
    }
}
