package dev.mcphealth.domain.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InstanceLoadTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;

    @Test
    void aSlowerAnswerIsTakenAtOnceAndAFasterOnePullsTheEstimateDownByHowLongAgo() {
        InstanceLoad load = new InstanceLoad();
        load.started();
        load.answered(0, 10 * MS);
        assertEquals(10 * MS, load.latencyNanos(0), 1);

        load.started();
        load.answered(1 * MS, 100 * MS);
        assertEquals(100 * MS, load.latencyNanos(1 * MS), 1, "the peak: a slower answer replaces the estimate");

        load.started();
        load.answered(1 * MS + 10 * S, 10 * MS);
        // 10 s later: the estimate as it was set (100) and the new sample (10), weighted e^-1 and 1 - e^-1
        double w = Math.exp(-1);
        assertEquals(100 * MS * w + 10 * MS * (1 - w), load.latencyNanos(1 * MS + 10 * S), 1e3);
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
