package dev.mcphealth.domain.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The limiter's floor and ceiling from an instance's best concurrency, and whether the configured ones fit it. */
class LimitAdviceTest {
    private static CapacityModel.Estimate fitted(CapacityModel.Fit fit) {
        double peak = fit.peak().orElseThrow();
        return new CapacityModel.Estimate(300, 3, peak * 0.9, Optional.of(fit), OptionalDouble.of(peak),
                OptionalDouble.of(peak * 0.9), OptionalDouble.of(peak * 1.1), Optional.empty());
    }

    @Test
    void aQueueOfFourWorkersWantsAboutFourCallsInFlight() {
        LimitAdvice a = LimitAdvice.of(fitted(new CapacityModel.Queue(4, 0.25)),
                new LimitAdvice.Range(20, 200)).orElseThrow();
        assertEquals(List.of(2, 4, 5), List.of(a.min(), a.initial(), a.max()));
        assertTrue(a.change(), "20..200 lets four times the useful calls in before the limiter can bring it down");
        assertEquals("set health.concurrencyLimit to min 2, initial 4, max 5", a.proposal());
        assertEquals("an instance serves the most with about 4.0 calls in flight (a queue of 4 workers): past that its"
                + " calls wait inside it, none more served; the limiter lets 20..200 in", a.evidence());
    }

    @Test
    void aLimitInForceThatFitsIsLeftAlone() {
        LimitAdvice a = LimitAdvice.of(fitted(new CapacityModel.Queue(8, 0.1)),
                new LimitAdvice.Range(4, 12)).orElseThrow();
        assertEquals(10, a.max());
        assertFalse(a.change());
        assertEquals("the concurrency limit in force fits", a.proposal());
    }

    @Test
    void theUslPeakIsWhereItServesMost() {
        // X(N) = 100 N / (1 + 0.05 (N - 1) + 0.01 N (N - 1)): the peak at sqrt(0.95 / 0.01) = 9.7 in flight
        CapacityModel.Usl usl = new CapacityModel.Usl(100, 0.05, 0.01);
        assertEquals(Math.sqrt(95), usl.concurrency().getAsDouble(), 1e-9);
        LimitAdvice a = LimitAdvice.of(fitted(usl), new LimitAdvice.Unknown()).orElseThrow();
        assertEquals(List.of(4, 10, 13), List.of(a.min(), a.initial(), a.max()));
        assertTrue(a.change(), "nothing known of the limit in force");
        assertEquals("health.concurrencyLimit fits it at min 4, initial 10, max 13 (the limit in force is not known"
                + " here)", a.proposal());
    }

    @Test
    void noBestConcurrencyNoAdvice() {
        CapacityModel.Usl growing = new CapacityModel.Usl(100, 0.2, 0);
        assertTrue(growing.concurrency().isEmpty());
        assertEquals(Optional.empty(), LimitAdvice.of(fitted(growing), new LimitAdvice.Unknown()));
        assertEquals(Optional.empty(), LimitAdvice.of(new CapacityModel.Estimate(10, 1, 3, Optional.empty(),
                OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(), Optional.of("too little")),
                new LimitAdvice.Unknown()));
    }

    @Test
    void aLimitBelowTheBestConcurrencyOrNoneAtAllIsSaidAndAFarPeakIsNoAdvice() {
        LimitAdvice tooLow = LimitAdvice.of(fitted(new CapacityModel.Queue(50, 0.5)), new LimitAdvice.Range(1, 2))
                .orElseThrow();
        assertTrue(tooLow.change(), "a ceiling of 2 where 50 serve best");
        LimitAdvice off = LimitAdvice.of(fitted(new CapacityModel.Queue(4, 0.25)), new LimitAdvice.Off())
                .orElseThrow();
        assertEquals("turn health.concurrencyLimit on at min 2, initial 4, max 5", off.proposal());
        assertTrue(off.evidence().endsWith("; the limiter is off"), off.evidence());
        // almost no coherency cost: the peak at sqrt(0.9 / 1e-9), about 30,000 in flight
        assertEquals(Optional.empty(), LimitAdvice.of(fitted(new CapacityModel.Usl(1, 0.1, 1e-9)),
                new LimitAdvice.Range(20, 200)));
    }
}
