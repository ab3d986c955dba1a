package dev.mcphealth.domain.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InstanceLoadTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;

    @Test
    void aSlowerAnswerMovesTheEstimateHalfwayAtOnceAndAFasterOnePullsItDownByHowLongAgo() {
        InstanceLoad load = new InstanceLoad();
        load.started();
        load.answered(0, 10 * MS);
        assertEquals(10 * MS, load.latencyNanos(0), 1, "the first answer is the estimate");

        load.started();
        load.answered(1 * MS, 100 * MS);
        assertEquals(55 * MS, load.latencyNanos(1 * MS), 1, "the peak: a slower answer moves it halfway at once");
        load.started();
        load.answered(1 * MS, 100 * MS);
        assertEquals(77.5 * MS, load.latencyNanos(1 * MS), 1, "a second one: three quarters of the way");

        load.started();
        load.answered(1 * MS + 10 * S, 10 * MS);
        // 10 s later: the estimate as it was set (77.5) and the new sample (10), weighted e^-1 and 1 - e^-1
        double w = Math.exp(-1);
        assertEquals(77.5 * MS * w + 10 * MS * (1 - w), load.latencyNanos(1 * MS + 10 * S), 1e3);
    }

    @Test
    void atAThousandCallsASecondOneSlowAnswerIsForgottenWithinAHundredAnswersNotTenSeconds() {
        InstanceLoad load = new InstanceLoad();
        long t = 0;
        for (int i = 0; i < 100; i++) {
            load.answered(t += MS, 2 * MS);
        }
        load.answered(t += MS, 10 * MS); // one pause
        assertEquals(6 * MS, load.latencyNanos(t), 0.1 * MS, "the peak, halfway at once");
        for (int i = 0; i < 64; i++) {
            load.answered(t += MS, 2 * MS);
        }
        assertTrue(load.latencyNanos(t) < 3.1 * MS, "64 answers (64 ms) later: " + load.latencyNanos(t) / MS);
        // by time alone (Finagle's weight exp(-1 ms / 10 s) an answer) it would still be above 9.9 ms
    }

    @Test
    void aCallStoppedWithoutAnAnswerRaisesTheEstimateToItsTimeButNeverLowersIt() {
        InstanceLoad load = new InstanceLoad();
        load.started();
        load.answered(0, 2 * MS);
        load.started();
        load.lasted(MS, 40 * MS); // a losing hedge copy, stopped after 40 ms
        assertEquals(40 * MS, load.latencyNanos(MS), 1, "it took at least 40 ms");
        assertEquals(0, load.inFlight());
        load.started();
        load.lasted(2 * MS, 1 * MS); // cancelled by its caller at once
        assertEquals(40 * MS, load.latencyNanos(2 * MS), 1e5, "a lower bound below the estimate says nothing");
    }

    @Test
    void withoutAnswersTheEstimateDecaysSoAnAvoidedInstanceIsTriedAgain() {
        InstanceLoad load = new InstanceLoad();
        load.started();
        load.answered(0, 50 * MS);

        assertEquals(50 * MS * Math.exp(-3), load.latencyNanos(30 * S), 1e3);
        assertTrue(load.cost(60 * S) < 1 * MS, "a minute later it looks cheaper than a 1 ms instance");
    }

    @Test
    void aFailureCostsAtLeastThePenaltyEvenWhenItFailedFast() {
        InstanceLoad load = new InstanceLoad();
        load.started();
        load.answered(0, 1 * MS);
        load.started();
        load.failed(0, 2 * MS);

        assertEquals(InstanceLoad.DEFAULT_PENALTY_NANOS, load.latencyNanos(0), 1);
        assertTrue(load.latencyNanos(47 * S) < 50 * MS, "below 50 ms after 47 s");
    }

    @Test
    void theCostIsTheEstimateTimesTheCallsInFlightPlusOne() {
        InstanceLoad load = new InstanceLoad();
        load.started();
        load.answered(0, 4 * MS);
        load.started();
        load.started();

        assertEquals(2, load.inFlight());
        assertEquals(12.0 * MS, load.cost(0), 1);
    }

    /** {@code calls} answered calls, each sent with {@code k} (0..3, in turn) out and taking {@code rtt(k)}. */
    private static InstanceLoad fitted(int calls, java.util.function.IntToLongFunction rtt) {
        InstanceLoad load = new InstanceLoad();
        for (int i = 0; i < calls; i++) {
            int k = i % 4;
            load.answered(i * MS, rtt.applyAsLong(k), k);
        }
        return load;
    }

    @Test
    void anInstanceServingCallsSideBySideIsNotChargedForItsCallsInFlight() {
        InstanceLoad parallel = fitted(200, k -> 10 * MS); // as fast with three out as with none
        assertEquals(0.0, parallel.queueing(), 0.01);
        parallel.started();
        parallel.started();
        parallel.started();
        assertEquals(10.0 * MS, parallel.cost(200 * MS), 0.1 * MS, "three out cost it nothing more");
    }

    @Test
    void anInstanceServingOneCallAtATimeIsChargedForEachCallInFlight() {
        InstanceLoad serial = fitted(200, k -> 10 * MS * (k + 1)); // each call waits for those before it
        assertEquals(1.0, serial.queueing(), 0.01);
        InstanceLoad halfway = fitted(200, k -> 10 * MS + 5 * MS * k); // two slots: half of a call's time each
        assertEquals(0.5, halfway.queueing(), 0.01);
    }

    @Test
    void untilItsCallsSpreadOverInFlightCountsAnInstanceIsTakenToQueue() {
        assertEquals(1.0, fitted(10, k -> 10 * MS).queueing(), "too few calls");
        InstanceLoad oneAtATime = new InstanceLoad();
        for (int i = 0; i < 200; i++) {
            oneAtATime.answered(i * MS, 10 * MS, 0); // never more than one out: nothing to fit a slope to
        }
        assertEquals(1.0, oneAtATime.queueing());
        oneAtATime.started();
        oneAtATime.started();
        assertEquals(30.0 * MS, oneAtATime.cost(200 * MS), 0.1 * MS, "Finagle's estimate x (in flight + 1)");
    }

    @Test
    void anInstanceNeverMeasuredIsFreeWhileIdleAndCostsThePenaltyOnceCallsAreOut() {
        InstanceLoad load = new InstanceLoad();
        assertEquals(0.0, load.cost(0));

        load.started();
        assertEquals((double) InstanceLoad.DEFAULT_PENALTY_NANOS, load.cost(0));
    }

    @Test
    void anInstanceMeasuredAtNothingIsMeasuredNotUnknown() {
        InstanceLoad load = new InstanceLoad();
        load.started();
        load.answered(0, 0);
        load.started();

        assertEquals(0.0, load.cost(0), "measured at 0 ns: free, not the unmeasured penalty");
        assertEquals(1, load.calls() - 1);
    }

    @Test
    void callsInFlightNeverGoBelowNothing() {
        InstanceLoad load = new InstanceLoad();
        load.abandoned();
        load.answered(0, 1 * MS);
        assertEquals(0, load.inFlight());
        load.started();
        assertEquals(1, load.inFlight());
    }

    @Test
    void aDecayOrPenaltyThatIsNotPositiveIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new InstanceLoad(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new InstanceLoad(1, -1));
    }
}
