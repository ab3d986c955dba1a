package dev.mcphealth.domain.routing;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How loaded one instance looks to the balancer: a peak-EWMA of its round-trip times and its calls in flight, as
 * Finagle's and Linkerd's balancers keep them. A slower answer than the estimate moves it halfway there at once (the
 * peak; Finagle's takes it whole, see {@link #answered}); a
 * faster one pulls it down by how long ago the last one came (weight {@code exp(-elapsed / decay)}) and by at least
 * 1/{@value #PULL_ANSWERS} of the gap, and with no answers it decays towards nothing, so an instance avoided for a while is tried again. A failed call counts as a
 * round trip of at least the failure penalty, taken whole, so an instance that fails fast does not look fast.
 *
 * <p>The cost of a choice is the estimate x (1 + q x in flight), q the instance's queueing: how much of a call's time
 * each call already out to it adds, learned from its answered calls (a weighted least-squares fit of round trip over
 * calls in flight at the start, {@code rtt = a + b x inFlight}; q = b / a, from 0 to 1). An instance that serves
 * calls side by side without slowing has q near 0 and is not passed over for its calls in flight; one that serves
 * them one at a time has q near 1: Finagle's and Linkerd's estimate x (in flight + 1), which is also what an
 * instance gets until its calls have spread over enough in-flight counts to fit. An instance never measured costs
 * nothing while idle (it is tried, and measured) and the penalty while calls are out to it. Lock-free, without
 * allocation: each call is one {@link #started} and one {@link #answered} or {@link #failed}; two racing updates of the
 * fit may lose a sample or mix two, which the fit's bounds absorb. Times are nanoseconds on the caller's time line.
 */
public final class InstanceLoad {
    /** How fast the estimate forgets: Finagle's and Linkerd's 10 s. */
    public static final long DEFAULT_DECAY_NANOS = 10_000_000_000L;
    /**
     * What a failure costs at least: 5 s, the order of a slow call, so that a failing instance is avoided for about
     * a minute (5 s decays below 50 ms in 47 s) unless the others are as bad.
     */
    public static final long DEFAULT_PENALTY_NANOS = 5_000_000_000L;

    /**
     * A faster answer than the estimate pulls it down by at least 1/16 of the gap, however soon it came: 32 answers
     * after one spike the estimate is within 13 % of the gap above the typical time. Without it, at a thousand calls
     * a second, one slow answer (a pause, a scheduling hiccup) held a fast instance's estimate up for seconds, and its
     * calls went to a slower one meanwhile. At a call a second or fewer the time decay is the faster: as Finagle's.
     */
    static final int PULL_ANSWERS = 16;

    private final long decayNanos;
    private final long penaltyNanos;
    /** The estimate (a double's bits) and when it was last updated: one 128-bit state kept as two, see update. */
    private final AtomicLong estimate = new AtomicLong(Double.doubleToRawLongBits(0.0));
    private final AtomicLong stamp = new AtomicLong(Long.MIN_VALUE);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong calls = new AtomicLong();
    /** The queueing fit's weighted sums (doubles' bits): weight, x, y, x², xy; x in flight, y round trip (ms). */
    private final AtomicLong fitW = new AtomicLong(Double.doubleToRawLongBits(0.0));
    private final AtomicLong fitX = new AtomicLong(Double.doubleToRawLongBits(0.0));
    private final AtomicLong fitY = new AtomicLong(Double.doubleToRawLongBits(0.0));
    private final AtomicLong fitXx = new AtomicLong(Double.doubleToRawLongBits(0.0));
    private final AtomicLong fitXy = new AtomicLong(Double.doubleToRawLongBits(0.0));
    private final AtomicLong fitStamp = new AtomicLong(Long.MIN_VALUE);
    /** Samples (in decayed weight) the fit needs before it is used. */
    static final double FIT_MIN_WEIGHT = 20;
    /** The spread of in-flight counts (their variance) the fit needs before its slope is believed. */
    static final double FIT_MIN_SPREAD = 0.2;

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

    /** A call goes out to it: how many were out to it before this one (to give back to {@link #answered}). */
    public int started() {
        calls.incrementAndGet();
        return Math.max(0, inFlight.getAndIncrement());
    }

    /** The calls sent to it so far. */
    public long calls() {
        return calls.get();
    }

    /**
     * The call came back answered after {@code rttNanos}. Slower than the estimate, it moves the estimate halfway there:
     * one answer is weak evidence (a pause, a scheduling hiccup of the caller's host), and taken whole it sent the next
     * calls to an instance known to be slower (BalancingBench {@code slow}, 4 callers: 0.5-1.0 % of calls to the 5x
     * slower instance and a p99 of 1.2-2.5x the fast one's own; halfway: 0.4-0.5 % and 1.0-1.1x). An instance that
     * really became slower is followed within a few answers: 3/4 of the way after two, 94 % after four.
     */
    public void answered(long nowNanos, long rttNanos) {
        done();
        observe(nowNanos, Math.max(0, rttNanos), false);
    }

    /**
     * The call came back answered after {@code rttNanos}, sent when {@code inFlightAtStart} others were out to it
     * ({@link #started}): also a sample of how the instance's round trip moves with its calls in flight.
     */
    public void answered(long nowNanos, long rttNanos, int inFlightAtStart) {
        answered(nowNanos, rttNanos);
        fit(nowNanos, Math.max(0, inFlightAtStart), Math.max(0, rttNanos) / 1e6);
    }

    /** The call failed after {@code rttNanos}: it counts as at least the failure penalty. */
    public void failed(long nowNanos, long rttNanos) {
        done();
        observe(nowNanos, Math.max(rttNanos, penaltyNanos), true);
    }

    /**
     * The call was stopped after {@code rttNanos} without an answer (its caller cancelled it, or it was the losing copy
     * of a hedged call): the instance took at least that long, so an estimate below it rises to it; one above it stays.
     */
    public void lasted(long nowNanos, long rttNanos) {
        done();
        if (stamp.get() == Long.MIN_VALUE || rttNanos > latencyNanos(nowNanos)) {
            observe(nowNanos, Math.max(0, rttNanos), true);
        }
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

    /**
     * What sending it one more call costs: the estimate x (1 + queueing x in flight); see the class comment for an
     * unmeasured one.
     */
    public double cost(long nowNanos) {
        int pending = inFlight();
        if (stamp.get() == Long.MIN_VALUE) {
            return pending == 0 ? 0.0 : (double) penaltyNanos * pending;
        }
        return pending == 0 ? latencyNanos(nowNanos) : latencyNanos(nowNanos) * (1 + queueing() * pending);
    }

    /**
     * How much of a call's time each call already out to it adds, from 0 (it serves calls side by side without
     * slowing) to 1 (one at a time): the fit's slope over its intercept; 1 until the fit has enough calls, spread over
     * enough in-flight counts.
     */
    public double queueing() {
        double w = Double.longBitsToDouble(fitW.get());
        if (!(w >= FIT_MIN_WEIGHT)) {
            return 1.0;
        }
        double mx = Double.longBitsToDouble(fitX.get()) / w;
        double my = Double.longBitsToDouble(fitY.get()) / w;
        double vx = Double.longBitsToDouble(fitXx.get()) / w - mx * mx;
        if (!(vx >= FIT_MIN_SPREAD)) {
            return 1.0;
        }
        double b = (Double.longBitsToDouble(fitXy.get()) / w - mx * my) / vx;
        double a = my - b * mx;
        if (!(a > 0)) {
            return 1.0; // no time a call takes on its own: nothing to compare the slope with
        }
        double q = b / a;
        return q <= 0 ? 0.0 : Math.min(q, 1.0);
    }

    /** Adds one answered call to the fit, the older ones' weight decayed as the estimate's is. */
    private void fit(long nowNanos, int x, double yMs) {
        long at = fitStamp.get();
        double keep = at == Long.MIN_VALUE ? 0.0 : Math.exp(-(double) Math.max(0, nowNanos - at) / decayNanos);
        add(fitW, keep, 1.0);
        add(fitX, keep, x);
        add(fitY, keep, yMs);
        add(fitXx, keep, (double) x * x);
        add(fitXy, keep, x * yMs);
        fitStamp.set(nowNanos);
    }

    private static void add(AtomicLong sum, double keep, double sample) {
        sum.set(Double.doubleToRawLongBits(Double.longBitsToDouble(sum.get()) * keep + sample));
    }

    private void done() {
        inFlight.updateAndGet(n -> n > 0 ? n - 1 : 0);
    }

    /** {@code whole}: a slower sample replaces the estimate (a failure, a lower bound), else it moves it halfway. */
    private void observe(long nowNanos, long rtt, boolean whole) {
        // Finagle's update: a slower answer than the estimate replaces it (here: halfway, see answered); a faster one is
        // averaged with the estimate as it was last set, weighted by how long ago that was. Two racing updates may lose
        // one sample (even a peak), never corrupt the estimate: each write is a whole value.
        long at = stamp.get();
        double e = Double.longBitsToDouble(estimate.get());
        double next;
        if (at == Long.MIN_VALUE || (rtt > e && whole)) {
            next = rtt;
        } else if (rtt > e) {
            next = (e + rtt) / 2;
        } else {
            long elapsed = Math.max(0, nowNanos - at);
            // by time (Finagle's), but by at least 1/PULL_ANSWERS of the gap per answer: at a thousand calls a
            // second one slow answer would otherwise hold the estimate up for seconds (it decays with time only)
            double w = Math.min(Math.exp(-(double) elapsed / decayNanos), 1.0 - 1.0 / PULL_ANSWERS);
            next = e * w + rtt * (1 - w);
        }
        estimate.set(Double.doubleToRawLongBits(next));
        stamp.set(nowNanos);
    }
}
