package dev.mcphealth.domain.tuning;

import dev.mcphealth.domain.model.TrialVerdict;
import dev.mcphealth.domain.model.WindowStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Judges a server's window after a change against the window of the same length before it, on three figures:
 * <ul>
 *   <li>failed probes: the fraction of its probes that failed (at least {@link #MIN_PROBES} probes in each window);</li>
 *   <li>failed real calls: the fraction of its library and gateway calls that failed (at least {@link #MIN_CALLS});</li>
 *   <li>p95 latency of its answered calls (at least {@link #MIN_CALLS} answered in each window).</li>
 * </ul>
 * A fraction is worse when it rose by at least {@link #MIN_STEP}, at least {@link #MIN_FAILURES} failed after the
 * change, and a one-sided two-proportion z-test with Yates's continuity correction puts the rise past {@link #Z} (about
 * 1 % by chance per figure, also when the windows hold different numbers of probes, as after an interval change; so a
 * change that did nothing is rolled back rarely; docs/learning.md gives the simulated rates). The p95 is worse when it
 * is at least {@link #LATENCY_RATIO} times as long and {@link #LATENCY_STEP} longer; it is left out for a change that
 * cannot make the server slower but changes the mix of probes and calls it is taken over (a probe interval). Better
 * is the mirror image. Any worse figure makes the verdict worse.
 */
public final class TrialJudge {
    static final int MIN_PROBES = 5;
    static final int MIN_CALLS = 20;
    static final double MIN_STEP = 0.01;
    static final int MIN_FAILURES = 3;
    static final double Z = 2.33;
    static final double LATENCY_RATIO = 1.5;
    static final Duration LATENCY_STEP = Duration.ofMillis(20);

    private TrialJudge() {
    }

    /** The verdict and, for each figure judged, one sentence of evidence (the worse ones first). */
    public record Judgement(TrialVerdict verdict, List<String> evidence) {
        public Judgement {
            Objects.requireNonNull(verdict, "verdict");
            evidence = List.copyOf(evidence);
            if (evidence.isEmpty()) {
                throw new IllegalArgumentException("a judgement gives its evidence");
            }
        }
    }

    private enum Move { BETTER, SAME, WORSE }

    /** Judged on all three figures. */
    public static Judgement judge(WindowStats before, WindowStats after) {
        return judge(before, after, true);
    }

    /** @param latency whether the p95 is judged too */
    public static Judgement judge(WindowStats before, WindowStats after, boolean latency) {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        List<String> worse = new ArrayList<>();
        List<String> other = new ArrayList<>();
        boolean better = false;
        boolean judged = false;

        long failedBefore = before.failedProbes();
        long failedAfter = after.failedProbes();
        if (before.probes() >= MIN_PROBES && after.probes() >= MIN_PROBES) {
            Move m = fraction(before.probes(), failedBefore, after.probes(), failedAfter);
            String line = "probes failed " + failedBefore + " of " + before.probes() + " before, " + failedAfter
                    + " of " + after.probes() + " after";
            judged = true;
            better |= m == Move.BETTER;
            (m == Move.WORSE ? worse : other).add(words(m) + line);
        }
        long callsBefore = before.realCalls();
        long callsAfter = after.realCalls();
        long errorsBefore = before.failedRealCalls();
        long errorsAfter = after.failedRealCalls();
        if (callsBefore >= MIN_CALLS && callsAfter >= MIN_CALLS) {
            Move m = fraction(callsBefore, errorsBefore, callsAfter, errorsAfter);
            String line = "calls failed " + errorsBefore + " of " + callsBefore + " before, " + errorsAfter + " of "
                    + callsAfter + " after";
            judged = true;
            better |= m == Move.BETTER;
            (m == Move.WORSE ? worse : other).add(words(m) + line);
        }
        Optional<Duration> p95Before = before.p95();
        Optional<Duration> p95After = after.p95();
        if (latency && p95Before.isPresent() && p95After.isPresent() && before.calls() - before.errors() >= MIN_CALLS
                && after.calls() - after.errors() >= MIN_CALLS) {
            Move m = latency(p95Before.get(), p95After.get());
            String line = "p95 " + millis(p95Before.get()) + " before, " + millis(p95After.get()) + " after";
            judged = true;
            better |= m == Move.BETTER;
            (m == Move.WORSE ? worse : other).add(words(m) + line);
        }
        if (!judged) {
            return new Judgement(TrialVerdict.TOO_FEW_CALLS, List.of("too few to judge: " + before.probes()
                    + " probes and " + callsBefore + " calls before, " + after.probes() + " probes and " + callsAfter
                    + " calls after (at least " + MIN_PROBES + " probes or " + MIN_CALLS + " calls in each window)"));
        }
        List<String> evidence = new ArrayList<>(worse);
        evidence.addAll(other);
        TrialVerdict verdict = !worse.isEmpty() ? TrialVerdict.WORSE
                : better ? TrialVerdict.BETTER : TrialVerdict.NO_WORSE;
        return new Judgement(verdict, evidence);
    }

    /**
     * Whether k2 of n2 is significantly more (worse) or fewer (better) than k1 of n1: the side with more failures
     * needs at least {@link #MIN_FAILURES} of them.
     */
    private static Move fraction(long n1, long k1, long n2, long k2) {
        double p1 = (double) k1 / n1;
        double p2 = (double) k2 / n2;
        double step = p2 - p1;
        if (Math.abs(step) < MIN_STEP || (step > 0 ? k2 : k1) < MIN_FAILURES) {
            return Move.SAME;
        }
        double pooled = (double) (k1 + k2) / (n1 + n2);
        double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
        if (se == 0) {
            return Move.SAME;
        }
        double corrected = Math.max(0, Math.abs(step) - 0.5 * (1.0 / n1 + 1.0 / n2));
        double z = Math.signum(step) * corrected / se;
        return z >= Z ? Move.WORSE : z <= -Z ? Move.BETTER : Move.SAME;
    }

    private static Move latency(Duration before, Duration after) {
        long b = before.toNanos();
        long a = after.toNanos();
        long step = LATENCY_STEP.toNanos();
        if (a >= LATENCY_RATIO * b && a - b >= step) {
            return Move.WORSE;
        }
        if (b >= LATENCY_RATIO * a && b - a >= step) {
            return Move.BETTER;
        }
        return Move.SAME;
    }

    private static String words(Move m) {
        return m == Move.WORSE ? "worse: " : m == Move.BETTER ? "better: " : "";
    }

    private static String millis(Duration d) {
        double ms = d.toNanos() / 1e6;
        return ms >= 10 ? Math.round(ms) + " ms" : String.format(Locale.ROOT, "%.1f ms", ms);
    }
}
