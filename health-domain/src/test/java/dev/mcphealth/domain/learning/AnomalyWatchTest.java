package dev.mcphealth.domain.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.learning.AnomalyWatch.Change;
import dev.mcphealth.domain.learning.AnomalyWatch.Raised;
import dev.mcphealth.domain.learning.UsageProfile.Minute;
import dev.mcphealth.domain.model.UsageFigure;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** One profile's minutes watched against its week: a surge raised once, resolved when back; a young hour says nothing. */
class AnomalyWatchTest {
    private static final Instant MONDAY = Instant.parse("2026-11-30T00:00:00Z");
    private static final Duration MINUTE = Duration.ofMinutes(1);

    /** 20 calls a minute (Poisson), 100 ms, 1 % failing, every hour alike. */
    private static Minute usual(SplittableRandom random) {
        int calls = UsageProfileTest.poisson(20, random);
        int failed = random.nextDouble() < 0.2 ? 1 : 0;
        return new Minute(calls, Math.min(failed, calls), OptionalDouble.of(100 * Math.exp(0.05
                * UsageProfileTest.gaussian(random))), OptionalDouble.of(250));
    }

    @Test
    void aSurgeIsRaisedOnceWithinMinutesAndResolvedWhenTheRateIsBack() {
        SplittableRandom random = new SplittableRandom(5);
        UsageProfile profile = new UsageProfile();
        AnomalyWatch watch = new AnomalyWatch();
        List<Change> changes = new ArrayList<>();
        Instant t = MONDAY;
        for (int i = 0; i < 7 * 1440; i++, t = t.plus(MINUTE)) { // a week: each hour seen 60 minutes
            Minute m = usual(random);
            changes.addAll(watch.minute(t, ZoneOffset.UTC, m, profile));
            profile.observe(t, ZoneOffset.UTC, m, watch.quarantined(t));
        }
        assertEquals(List.of(), changes.stream().filter(c -> c.figure() == UsageFigure.RATE).toList(),
                "a steady week raises nothing once its hours are known");
        changes.clear();
        Instant surge = t;
        for (int i = 0; i < 30; i++, t = t.plus(MINUTE)) { // three times the calls for half an hour
            Minute m = new Minute(UsageProfileTest.poisson(60, random), 0, OptionalDouble.of(100),
                    OptionalDouble.of(250));
            changes.addAll(watch.minute(t, ZoneOffset.UTC, m, profile));
            assertTrue(watch.quarantined(t).contains(UsageFigure.RATE) || i == 0, "the surge is not learned as the norm");
            profile.observe(t, ZoneOffset.UTC, m, watch.quarantined(t));
        }
        for (int i = 0; i < 30; i++, t = t.plus(MINUTE)) {
            Minute m = usual(random);
            changes.addAll(watch.minute(t, ZoneOffset.UTC, m, profile));
            profile.observe(t, ZoneOffset.UTC, m, watch.quarantined(t));
        }
        List<Change> rate = changes.stream().filter(c -> c.figure() == UsageFigure.RATE).toList();
        assertEquals(2, rate.size(), "one episode: raised, then resolved: " + rate);
        Raised raised = assertInstanceOf(Raised.class, rate.get(0));
        assertTrue(!raised.at().isAfter(surge.plus(Duration.ofMinutes(1))), "within its first two minutes: " + raised);
        assertTrue(raised.high() && raised.observed() > 40 && raised.expected().expected() < 25, raised.toString());
        AnomalyWatch.Resolved back = assertInstanceOf(AnomalyWatch.Resolved.class, rate.get(1));
        assertTrue(back.at().isAfter(surge.plus(Duration.ofMinutes(30))), "resolved once back: " + back);
        assertEquals(List.of(), watch.open().stream().filter(r -> r.figure() == UsageFigure.RATE).toList());
    }

    @Test
    void anHourSeenTooLittleRaisesNothing() {
        UsageProfile profile = new UsageProfile();
        AnomalyWatch watch = new AnomalyWatch();
        Instant t = MONDAY;
        for (int i = 0; i < 20; i++, t = t.plus(MINUTE)) {
            profile.observe(t, ZoneOffset.UTC, new Minute(20, 0, OptionalDouble.of(100), OptionalDouble.of(250)));
        }
        List<Change> changes = new ArrayList<>();
        for (int i = 0; i < 5; i++, t = t.plus(MINUTE)) {
            changes.addAll(watch.minute(t, ZoneOffset.UTC, new Minute(500, 400, OptionalDouble.of(5000),
                    OptionalDouble.of(9000)), profile));
        }
        assertEquals(List.of(), changes, "20 minutes of this hour: too few to call anything unusual");
        assertEquals(Set.of(), watch.quarantined(t));
    }

    @Test
    void aCountsScoreIsItsPoissonTailAsANormalDeviate() {
        assertEquals(4.7, PoissonScore.z(3, 0.02), 0.2, "3 failures where 0.02 were expected");
        assertEquals(0, PoissonScore.z(5, 5), 1e-9);
        assertTrue(PoissonScore.z(0, 20) < -4, "no call where 20 were expected");
        double exact = PoissonScore.z(80, 59.9);
        double approximate = PoissonScore.z(80, 60.1);
        assertEquals(exact, approximate, 0.15, "the exact tail and the square root meet where one hands over");
    }
}
