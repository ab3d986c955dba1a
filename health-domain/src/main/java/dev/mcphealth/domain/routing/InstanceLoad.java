package dev.mcphealth.domain.routing;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How loaded one instance looks to the balancer: a peak-EWMA of its round-trip times and its calls in flight, as
 * Finagle's and Linkerd's balancers keep them. A slower answer than the estimate replaces it at once (the peak); a
 * faster one pulls it down by how long ago the last one came (weight {@code exp(-elapsed / decay)}), and with no
 * answers it decays towards nothing, so an instance avoided for a while is tried again. A failed call counts as a
 * round trip of at least the failure penalty, so an instance that fails fast does not look fast.
 *
 * <p>The cost of a choice is the estimate x (in flight + 1); an instance never measured costs nothing while idle (it
 * is tried, and measured) and the penalty while calls are out to it. Lock-free, without allocation: each call is one
 * {@link #started} and one {@link #answered} or {@link #failed}. Times are nanoseconds on the caller's time line.
 */
public final class InstanceLoad {
    /** How fast the estimate forgets: Finagle's and Linkerd's 10 s. */
    public static final long DEFAULT_DECAY_NANOS = 10_000_000_000L;
    /**
     * What a failure costs at least: 5 s, the order of a slow call, so that a failing instance is avoided for about
     * a minute (5 s decays below 50 ms in 47 s) unless the others are as bad.
     */
    public static final long DEFAULT_PENALTY_NANOS = 5_000_000_000L;

    private final long decayNanos;
    private final long penaltyNanos;
    /** The estimate (a double's bits) and when it was last updated: one 128-bit state kept as two, see update. */
    private final AtomicLong estimate = new AtomicLong(Double.doubleToRawLongBits(0.0));
    private final AtomicLong stamp = new AtomicLong(Long.MIN_VALUE);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong calls = new AtomicLong();

    public InstanceLoad() {
        this(DEFAULT_DECAY_NANOS, DEFAULT_PENALTY_NANOS);
    }

    public InstanceLoad(long decayNanos, long penaltyNanos) {
        if (decayNanos <= 0 || penaltyNanos <= 0) {
            throw new IllegalArgumentException("decay and penalty must be positive, got " + decayNanos + " and "
                    + penaltyNanos + " ns");
        }
        this.decayNanos = decayNanos;
        this.penaltyNanos = penaltyNanos;
    }

    /** A call goes out to it. */
    public void started() {
        inFlight.incrementAndGet();
        calls.incrementAndGet();
    }

    /** The calls sent to it so far. */
    public long calls() {
        return calls.get();
    }

    /** The call came back answered after {@code rttNanos}. */
    public void answered(long nowNanos, long rttNanos) {
        done();
        observe(nowNanos, Math.max(0, rttNanos));
    }

    /** The call failed after {@code rttNanos}: it counts as at least the failure penalty. */
    public void failed(long nowNanos, long rttNanos) {
        done();
        observe(nowNanos, Math.max(rttNanos, penaltyNanos));
    }

    /** The call ended without telling anything of the instance (it was never sent). */
    public void abandoned() {
        done();
    }

    /** Calls out to it now. */
    public int inFlight() {
        return Math.max(0, inFlight.get());
    }

    /** The latency estimate at {@code nowNanos}, decayed since its last update; 0 if never measured. */
    public double latencyNanos(long nowNanos) {
        long at = stamp.get();
        if (at == Long.MIN_VALUE) {
            return 0.0;
        }
        double e = Double.longBitsToDouble(estimate.get());
        long elapsed = nowNanos - at;
        return elapsed <= 0 ? e : e * Math.exp(-(double) elapsed / decayNanos);
    }

    /** What sending it one more call costs: the estimate x (in flight + 1); see the class comment for an unmeasured one. */
    public double cost(long nowNanos) {
        int pending = inFlight();
        if (stamp.get() == Long.MIN_VALUE) {
            return pending == 0 ? 0.0 : (double) penaltyNanos * pending;
        }
        return latencyNanos(nowNanos) * (pending + 1);
    }

    private void done() {
        inFlight.updateAndGet(n -> n > 0 ? n - 1 : 0);
    }

    private void observe(long nowNanos, long rtt) {
        // Finagle's update: a slower answer than the estimate replaces it; a faster one is averaged with the estimate
        // as it was last set, weighted by how long ago that was. Two racing updates may lose one sample (even a
        // peak), never corrupt the estimate: each write is a whole value.
        long at = stamp.get();
        double e = Double.longBitsToDouble(estimate.get());
        double next;
        if (at == Long.MIN_VALUE || rtt > e) {
            next = rtt;
        } else {
            long elapsed = Math.max(0, nowNanos - at);
            double w = Math.exp(-(double) elapsed / decayNanos);
            next = e * w + rtt * (1 - w);
        }
        estimate.set(Double.doubleToRawLongBits(next));
        stamp.set(nowNanos);
    }
}
