package dev.mcphealth.domain.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.StandbyPhase;
import dev.mcphealth.domain.model.StandbyTransition;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * When standby instances are warmed and cooled: the pool's failover, the surge hours its profile has learned (warmed
 * {@link Prewarm#LEAD} ahead, cooled after {@link Prewarm#STAY}), in configuration order, never an instance that is
 * down. A simulated week on a learned profile shows what the standby instances cost and what they cover.
 */
class PrewarmTest {
    private static final ZoneId UTC = ZoneOffset.UTC;
    /** A Monday 00:00 UTC. */
    private static final Instant MONDAY = Instant.parse("2026-11-23T00:00:00Z");
    private static final Duration MINUTE = Duration.ofMinutes(1);
    /** Monday 11:00: the surge hour of {@link #learned}. */
    private static final int SURGE_HOUR = 11;

    private static ServerId id(String name) {
        return ServerId.of(name);
    }

    /**
     * A week learned at 10 calls a minute (Poisson noise) every hour but Monday 11:00, which brings {@code surge}
     * calls a minute, and nights (00:00-06:00) that are idle.
     */
    static UsageProfile learned(double surge, int weeks) {
        UsageProfile p = new UsageProfile();
        Random random = new Random(7);
        for (int m = 0; m < weeks * 7 * 24 * 60; m++) {
            Instant t = MONDAY.minus(Duration.ofDays(7L * weeks)).plus(MINUTE.multipliedBy(m));
            int hour = HourOfWeek.of(t, UTC).index();
            double rate = hour == SURGE_HOUR ? surge : hour % 24 < 6 ? 0 : 10;
            double calls = rate == 0 ? 0 : Math.max(0, Math.round(rate + Math.sqrt(rate) * random.nextGaussian()));
            p.observe(t, UTC, new UsageProfile.Minute(calls, 0, OptionalDouble.of(20), OptionalDouble.of(40)));
        }
        return p;
    }

    private static Prewarm.Standby cold(String name, Instant since) {
        return new Prewarm.Standby(id(name), StandbyPhase.COLD, since, Optional.empty(), false);
    }

    private static Prewarm.Standby warm(String name, Instant since, HealthStatus status) {
        return new Prewarm.Standby(id(name), StandbyPhase.WARM, since, Optional.of(status), false);
    }

    @Property(tries = 20)
    void betweenAllowsExactlyThePairsOfTheTable(@ForAll StandbyPhase from, @ForAll StandbyPhase to) {
        boolean listed = Arrays.stream(StandbyTransition.values()).anyMatch(t -> t.from() == from && t.to() == to);
        if (listed) {
            assertEquals(to, StandbyTransition.between(from, to).to());
        } else {
            assertThrows(IllegalStateException.class, () -> StandbyTransition.between(from, to));
        }
    }

    @Test
    void everyPhaseIsReachedFromColdAndLeadsBackToIt() {
        assertTrue(StandbyTransition.find(StandbyPhase.COLD, StandbyPhase.WARMING).isPresent());
        assertTrue(StandbyTransition.find(StandbyPhase.WARMING, StandbyPhase.WARM).isPresent());
        assertTrue(StandbyTransition.find(StandbyPhase.COLD, StandbyPhase.WARM).isEmpty(),
                "never in service before a probe saw it");
        for (StandbyPhase p : StandbyPhase.values()) {
            if (p != StandbyPhase.COLD) {
                assertTrue(StandbyTransition.find(p, StandbyPhase.COLD).isPresent(), p + " can be cooled");
            }
        }
    }

    @Test
    void withoutAProfileAStandbyInstanceIsWarmedOnlyWhenNoActiveInstanceIsUsable() {
        Prewarm.Pool fine = new Prewarm.Pool(1, true, List.of(cold("b", MONDAY)));
        assertEquals(List.of(), Prewarm.steps(fine, Optional.empty(), MONDAY, UTC));
        Prewarm.Pool down = new Prewarm.Pool(1, false, List.of(cold("b", MONDAY), cold("c", MONDAY)));
        List<Prewarm.Step> steps = Prewarm.steps(down, Optional.empty(), MONDAY, UTC);
        assertEquals(List.of(new Prewarm.Step(id("b"), StandbyTransition.WARM_UP,
                "no active instance of the pool is usable")), steps, "one, the first configured");
    }

    @Test
    void aWarmingInstanceGoesIntoServiceOnceAProbeSawItUsableAndNotBefore() {
        Prewarm.Pool notYet = new Prewarm.Pool(1, false, List.of(new Prewarm.Standby(id("b"),
                StandbyPhase.WARMING, MONDAY, Optional.empty(), false)));
        assertEquals(List.of(), Prewarm.steps(notYet, Optional.empty(), MONDAY, UTC), "no probe yet");
        Prewarm.Pool failing = new Prewarm.Pool(1, false, List.of(new Prewarm.Standby(id("b"),
                StandbyPhase.WARMING, MONDAY, Optional.of(HealthStatus.OFFLINE), true)));
        assertEquals(List.of(), Prewarm.steps(failing, Optional.empty(), MONDAY, UTC), "seen down");
        Prewarm.Pool seen = new Prewarm.Pool(1, false, List.of(new Prewarm.Standby(id("b"),
                StandbyPhase.WARMING, MONDAY, Optional.of(HealthStatus.HEALTHY), false)));
        assertEquals(List.of(new Prewarm.Step(id("b"), StandbyTransition.READY, "a probe saw it healthy")),
                Prewarm.steps(seen, Optional.empty(), MONDAY, UTC));
    }

    @Test
    void aSurgeHourIsWarmedForItsLeadAheadAndThroughAndCooledAfterItsStay() {
        UsageProfile p = learned(40, 1);
        Instant surge = MONDAY.plus(Duration.ofHours(SURGE_HOUR));
        Prewarm.Pool pool = new Prewarm.Pool(1, true, List.of(cold("b", MONDAY)));
        assertEquals(0, Prewarm.wanted(pool, Optional.of(p), surge.minus(Prewarm.LEAD).minusSeconds(1), UTC)
                .instances(), "not before its lead");
        Prewarm.Want ahead = Prewarm.wanted(pool, Optional.of(p), surge.minus(Prewarm.LEAD), UTC);
        assertEquals(1, ahead.instances());
        assertTrue(ahead.reason().startsWith("ahead: Mon 11:00 usually brings 4."), ahead.reason());
        assertTrue(ahead.reason().matches(".*against (9\\.9|10\\.0|10\\.1)\\)"),
                "the typical busy hour, idle nights left out: " + ahead.reason());
        assertEquals(1, Prewarm.wanted(pool, Optional.of(p), surge.plus(Duration.ofMinutes(59)), UTC).instances());
        assertEquals(0, Prewarm.wanted(pool, Optional.of(p), surge.plus(Duration.ofHours(1)), UTC).instances());

        Instant warmedAt = surge.minus(Prewarm.LEAD);
        Instant after = surge.plus(Duration.ofHours(1));
        Prewarm.Pool served = new Prewarm.Pool(1, true, List.of(warm("b", warmedAt, HealthStatus.HEALTHY)));
        assertEquals(List.of(new Prewarm.Step(id("b"), StandbyTransition.COOL, "no longer wanted")),
                Prewarm.steps(served, Optional.of(p), after, UTC));
        Prewarm.Pool justWarmed = new Prewarm.Pool(1, true, List.of(warm("b", after.minus(Prewarm.STAY)
                .plusSeconds(1), HealthStatus.HEALTHY)));
        assertEquals(List.of(), Prewarm.steps(justWarmed, Optional.of(p), after, UTC), "in service for its stay");
        Prewarm.Pool down = new Prewarm.Pool(1, true, List.of(warm("b", warmedAt, HealthStatus.CRITICAL)));
        assertEquals(List.of(), Prewarm.steps(down, Optional.of(p), after, UTC),
                "one that is down is not cooled: its outage ends as any other's");
    }

    @Test
    void aSurgeWarmsAsManyAsTheActiveInstancesNeedAtItsRatioInConfigurationOrderAndCoolsInReverse() {
        UsageProfile p = learned(25, 1); // 2.5x
        Instant surge = MONDAY.plus(Duration.ofHours(SURGE_HOUR));
        List<Prewarm.Standby> three = List.of(cold("c", MONDAY), cold("d", MONDAY), cold("e", MONDAY));
        List<Prewarm.Step> steps = Prewarm.steps(new Prewarm.Pool(2, true, three), Optional.of(p), surge, UTC);
        assertEquals(List.of(id("c"), id("d"), id("e")), steps.stream().map(Prewarm.Step::server).toList(),
                "2 active x 2.5 = 5 instances: 3 more");
        steps = Prewarm.steps(new Prewarm.Pool(1, true, three), Optional.of(p), surge, UTC);
        assertEquals(List.of(id("c"), id("d")), steps.stream().map(Prewarm.Step::server).toList(),
                "1 active x 2.5 = 3 instances: 2 more");
        Instant after = surge.plus(Duration.ofHours(2));
        List<Prewarm.Standby> served = List.of(warm("c", surge, HealthStatus.HEALTHY),
                warm("d", surge, HealthStatus.HEALTHY), cold("e", MONDAY));
        assertEquals(List.of(id("d"), id("c")), Prewarm.steps(new Prewarm.Pool(1, true, served), Optional.of(p),
                after, UTC).stream().map(Prewarm.Step::server).toList(), "the last warmed is cooled first");
    }

    @Test
    void anHourLearnedFromTooFewOfItsOwnMinutesOrBelowTheLeastRateIsNoSurge() {
        UsageProfile quiet = learned(1.5, 1); // hours of 0 and 10 a minute; the surge hour below the typical
        Instant surge = MONDAY.plus(Duration.ofHours(SURGE_HOUR));
        Prewarm.Pool pool = new Prewarm.Pool(1, true, List.of(cold("b", MONDAY)));
        assertEquals(0, Prewarm.wanted(pool, Optional.of(quiet), surge, UTC).instances());
        UsageProfile young = new UsageProfile();
        for (int m = 0; m < 20; m++) { // 20 minutes of the surge hour only: it leans on the hours around it
            young.observe(surge.minus(Duration.ofDays(7)).plus(MINUTE.multipliedBy(m)), UTC,
                    new UsageProfile.Minute(40, 0, OptionalDouble.empty(), OptionalDouble.empty()));
        }
        assertEquals(0, Prewarm.wanted(pool, Optional.of(young), surge, UTC).instances());
    }

    /**
     * A simulated week, minute by minute, of a pool with one active instance and one standby on a profile learned
     * over 3 weeks: the standby is in service through every minute of the surge hour (from its lead) and for how long
     * in all; no warm-up outside it.
     */
    @Test
    void aSimulatedWeekKeepsTheStandbyThroughEverySurgeMinuteAndCostsLittleElse() {
        UsageProfile p = learned(40, 3);
        Prewarm.Standby b = cold("b", MONDAY.minus(Duration.ofDays(1)));
        long inService = 0;
        long surgeMinutesCovered = 0;
        List<String> changes = new ArrayList<>();
        for (int m = 0; m < 7 * 24 * 60; m++) {
            Instant t = MONDAY.plus(MINUTE.multipliedBy(m));
            for (Prewarm.Step s : Prewarm.steps(new Prewarm.Pool(1, true, List.of(b)), Optional.of(p), t, UTC)) {
                StandbyPhase to = s.change().to();
                b = new Prewarm.Standby(b.id(), to, t, to == StandbyPhase.COLD ? Optional.empty()
                        : Optional.of(HealthStatus.HEALTHY), false);
                changes.add(HourOfWeek.of(t, UTC).label() + " " + s.change().code());
            }
            if (b.phase() != StandbyPhase.COLD) {
                inService++;
                if (HourOfWeek.of(t, UTC).index() == SURGE_HOUR) {
                    surgeMinutesCovered++;
                }
            }
            if (b.phase() == StandbyPhase.WARMING) { // its first probe: in service from the next minute
                b = new Prewarm.Standby(b.id(), b.phase(), b.since(), Optional.of(HealthStatus.HEALTHY), false);
            }
        }
        assertEquals(60, surgeMinutesCovered, "every minute of the surge hour");
        assertEquals(List.of("Mon 10:00 warm_up", "Mon 10:00 ready", "Mon 12:00 cool"), changes);
        assertEquals(Prewarm.LEAD.toMinutes() + 60, inService, "its lead and the hour, nothing else");
    }

    @Test
    void aStandbySeenDownServesNobodySoTheNextIsWarmedAndItIsNotCooledWhileDown() {
        Prewarm.Standby broken = new Prewarm.Standby(id("b"), StandbyPhase.WARMING, MONDAY,
                Optional.of(HealthStatus.OFFLINE), true);
        List<Prewarm.Step> steps = Prewarm.steps(new Prewarm.Pool(1, false, List.of(broken, cold("c", MONDAY))),
                Optional.empty(), MONDAY.plus(Duration.ofHours(1)), UTC);
        assertEquals(List.of(new Prewarm.Step(id("c"), StandbyTransition.WARM_UP,
                "no active instance of the pool is usable")), steps, "c in b's place; b left to its recovery");
        Prewarm.Standby back = new Prewarm.Standby(id("b"), StandbyPhase.WARM, MONDAY,
                Optional.of(HealthStatus.HEALTHY), true);
        assertEquals(List.of(), Prewarm.steps(new Prewarm.Pool(1, true, List.of(back)), Optional.empty(),
                MONDAY.plus(Duration.ofHours(1)), UTC), "not cooled while its recovery episode is still open");
    }

    @Test
    void aProfileOfNonFiniteRatesWarmsNothing() {
        UsageProfile odd = UsageProfile.restore(List.of(new UsageProfile.Cell(192,
                dev.mcphealth.domain.model.UsageFigure.RATE, 5000, 1e300, 0.1)));
        Prewarm.Pool pool = new Prewarm.Pool(1, true, List.of(cold("b", MONDAY)));
        assertEquals(0, Prewarm.wanted(pool, Optional.of(odd), MONDAY, UTC).instances());
    }

    @Test
    void aStandbyIsCooledOnlyOnceThePoolHasNotWantedItForTheStay() {
        Instant back = MONDAY.plus(Duration.ofHours(2));
        Prewarm.Standby b = warm("b", MONDAY, HealthStatus.HEALTHY); // in service for 2 hours: its own stay is over
        Prewarm.Pool justBack = new Prewarm.Pool(1, true, List.of(b), back);
        assertEquals(List.of(), Prewarm.steps(justBack, Optional.empty(), back.plus(Prewarm.STAY).minusSeconds(1),
                UTC), "the pool wanted it until a moment ago (its active instance was down)");
        assertEquals(List.of(new Prewarm.Step(id("b"), StandbyTransition.COOL, "no longer wanted")),
                Prewarm.steps(justBack, Optional.empty(), back.plus(Prewarm.STAY), UTC));
        assertEquals(1, justBack.serving());
    }
}
