package dev.mcphealth.adapter.web;

import dev.mcphealth.domain.history.HistoryBucket;
import dev.mcphealth.domain.history.HistoryReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A server's stored history over a period as a row of equal bars, as status pages draw uptime: each bar the probes
 * and answered probes of the buckets that began within it (raw minute rows and hour roll-ups alike), oldest first; a
 * bucket begun before the period is left out.
 */
final class UptimeBars {
    /** Bars per period: minutes of the hour, hours of the day, quarter days of the week, days of the month. */
    static final Map<Duration, Integer> BARS = Map.of(Duration.ofHours(1), 60, Duration.ofHours(24), 24,
            Duration.ofDays(7), 28, Duration.ofDays(30), 30);

    /**
     * One bar: its probes and how many answered (none: no data), and its latency when any answered: the answered
     * probes' weighted mean of its buckets' p50, and the highest of their p99 (an upper bound of the bar's own p99).
     */
    record Bar(long probes, long answered, java.util.Optional<Double> p50Ms, java.util.Optional<Double> p99Ms) {
        Bar(long probes, long answered) {
            this(probes, answered, java.util.Optional.empty(), java.util.Optional.empty());
        }
    }

    private UptimeBars() {
    }

    /** {@code report}'s buckets in {@code bars} equal bars over its period. */
    static List<Bar> of(HistoryReport report, int bars) {
        if (bars < 1) {
            throw new IllegalArgumentException("bars must be at least 1: " + bars);
        }
        long from = report.since().toEpochMilli();
        long span = Math.max(1, report.until().toEpochMilli() - from);
        long[] probes = new long[bars];
        long[] answered = new long[bars];
        double[] p50Sum = new double[bars];
        long[] p50Weight = new long[bars];
        double[] p99Max = new double[bars];
        boolean[] p99Seen = new boolean[bars];
        for (HistoryBucket b : report.buckets()) {
            long at = b.start().toEpochMilli() - from;
            if (at < 0) {
                continue; // a bucket begun before the period (rows are read from the whole minute or hour)
            }
            int i = (int) Math.min(bars - 1, Math.max(0, at * bars / span));
            probes[i] += b.probes();
            answered[i] += b.answered();
            if (b.answered() > 0 && b.p50Ms().isPresent()) {
                p50Sum[i] += b.p50Ms().get() * b.answered();
                p50Weight[i] += b.answered();
            }
            if (b.p99Ms().isPresent()) {
                p99Max[i] = p99Seen[i] ? Math.max(p99Max[i], b.p99Ms().get()) : b.p99Ms().get();
                p99Seen[i] = true;
            }
        }
        List<Bar> out = new ArrayList<>(bars);
        for (int i = 0; i < bars; i++) {
            out.add(p50Weight[i] == 0 || !p99Seen[i] ? new Bar(probes[i], answered[i]) : new Bar(probes[i], answered[i],
                    java.util.Optional.of(p50Sum[i] / p50Weight[i]), java.util.Optional.of(p99Max[i])));
        }
        return out;
    }
}
