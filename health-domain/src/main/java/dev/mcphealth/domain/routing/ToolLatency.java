package dev.mcphealth.domain.routing;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How long one tool's calls take, and how many fail: a histogram of recent call times, for the tool's statistics
 * (p50, p95, p99) and its hedging delay. Times fall into buckets 1/8 of a power of two wide (a quantile is within 12.5 %
 * of the truth), from 1 us to about 18 minutes. Recent means the current and the previous window (one minute by
 * default), so what the quantiles say follows a change within two windows.
 *
 * <p>Lock-free, without allocation: a call is three increments. When a window turns, a concurrent record may be lost:
 * statistics, not a ledger. Times are nanoseconds on the caller's time line.
 */
public final class ToolLatency {
    /** One window: quantiles cover this much time and up to as much again before it. */
    public static final long DEFAULT_WINDOW_NANOS = 60_000_000_000L;
    private static final int SUB = 3; // 2^3 = 8 buckets per power of two
    private static final int MIN_POWER = 10; // 2^10 ns ~ 1 us: anything faster falls in the first bucket
    private static final int MAX_POWER = 40; // 2^40 ns ~ 18 min: anything slower in the last
    static final int BUCKETS = (MAX_POWER - MIN_POWER + 1) << SUB;
    /**
     * Windows held: the current and three before it, so that the flush (every second or so) writes each window once
     * even when the windows are seconds long (a compressed week: docs/learning.md). The statistics read two.
     */
    public static final int GENERATIONS = 4;

    private final long windowNanos;
    private final AtomicLongArray generationOf = new AtomicLongArray(GENERATIONS);
    private final AtomicLongArray counts = new AtomicLongArray(GENERATIONS * BUCKETS);
    /** Per generation: calls, failed calls. */
    private final AtomicLongArray totals = new AtomicLongArray(GENERATIONS * 2);

    public ToolLatency() {
        this(DEFAULT_WINDOW_NANOS);
    }

    public ToolLatency(long windowNanos) {
        if (windowNanos <= 0) {
            throw new IllegalArgumentException("the window must be positive, got " + windowNanos + " ns");
        }
        this.windowNanos = windowNanos;
        for (int g = 0; g < GENERATIONS; g++) {
            generationOf.set(g, Long.MIN_VALUE);
        }
    }

    /**
     * A call of the tool took {@code elapsedNanos}; {@code failed} if it did not come back answered. A failure is
     * counted but its time is not a time of the tool (a hung instance's timeouts would raise the quantiles just when
     * hedging should act, and refused connections would lower them): the quantiles are of answered calls.
     */
    public void record(long nowNanos, long elapsedNanos, boolean failed) {
        int g = generation(nowNanos);
        if (!failed) {
            counts.incrementAndGet(g * BUCKETS + bucket(elapsedNanos));
        }
        totals.incrementAndGet(g * 2);
        if (failed) {
            totals.incrementAndGet(g * 2 + 1);
        }
    }

    /** The calls recorded in the last one to two windows. */
    public long calls(long nowNanos) {
        return sum(nowNanos, 0);
    }

    /** The failed calls recorded in the last one to two windows. */
    public long failures(long nowNanos) {
        return sum(nowNanos, 1);
    }

    /**
     * The {@code q}-quantile (0 < q <= 1) of the answered calls' times recorded in the last one to two windows, in
     * nanoseconds (the upper edge of its bucket), or -1 with none recorded.
     */
    public long quantileNanos(long nowNanos, double q) {
        if (!(q > 0 && q <= 1)) {
            throw new IllegalArgumentException("a quantile is above 0 and at most 1, got " + q);
        }
        long current = Math.floorDiv(nowNanos, windowNanos);
        long total = 0; // from the buckets walked below, never from the totals: a record racing a reset cannot make
        for (int g = 0; g < GENERATIONS; g++) { // the rank one the buckets do not reach
            if (recent(g, current)) {
                for (int b = 0; b < BUCKETS; b++) {
                    total += counts.get(g * BUCKETS + b);
                }
            }
        }
        if (total == 0) {
            return -1;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int b = 0; b < BUCKETS; b++) {
            for (int g = 0; g < GENERATIONS; g++) {
                if (recent(g, current)) {
                    seen += counts.get(g * BUCKETS + b);
                }
            }
            if (seen >= rank) {
                return upperEdge(b);
            }
        }
        return upperEdge(BUCKETS - 1);
    }

    /** How old a {@link #summary} may be once the tool has {@value #SUMMARY_EXACT_BELOW} answered calls or more. */
    public static final long SUMMARY_EVERY_NANOS = 100_000_000L;
    /** Below this many answered calls a {@link #summary} is always fresh: thresholds of a few tens decide there. */
    public static final long SUMMARY_EXACT_BELOW = 64;

    /** What the call path reads of the tool per call: its answered calls of late, and their p95 and p99 (ns, -1: none). */
    public record Summary(long at, long answered, long p95Nanos, long p99Nanos) {
    }

    private volatile Summary summary;

    /**
     * The tool's answered calls, p95 and p99 as {@link #calls}, {@link #failures} and {@link #quantileNanos} give
     * them, computed at most once every {@link #SUMMARY_EVERY_NANOS} and shared by the calls meanwhile (a quantile
     * walks the whole histogram: too much for every call); always fresh while fewer than
     * {@value #SUMMARY_EXACT_BELOW} calls answered, and after a step back of the clock.
     */
    public Summary summary(long nowNanos) {
        Summary s = summary;
        long age = s == null ? -1 : nowNanos - s.at();
        if (s != null && age >= 0 && age < SUMMARY_EVERY_NANOS && s.answered() >= SUMMARY_EXACT_BELOW) {
            return s;
        }
        s = new Summary(nowNanos, calls(nowNanos) - failures(nowNanos), quantileNanos(nowNanos, 0.95),
                quantileNanos(nowNanos, 0.99));
        summary = s;
        return s;
    }

    /** The window that counts {@code nowNanos}: its index on the caller's time line. */
    public long windowOf(long nowNanos) {
        return Math.floorDiv(nowNanos, windowNanos);
    }

    /** How long one window lasts. */
    public long windowNanos() {
        return windowNanos;
    }

    /**
     * One window's figures alone: its calls, failed calls and the answered calls' p50, p95 and p99 (nanoseconds, the
     * upper edge of the bucket; -1 when none answered) and their mean (nanoseconds, from the buckets' midpoints: within
     * 6.25 %; -1 when none answered).
     */
    public record Window(long calls, long failures, long p50Nanos, long p95Nanos, long p99Nanos, long meanNanos) {
    }

    /**
     * Window {@code index}'s figures, if it is one this still holds (the current and the previous one); what a minute
     * of a tool's calls leaves in the store.
     */
    public java.util.Optional<Window> window(long index) {
        int g = (int) Math.floorMod(index, (long) GENERATIONS);
        if (generationOf.get(g) != index) {
            return java.util.Optional.empty();
        }
        long answered = 0;
        for (int b = 0; b < BUCKETS; b++) {
            answered += counts.get(g * BUCKETS + b);
        }
        return java.util.Optional.of(new Window(totals.get(g * 2), totals.get(g * 2 + 1),
                rank(g, answered, 0.5), rank(g, answered, 0.95), rank(g, answered, 0.99), mean(g, answered)));
    }

    /** The mean of generation {@code g}'s {@code total} answered calls, each at its bucket's midpoint; -1 with none. */
    private long mean(int g, long total) {
        if (total == 0) {
            return -1;
        }
        double sum = 0;
        for (int b = 0; b < BUCKETS; b++) {
            long n = counts.get(g * BUCKETS + b);
            if (n > 0) {
                double lower = b == 0 ? 0 : upperEdge(b - 1) + 1;
                sum += n * (lower + upperEdge(b)) / 2;
            }
        }
        return Math.round(sum / total);
    }

    /** The {@code q}-quantile of generation {@code g}'s {@code total} answered calls; -1 with none. */
    private long rank(int g, long total, double q) {
        if (total == 0) {
            return -1;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int b = 0; b < BUCKETS; b++) {
            seen += counts.get(g * BUCKETS + b);
            if (seen >= rank) {
                return upperEdge(b);
            }
        }
        return upperEdge(BUCKETS - 1);
    }

    private long sum(long nowNanos, int which) {
        long current = Math.floorDiv(nowNanos, windowNanos);
        long n = 0;
        for (int g = 0; g < GENERATIONS; g++) {
            if (recent(g, current)) {
                n += totals.get(g * 2 + which);
            }
        }
        return n;
    }

    private boolean recent(int g, long current) {
        long of = generationOf.get(g);
        return of == current || of == current - 1;
    }

    /** The generation slot counting {@code nowNanos}, emptied first if it last counted an older window. */
    private int generation(long nowNanos) {
        long w = Math.floorDiv(nowNanos, windowNanos);
        int g = (int) Math.floorMod(w, (long) GENERATIONS);
        long seen = generationOf.get(g);
        if (seen != w && generationOf.compareAndSet(g, seen, w)) { // older, or newer after the clock stepped back
            for (int b = 0; b < BUCKETS; b++) {
                counts.set(g * BUCKETS + b, 0);
            }
            totals.set(g * 2, 0);
            totals.set(g * 2 + 1, 0);
        }
        return g;
    }

    static int bucket(long nanos) {
        long v = Math.max(nanos, 1L << MIN_POWER);
        int power = 63 - Long.numberOfLeadingZeros(v);
        if (power > MAX_POWER) {
            return BUCKETS - 1;
        }
        int sub = (int) ((v >>> (power - SUB)) & ((1 << SUB) - 1));
        return ((power - MIN_POWER) << SUB) + sub;
    }

    /** The largest time that falls in bucket {@code b}. */
    static long upperEdge(int b) {
        int power = (b >>> SUB) + MIN_POWER;
        int sub = b & ((1 << SUB) - 1);
        return (1L << power) + ((long) (sub + 1) << (power - SUB)) - 1;
    }
}
