package dev.mcphealth.domain.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ToolLatencyTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;

    @Test
    void quantilesOfAHeavyTailAreWithinABucketOfTheTruth() {
        ToolLatency t = new ToolLatency();
        for (int i = 0; i < 1000; i++) {
            t.record(S, i % 100 == 0 ? 500 * MS : 10 * MS, false); // 1 % of calls 50x slower
        }
        long p50 = t.quantileNanos(S, 0.5);
        long p95 = t.quantileNanos(S, 0.95);
        long p999 = t.quantileNanos(S, 0.999);
        assertTrue(p50 >= 10 * MS && p50 <= 10 * MS * 1.125, "p50 " + p50);
        assertEquals(p50, p95, "the tail is 1 %: p95 is the body");
        assertTrue(p999 >= 500 * MS && p999 <= 500 * MS * 1.125, "p99.9 " + p999);
        assertEquals(1000, t.calls(S));
    }

    @Test
    void failuresAreCountedAndOldWindowsForgotten() {
        ToolLatency t = new ToolLatency(60 * S);
        t.record(0, MS, true);
        t.record(0, MS, false);
        assertEquals(2, t.calls(59 * S));
        assertEquals(1, t.failures(119 * S), "the previous window still counts");
        assertEquals(0, t.calls(120 * S), "two windows on: forgotten");
        assertEquals(-1, t.quantileNanos(120 * S, 0.5), "nothing recorded");
        t.record(120 * S, 3 * MS, false);
        assertEquals(1, t.calls(120 * S));
        assertEquals(0, t.failures(120 * S));
    }

    @Test
    void aWindowAloneIsReadWhileItIsHeldThenNoMore() {
        ToolLatency t = new ToolLatency(60 * S);
        for (int i = 0; i < 100; i++) {
            t.record(10 * S, i < 99 ? 10 * MS : 500 * MS, i == 0);
        }
        t.record(70 * S, 40 * MS, false); // the next window: not in the first's figures

        ToolLatency.Window first = t.window(t.windowOf(10 * S)).orElseThrow();
        assertEquals(100, first.calls());
        assertEquals(1, first.failures());
        assertTrue(first.p50Nanos() >= 10 * MS && first.p50Nanos() <= 10 * MS * 1.125, "p50 " + first.p50Nanos());
        assertTrue(first.p99Nanos() >= 500 * MS && first.p99Nanos() <= 500 * MS * 1.125, "p99 of the 99 answered: "
                + first.p99Nanos());
        double mean = (98 * 10 + 500) / 99.0 * MS; // of the 99 answered
        assertTrue(Math.abs(first.meanNanos() / mean - 1) <= 0.0625, "mean " + first.meanNanos() + " against " + mean);
        assertEquals(1, t.window(1).orElseThrow().calls());
        assertEquals(java.util.Optional.empty(), t.window(5), "never held");

        t.record(130 * S, MS, false); // window 2: window 0 is still held, for a flush that came late
        assertEquals(100, t.window(0).orElseThrow().calls(), "held for " + ToolLatency.GENERATIONS + " windows");
        t.record(250 * S, MS, false); // window 4 takes the slot of window 0
        assertEquals(java.util.Optional.empty(), t.window(0), "four windows on: gone");
        ToolLatency.Window failedOnly = new ToolLatency(60 * S).window(0).orElse(null);
        assertEquals(null, failedOnly, "nothing recorded");
        ToolLatency none = new ToolLatency(60 * S);
        none.record(0, MS, true);
        assertEquals(-1, none.window(0).orElseThrow().p50Nanos(), "none answered: no quantile");
        assertEquals(-1, none.window(0).orElseThrow().meanNanos(), "nor a mean");
    }

    @Test
    void theSummaryIsExactWhileFewCallsAnsweredThenAtMostATenthOfASecondOld() {
        ToolLatency t = new ToolLatency();
        for (int i = 0; i < 63; i++) {
            t.record(S, 10 * MS, false);
        }
        assertEquals(63, t.summary(S).answered());
        t.record(S, 10 * MS, false);
        assertEquals(64, t.summary(S).answered(), "below 64 it is always fresh");
        ToolLatency.Summary cached = t.summary(S);
        for (int i = 0; i < 100; i++) {
            t.record(S, 500 * MS, false);
        }
        assertEquals(cached, t.summary(S + 99 * MS), "shared for 100 ms");
        ToolLatency.Summary fresh = t.summary(S + 100 * MS);
        assertEquals(164, fresh.answered());
        assertEquals(t.quantileNanos(S + 100 * MS, 0.99), fresh.p99Nanos());
        assertEquals(t.quantileNanos(S + 100 * MS, 0.95), fresh.p95Nanos());
        assertEquals(164, t.summary(S).answered(), "a clock stepped back: computed again");
    }

    @Test
    void aBadQuantileIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ToolLatency().quantileNanos(0, 0));
    }

    @Property
    void theQuantileIsNeverBelowTheTrueOneAndAtMostAnEighthAbove(
            @ForAll @Size(min = 1, max = 200) long[] times,
            @ForAll @DoubleRange(min = 0.01, max = 1.0) double q) {
        ToolLatency t = new ToolLatency();
        long[] clipped = new long[times.length];
        for (int i = 0; i < times.length; i++) {
            clipped[i] = Math.min(Math.max(Math.abs(times[i] % (1L << 39)), 1L << 10), 1L << 39);
            t.record(S, clipped[i], false);
        }
        Arrays.sort(clipped);
        long truth = clipped[(int) Math.ceil(q * clipped.length) - 1];
        long estimate = t.quantileNanos(S, q);
        assertTrue(estimate >= truth && estimate <= truth + truth / 8 + 1, truth + " -> " + estimate);
    }

    @Property
    void everyTimeFallsInABucketWhoseUpperEdgeHoldsIt(@ForAll @LongRange(min = 1024, max = 1L << 40) long nanos) {
        int b = ToolLatency.bucket(nanos);
        assertTrue(ToolLatency.upperEdge(b) >= nanos, "edge of " + b);
        assertTrue(b == 0 || ToolLatency.upperEdge(b - 1) < nanos, "the bucket before ends below");
    }
}
