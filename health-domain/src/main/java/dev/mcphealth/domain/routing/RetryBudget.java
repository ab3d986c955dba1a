package dev.mcphealth.domain.routing;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How many extra requests a pool may send beyond one per call: a failover to the next instance, a replay, a hedge.
 * Finagle's retry budget: over a sliding window, each call earns {@code ratio} of an extra request, and
 * {@code minPerSecond} x the window's seconds are there besides (a pool with little traffic can still fail over);
 * each extra request spends one. So a pool whose every instance fails sends at most about {@code 1 + ratio} requests
 * per call, plus the floor, instead of one per instance per call: a failing pool never multiplies its own load.
 *
 * <p>Lock-free, without allocation: the window is {@value #SLOTS} slots of counters, each call one increment. At a
 * slot's turn a concurrent increment may be lost, and callers spending at the same instant may together spend a few
 * more than is left (at most one each): the budget is a rate, not a ledger. Times are nanoseconds on the
 * caller's time line.
 */
public final class RetryBudget {
    /** Finagle's defaults: 20 % of calls, 10 per second, over 10 s. */
    public static final double DEFAULT_RATIO = 0.2;
    public static final int DEFAULT_MIN_PER_SECOND = 10;
    public static final long DEFAULT_WINDOW_NANOS = 10_000_000_000L;
    static final int SLOTS = 10;

    private final double ratio;
    private final long floor;
    private final long slotNanos;
    /** Per slot: the slot number it counts for (now / slotNanos), the calls and the extra requests in it. */
    private final AtomicLongArray slotOf = new AtomicLongArray(SLOTS);
    private final AtomicLongArray calls = new AtomicLongArray(SLOTS);
    private final AtomicLongArray extras = new AtomicLongArray(SLOTS);

    /**
     * A pool's retry budget: each call earns {@code ratio} of an extra request, and {@code minPerSecond} x the
     * window's seconds are there besides, over a sliding {@code window}.
     */
    public record Settings(double ratio, int minPerSecond, java.time.Duration window) {
        /** Finagle's: 20 % of calls plus 10 per second, over 10 s. */
        public static final Settings DEFAULT = new Settings(DEFAULT_RATIO, DEFAULT_MIN_PER_SECOND,
                java.time.Duration.ofNanos(DEFAULT_WINDOW_NANOS));

        public Settings {
            new RetryBudget(ratio, minPerSecond, java.util.Objects.requireNonNull(window, "window").toNanos());
        }

        /** A new, untouched budget with these settings. */
        public RetryBudget budget() {
            return new RetryBudget(ratio, minPerSecond, window.toNanos());
        }
    }

    public RetryBudget() {
        this(DEFAULT_RATIO, DEFAULT_MIN_PER_SECOND, DEFAULT_WINDOW_NANOS);
    }

    public RetryBudget(double ratio, int minPerSecond, long windowNanos) {
        if (!(ratio >= 0 && ratio <= 10) || minPerSecond < 0 || windowNanos < SLOTS) {
            throw new IllegalArgumentException("a retry budget needs a ratio in 0..10, a floor >= 0 and a window,"
                    + " got " + ratio + ", " + minPerSecond + "/s, " + windowNanos + " ns");
        }
        this.ratio = ratio;
        this.floor = (long) Math.floor(minPerSecond * (windowNanos / 1e9));
        this.slotNanos = windowNanos / SLOTS;
        for (int i = 0; i < SLOTS; i++) {
            slotOf.set(i, Long.MIN_VALUE);
        }
    }

    /** A call came in (its first request is never refused). */
    public void called(long nowNanos) {
        calls.incrementAndGet(slot(nowNanos));
    }

    /** Spends one extra request if the window has one left; false (nothing spent) when it is spent. */
    public boolean trySpend(long nowNanos) {
        int i = slot(nowNanos);
        if (left(nowNanos) < 1) {
            return false;
        }
        extras.incrementAndGet(i);
        return true;
    }

    /** The extra requests the window has left now (may be fractional; 1 or more can be spent). */
    public double left(long nowNanos) {
        long current = Math.floorDiv(nowNanos, slotNanos);
        long c = 0;
        long e = 0;
        for (int i = 0; i < SLOTS; i++) {
            long s = slotOf.get(i);
            if (s > current - SLOTS && s <= current) {
                c += calls.get(i);
                e += extras.get(i);
            }
        }
        return floor + ratio * c - e;
    }

    /** The slot counting {@code nowNanos}, emptied first if it last counted an older time. */
    private int slot(long nowNanos) {
        long s = Math.floorDiv(nowNanos, slotNanos);
        int i = (int) Math.floorMod(s, (long) SLOTS);
        long seen = slotOf.get(i);
        if (seen != s && slotOf.compareAndSet(i, seen, s)) { // older, or newer after the clock stepped back
            calls.set(i, 0);
            extras.set(i, 0);
        }
        return i;
    }
}
