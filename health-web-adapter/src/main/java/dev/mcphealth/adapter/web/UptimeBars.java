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

    /** One bar: its probes and how many answered (none: no data). */
    record Bar(long probes, long answered) {
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
        for (HistoryBucket b : report.buckets()) {
            long at = b.start().toEpochMilli() - from;
            if (at < 0) {
                continue; // a bucket begun before the period (rows are read from the whole minute or hour)
            }
            int i = (int) Math.min(bars - 1, Math.max(0, at * bars / span));
            probes[i] += b.probes();
            answered[i] += b.answered();
        }
        List<Bar> out = new ArrayList<>(bars);
        for (int i = 0; i < bars; i++) {
            out.add(new Bar(probes[i], answered[i]));
        }
        return out;
    }
}
