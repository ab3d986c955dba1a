package dev.mcphealth.domain.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.routing.BreakerSettings;
import dev.mcphealth.domain.model.FailoverConfig;
import dev.mcphealth.domain.history.FailureAnalysis;
import dev.mcphealth.domain.model.FallbackStrategy;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.StatusSnapshot;
import dev.mcphealth.domain.model.Thresholds;
import dev.mcphealth.domain.model.TransportKind;
import dev.mcphealth.domain.tuning.TuningAdvice.Level;
import dev.mcphealth.domain.tuning.TuningAdvice.Recommendation;
import dev.mcphealth.domain.tuning.TuningAdvice.Setting;
import dev.mcphealth.domain.tuning.TuningAdvice.Target;
import dev.mcphealth.domain.tuning.TuningAdvice.Value;
import dev.mcphealth.domain.model.WindowStats;
import dev.mcphealth.domain.model.Uptime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class TuningAdvisorTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final Duration DAY = Duration.ofHours(24);
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Duration QUARTER = Duration.ofMinutes(15);

    /** A test data builder for one instance: healthy, 60 s interval, default breaker, 10 s timeout. */
    private static final class An {
        private String name = "alpha";
        private String type = "search";
        private Optional<ServerType> fallback = Optional.empty();
        private Duration timeout = Duration.ofSeconds(10);
        private Duration interval = Duration.ofSeconds(60);
        private BreakerSettings breaker = BreakerSettings.DEFAULTS;
        private Optional<List<WindowStats>> windows = Optional.of(List.of(window(HOUR, 3_600, 0, 3_600, 3_600, 200)));
        private Optional<FailureAnalysis.InstanceFailures> failures = Optional.empty();

        static An instance() {
            return new An();
        }

        An named(String name) {
            this.name = name;
            return this;
        }

        An ofType(String type) {
            this.type = type;
            return this;
        }

        An fallingBackTo(String type) {
            this.fallback = Optional.of(ServerType.of(type));
            return this;
        }

        An timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        An every(Duration interval) {
            this.interval = interval;
            return this;
        }

        An breaker(BreakerSettings breaker) {
            this.breaker = breaker;
            return this;
        }

        An windows(WindowStats... windows) {
            this.windows = Optional.of(List.of(windows));
            return this;
        }

        An noStatus() {
            this.windows = Optional.empty();
            return this;
        }

        An failed(int episodes, int open, Duration downtime) {
            this.failures = Optional.of(new FailureAnalysis.InstanceFailures(ServerId.of(name), ServerType.of(type),
                    episodes, open, downtime));
            return this;
        }

        TuningAdvisor.Instance build() {
            ServerType t = ServerType.of(type);
            FailoverConfig failover = new FailoverConfig(t,
                    fallback.isPresent() ? FallbackStrategy.ALTERNATIVE_SERVER : FallbackStrategy.GRACEFUL_DEGRADATION,
                    fallback, true, 3, Duration.ofSeconds(30), interval, Optional.empty());
            MonitoredServer server = new MonitoredServer(ServerId.of(name), t, TransportKind.STDIO, timeout,
                    Duration.ofSeconds(30), Thresholds.DEFAULTS, failover);
            Optional<StatusSnapshot> status = windows.map(w -> new StatusSnapshot(server.id(), t,
                    Optional.of(HealthStatus.HEALTHY), Optional.of(NOW.minus(DAY)), w, 10_000, 10_000, Uptime.NONE, 0.999,
                    Optional.empty(), Optional.empty(), NOW, Map.of()));
            return new TuningAdvisor.Instance(server, interval, status, breaker, failures);
        }
    }

    private static An instance() {
        return An.instance();
    }

    /** A window whose p50/p95 are below the p99 given in milliseconds. */
    private static WindowStats window(Duration length, long calls, long errors, long probes, long answered,
                                      long p99Millis) {
        return new WindowStats(length, calls, errors, probes, answered, Optional.of(Duration.ofMillis(p99Millis / 3)),
                Optional.of(Duration.ofMillis(p99Millis / 2)), Optional.of(Duration.ofMillis(p99Millis)));
    }

    private static TuningAdvice advise(Optional<Target> target, Level level, TuningAdvisor.Instance... instances) {
        return TuningAdvisor.advise(List.of(instances), DAY, target, level, NOW);
    }

    private static TuningAdvice general(TuningAdvisor.Instance... instances) {
        return advise(Optional.empty(), Level.BALANCED, instances);
    }

    private static List<Recommendation> of(TuningAdvice advice, Setting setting) {
        return advice.recommendations().stream().filter(r -> r.setting() == setting).toList();
    }

    private static Recommendation only(TuningAdvice advice, Setting setting) {
        List<Recommendation> found = of(advice, setting);
        assertEquals(1, found.size(), () -> setting + " in " + advice);
        return found.get(0);
    }

    private static Set<Setting> settings(TuningAdvice advice) {
        return advice.recommendations().stream().map(Recommendation::setting).collect(Collectors.toSet());
    }

    // ---- probe timeout --------------------------------------------------------------------------------------

    @Example
    void aTimeoutFarAboveTheP99IsLoweredToTheLevelsHeadroom() {
        TuningAdvisor.Instance fast = instance().timeout(Duration.ofSeconds(8))
                .windows(window(HOUR, 3_700, 0, 3_600, 3_600, 412)).build();

        Recommendation balanced = only(advise(Optional.of(Target.LATENCY), Level.BALANCED, fast),
                Setting.PROBE_TIMEOUT);
        assertEquals(ServerId.of("alpha"), balanced.server());
        assertEquals("8000", balanced.current());
        assertEquals("3000", balanced.proposed(), "5 x 412 ms = 2.06 s, rounded up to 3 s");
        assertEquals("p99 412 ms over 3,700 answered calls in 1 h, probes and real tool calls together: 3,600 of"
                + " 3,600 probes answered, 100 real tool calls; probe timeout 8 s", balanced.evidence());
        assertTrue(balanced.reason().contains("19x the observed p99"), balanced.reason());

        assertEquals("5000", only(advise(Optional.of(Target.LATENCY), Level.CONSERVATIVE, fast),
                Setting.PROBE_TIMEOUT).proposed(), "10 x 412 ms = 4.12 s, rounded up");
        assertEquals("2000", only(advise(Optional.of(Target.LATENCY), Level.AGGRESSIVE, fast),
                Setting.PROBE_TIMEOUT).proposed(), "3 x 412 ms = 1.236 s, rounded up");
        assertEquals(Optional.of(new Value.Time(Duration.ofSeconds(8))), balanced.currentValue());
        assertEquals(Optional.of(new Value.Time(Duration.ofSeconds(3))), balanced.proposedValue());
    }

    @Example
    void aTimeoutIsNeverLoweredBelowTheProbeFloorNorRaisedOnlyToReachIt() {
        TuningAdvisor.Instance veryFast = instance().timeout(Duration.ofSeconds(3))
                .windows(window(HOUR, 3_600, 0, 3_600, 3_600, 20)).build();

        Recommendation r = only(advise(Optional.empty(), Level.AGGRESSIVE, veryFast), Setting.PROBE_TIMEOUT);
        assertEquals("2000", r.proposed(), "3 x 20 ms would be 100 ms; a comprehensive probe also lists tools");
        assertEquals(TuningAdvisor.MIN_PROBE_TIMEOUT, Duration.ofSeconds(2));
        assertTrue(r.reason().contains("not below 2 s: at check depth comprehensive a probe also lists tools"),
                r.reason());

        TuningAdvisor.Instance setShort = instance().timeout(Duration.ofMillis(1_500))
                .windows(window(HOUR, 3_600, 0, 3_600, 3_600, 20)).build();
        assertEquals(List.of(), of(advise(Optional.empty(), Level.BALANCED, setShort), Setting.PROBE_TIMEOUT),
                "100 ms would do: the floor alone raises nothing");
    }

    @Example
    void aTimeoutCloseToTheP99IsRaised() {
        TuningAdvisor.Instance slow = instance().timeout(Duration.ofSeconds(9))
                .windows(window(HOUR, 3_600, 0, 3_600, 3_600, 4_200)).build();

        Recommendation r = only(advise(Optional.of(Target.RELIABILITY), Level.BALANCED, slow), Setting.PROBE_TIMEOUT);
        assertEquals("9000", r.current());
        assertEquals("25000", r.proposed(), "5 x 4.2 s = 21 s, rounded up to 5 s steps");
        assertTrue(r.reason().contains("slow answers count as timeouts"), r.reason());
    }

    @Example
    void oneProposalMovesAProbeTimeoutAtMostTheLevelsReach() {
        TuningAdvisor.Instance veryFast = instance().windows(window(HOUR, 3_600, 0, 3_600, 3_600, 20)).build();

        Recommendation conservative = only(advise(Optional.empty(), Level.CONSERVATIVE, veryFast),
                Setting.PROBE_TIMEOUT);
        assertEquals("5000", conservative.proposed(), "10 s / 2, not 2 s at once");
        assertTrue(conservative.reason().endsWith("; one proposal moves a setting at most /2 (conservative), so it"
                + " stops at 5 s on the way to 2 s: ask again once this has run"), conservative.reason());
        assertEquals("3400", only(advise(Optional.empty(), Level.BALANCED, veryFast), Setting.PROBE_TIMEOUT)
                .proposed(), "10 s / 3 = 3.33 s, rounded towards 10 s");
        assertEquals("2000", only(advise(Optional.empty(), Level.AGGRESSIVE, veryFast), Setting.PROBE_TIMEOUT)
                .proposed(), "10 s / 5, which is also the floor");

        TuningAdvisor.Instance tooShort = instance().timeout(Duration.ofSeconds(2))
                .windows(window(HOUR, 3_600, 0, 3_600, 3_600, 4_200)).build();
        Recommendation raised = only(advise(Optional.of(Target.RELIABILITY), Level.BALANCED, tooShort),
                Setting.PROBE_TIMEOUT);
        assertEquals("6000", raised.proposed(), "2 s x 3, on the way to 25 s");
        assertTrue(raised.reason().contains("at most x3 (balanced), so it stops at 6 s on the way to 25 s"),
                raised.reason());
    }

    @Example
    void aP99OfProbesAloneSaysItIsPingLatency() {
        TuningAdvisor.Instance probedOnly = instance().windows(window(HOUR, 3_600, 4, 3_600, 3_596, 412)).build();

        assertEquals("p99 412 ms of probe (ping) latency over 3,596 of 3,600 probes answered in 1 h; no real tool"
                + " calls; probe timeout 10 s", only(general(probedOnly), Setting.PROBE_TIMEOUT).evidence());
        TuningAdvisor.Instance oneCall = instance().windows(window(HOUR, 3_601, 0, 3_600, 3_600, 412)).build();
        assertTrue(only(general(oneCall), Setting.PROBE_TIMEOUT).evidence().startsWith("p99 412 ms over 3,601"
                + " answered calls in 1 h, probes and real tool calls together: 3,600 of 3,600 probes answered,"
                + " 1 real tool call;"), () -> general(oneCall).toString());
    }

    @Example
    void aTimeoutWithinAQuarterOfTheProposalIsLeftAlone() {
        TuningAdvisor.Instance fine = instance().windows(window(HOUR, 3_600, 0, 3_600, 3_600, 1_900)).build();

        assertEquals(List.of(), of(general(fine), Setting.PROBE_TIMEOUT), "5 x 1.9 s = 9.5 s -> 10 s, as now");
    }

    @Example
    void theLongestWindowWithEnoughProbesIsUsed() {
        TuningAdvisor.Instance i = instance().windows(
                window(MINUTE, 1, 0, 1, 1, 9_000),
                window(QUARTER, 900, 0, 900, 900, 3_000),
                window(HOUR, 15, 0, 15, 15, 100)).build();

        Recommendation r = only(general(i), Setting.PROBE_TIMEOUT);
        assertEquals("15000", r.proposed(), "15 min has enough probes, 1 h does not: 5 x 3 s");
        assertTrue(r.evidence().contains("in 15 min"), r.evidence());
    }

    @Example
    void aP99AboveTheLongestTimeoutIsANoteNotAProposal() {
        TuningAdvisor.Instance i = instance().timeout(MonitoredServer.MAX_TIMEOUT)
                .windows(window(HOUR, 3_600, 0, 3_600, 3_600, Duration.ofMinutes(11).toMillis())).build();

        TuningAdvice advice = advise(Optional.of(Target.LATENCY), Level.BALANCED, i);

        assertEquals(List.of(), of(advice, Setting.PROBE_TIMEOUT));
        assertTrue(advice.notes().stream().anyMatch(n -> n.contains("above the longest probe timeout")),
                advice.notes().toString());
    }

    // ---- probe interval -------------------------------------------------------------------------------------

    @Example
    void aPerfectInstanceIsProbedLessOftenWhenCostMatters() {
        TuningAdvisor.Instance perfect = instance().windows(window(HOUR, 60, 0, 60, 60, 1_900)).build();

        Recommendation r = only(advise(Optional.of(Target.COST), Level.BALANCED, perfect), Setting.PROBE_INTERVAL);
        assertEquals("60", r.current());
        assertEquals("180", r.proposed());
        assertEquals("60 of 60 probes answered and 0 errors in 60 calls in 1 h; no failure episode in 24 h;"
                + " probed every 1 min", r.evidence());
        assertEquals("120", only(advise(Optional.of(Target.COST), Level.CONSERVATIVE, perfect),
                Setting.PROBE_INTERVAL).proposed());
        assertEquals("240", only(advise(Optional.of(Target.COST), Level.AGGRESSIVE, perfect),
                Setting.PROBE_INTERVAL).proposed());
        assertEquals("180", only(general(perfect), Setting.PROBE_INTERVAL).proposed(), "a general report too");
        assertEquals(List.of(), of(advise(Optional.of(Target.RELIABILITY), Level.BALANCED, perfect),
                Setting.PROBE_INTERVAL));
    }

    @Example
    void aLongerIntervalIsCappedAtFiveMinutes() {
        TuningAdvisor.Instance i = instance().every(Duration.ofSeconds(120))
                .windows(window(HOUR, 30, 0, 30, 30, 1_900)).build();

        assertEquals("300", only(advise(Optional.of(Target.COST), Level.AGGRESSIVE, i), Setting.PROBE_INTERVAL)
                .proposed());
        TuningAdvisor.Instance atCap = instance().every(Duration.ofMinutes(5))
                .windows(window(HOUR, 30, 0, 30, 30, 1_900)).build();
        assertEquals(List.of(), of(advise(Optional.of(Target.COST), Level.AGGRESSIVE, atCap),
                Setting.PROBE_INTERVAL));
    }

    @Example
    void anInstanceWithAFailureOrAMissedProbeIsNotProbedLessOften() {
        TuningAdvisor.Instance failedOnce = instance().windows(window(HOUR, 60, 0, 60, 60, 1_900))
                .failed(1, 0, Duration.ofSeconds(5)).build();
        TuningAdvisor.Instance missed = instance().windows(window(HOUR, 60, 1, 60, 59, 1_900)).build();

        assertEquals(List.of(), of(advise(Optional.of(Target.COST), Level.BALANCED, failedOnce),
                Setting.PROBE_INTERVAL));
        assertEquals(List.of(), of(advise(Optional.of(Target.COST), Level.BALANCED, missed),
                Setting.PROBE_INTERVAL));
    }

    @Example
    void aFailingInstanceIsProbedMoreOftenWhenReliabilityMatters() {
        TuningAdvisor.Instance failing = instance().windows(window(HOUR, 60, 0, 60, 60, 1_900))
                .failed(2, 0, Duration.ofSeconds(40)).build();

        Recommendation r = only(advise(Optional.of(Target.RELIABILITY), Level.BALANCED, failing),
                Setting.PROBE_INTERVAL);
        assertEquals("60", r.current());
        assertEquals("20", r.proposed());
        assertTrue(r.reason().contains("within 1 min instead of 3 min"), r.reason());
        assertTrue(r.evidence().startsWith("2 failure episodes in 24 h (0 open, 40 s down)"), r.evidence());
        assertEquals("30", only(advise(Optional.of(Target.RELIABILITY), Level.CONSERVATIVE, failing),
                Setting.PROBE_INTERVAL).proposed());
        assertEquals("15", only(advise(Optional.of(Target.RELIABILITY), Level.AGGRESSIVE, failing),
                Setting.PROBE_INTERVAL).proposed());
        assertEquals(List.of(), of(advise(Optional.of(Target.COST), Level.BALANCED, failing),
                Setting.PROBE_INTERVAL));
    }

    @Example
    void availabilityBelowTheSlaTargetAlsoShortensTheInterval() {
        TuningAdvisor.Instance missing = instance().windows(window(HOUR, 60, 1, 60, 59, 1_900)).build();

        Recommendation r = only(advise(Optional.of(Target.RELIABILITY), Level.BALANCED, missing),
                Setting.PROBE_INTERVAL);
        assertEquals("20", r.proposed());
        assertTrue(r.evidence().contains("59 of 60 probes answered in 1 h (98.33 %), SLA target 99.9 %"),
                r.evidence());
    }

    @Example
    void theIntervalIsNeverProposedBelowOneSecond() {
        TuningAdvisor.Instance fast = instance().every(Duration.ofSeconds(2))
                .windows(window(HOUR, 1_800, 0, 1_800, 1_800, 100)).failed(5, 0, Duration.ofMinutes(10)).build();
        TuningAdvisor.Instance fastest = instance().every(Duration.ofSeconds(1))
                .windows(window(HOUR, 3_600, 0, 3_600, 3_600, 100)).failed(5, 0, Duration.ofMinutes(10)).build();

        assertEquals("1", only(advise(Optional.of(Target.RELIABILITY), Level.AGGRESSIVE, fast),
                Setting.PROBE_INTERVAL).proposed());
        assertEquals(List.of(), of(advise(Optional.of(Target.RELIABILITY), Level.AGGRESSIVE, fastest),
                Setting.PROBE_INTERVAL));
    }

    // ---- breaker --------------------------------------------------------------------------------------------

    @Example
    void aSlowCallThresholdCloseToTheP99IsRaised() {
        TuningAdvisor.Instance slow = instance().timeout(Duration.ofSeconds(60))
                .windows(window(HOUR, 4_800, 0, 3_600, 3_600, 6_000)).build();

        Recommendation r = only(general(slow), Setting.BREAKER_SLOW_CALL);
        assertEquals("10000", r.current());
        assertEquals("30000", r.proposed());
        assertEquals("p99 6 s over 4,800 answered calls in 1 h, probes and real tool calls together: 3,600 of 3,600"
                + " probes answered, 1,200 real tool calls; slow-call threshold 10 s", r.evidence());
        assertEquals("20000", only(advise(Optional.of(Target.THROUGHPUT), Level.CONSERVATIVE, slow),
                Setting.BREAKER_SLOW_CALL).proposed(), "10 x 6 s is 60 s, but one step moves it at most x2");
        assertEquals("20000", only(advise(Optional.of(Target.THROUGHPUT), Level.AGGRESSIVE, slow),
                Setting.BREAKER_SLOW_CALL).proposed());
        assertEquals(List.of(), of(advise(Optional.of(Target.COST), Level.BALANCED, slow),
                Setting.BREAKER_SLOW_CALL));
    }

    @Example
    void aSlowCallThresholdFarAboveTheP99IsLoweredOnlyWhenAggressiveForLatency() {
        TuningAdvisor.Instance fast = instance().breaker(BreakerSettings.DEFAULTS.withSlowCall(Duration.ofSeconds(4)))
                .windows(window(HOUR, 3_700, 0, 3_600, 3_600, 100)).build();

        Recommendation r = only(advise(Optional.of(Target.LATENCY), Level.AGGRESSIVE, fast),
                Setting.BREAKER_SLOW_CALL);
        assertEquals("4000", r.current());
        assertEquals("1000", r.proposed());
        assertEquals(List.of(), of(advise(Optional.of(Target.LATENCY), Level.BALANCED, fast),
                Setting.BREAKER_SLOW_CALL));
        assertEquals(List.of(), of(advise(Optional.of(Target.RELIABILITY), Level.AGGRESSIVE, fast),
                Setting.BREAKER_SLOW_CALL));
    }

    @Example
    void theSlowCallRulesNeedTheBreakersMinimumOfRealToolCalls() {
        // p99 6 s would raise a 10 s threshold, p99 100 ms lower it: both if the p99 were of real calls
        TuningAdvisor.Instance slowProbes = instance().timeout(Duration.ofSeconds(60))
                .windows(window(HOUR, 3_600, 0, 3_600, 3_600, 6_000)).build();
        TuningAdvisor.Instance fastProbes = instance().windows(window(HOUR, 3_600, 0, 3_600, 3_600, 100)).build();

        TuningAdvice raise = general(slowProbes);
        assertEquals(List.of(), of(raise, Setting.BREAKER_SLOW_CALL));
        assertTrue(raise.notes().contains("alpha: no real tool calls measured in 1 h; breaker slow-call threshold left"
                + " alone (the breaker judges real tool calls only; the p99 there is the probes' ping latency)"),
                raise.notes().toString());
        assertEquals(List.of(), of(advise(Optional.of(Target.LATENCY), Level.AGGRESSIVE, fastProbes),
                Setting.BREAKER_SLOW_CALL));

        TuningAdvisor.Instance fewCalls = instance().timeout(Duration.ofSeconds(60))
                .windows(window(HOUR, 3_609, 0, 3_600, 3_600, 6_000)).build();
        TuningAdvice few = general(fewCalls);
        assertEquals(List.of(), of(few, Setting.BREAKER_SLOW_CALL));
        assertTrue(few.notes().contains("alpha: only 9 real tool calls measured, fewer than the breaker's minimum of"
                + " 10, in 1 h; breaker slow-call threshold left alone (the breaker judges real tool calls only)"),
                few.notes().toString());

        TuningAdvisor.Instance enough = instance().timeout(Duration.ofSeconds(60))
                .windows(window(HOUR, 3_610, 0, 3_600, 3_600, 6_000)).build();
        assertEquals("30000", only(general(enough), Setting.BREAKER_SLOW_CALL).proposed(), "the breaker's 10 calls");
        assertTrue(general(enough).notes().stream().noneMatch(n -> n.contains("slow-call threshold left alone")));
        assertTrue(advise(Optional.of(Target.COST), Level.BALANCED, slowProbes).notes().stream()
                .noneMatch(n -> n.contains("slow-call")), "no note where no slow-call rule runs");
    }

    @Example
    void everyProposalOfAValueStaysWithinTheLevelsReach() {
        TuningAdvisor.Instance failing = instance().every(Duration.ofSeconds(5))
                .windows(window(HOUR, 720, 0, 720, 720, 1_900)).failed(2, 0, Duration.ofSeconds(40)).build();
        assertEquals("3", only(advise(Optional.of(Target.RELIABILITY), Level.CONSERVATIVE, failing),
                Setting.PROBE_INTERVAL).proposed(), "5 s / 2 in whole seconds is 2 s, a move of /2.5: 3 s");

        TuningAdvisor.Instance flapping = instance().breaker(BreakerSettings.DEFAULTS.withOpenFor(
                Duration.ofMillis(1_200))).failed(5, 1, Duration.ofSeconds(48)).build();
        Recommendation open = only(advise(Optional.of(Target.RELIABILITY), Level.CONSERVATIVE, flapping),
                Setting.BREAKER_OPEN_DURATION);
        assertEquals("2400", open.proposed(), "1.2 s x 2 in whole seconds is 3 s, a move of x2.5");
        assertTrue(open.reason().contains("at most x2 (conservative), so it stops at 2.4 s on the way to 3 s"),
                open.reason());

        TuningAdvisor.Instance slow = instance().timeout(Duration.ofSeconds(60))
                .windows(window(HOUR, 4_800, 0, 3_600, 3_600, 6_000)).build();
        assertEquals("20000", only(advise(Optional.empty(), Level.CONSERVATIVE, slow), Setting.BREAKER_SLOW_CALL)
                .proposed(), "10 s x 2, on the way to 60 s");
        TuningAdvisor.Instance fast = instance().windows(window(HOUR, 3_700, 0, 3_600, 3_600, 100)).build();
        assertEquals("2000", only(advise(Optional.of(Target.LATENCY), Level.AGGRESSIVE, fast),
                Setting.BREAKER_SLOW_CALL).proposed(), "10 s / 5, on the way to 1 s");

        TuningAdvisor.Instance lenient = instance().breaker(BreakerSettings.DEFAULTS.withFailureRate(1.0))
                .windows(window(HOUR, 1_200, 372, 60, 60, 900)).build();
        Recommendation rate = only(advise(Optional.of(Target.RELIABILITY), Level.BALANCED, lenient),
                Setting.BREAKER_FAILURE_RATE);
        assertEquals("34", rate.proposed(), "100 % / 3, rounded up, on the way to the critical 25 %");
        assertTrue(rate.reason().endsWith("at most /3 (balanced), so it stops at 34 % on the way to 25 %: ask again"
                + " once this has run"), rate.reason());
        assertEquals("25", only(advise(Optional.of(Target.RELIABILITY), Level.AGGRESSIVE, lenient),
                Setting.BREAKER_FAILURE_RATE).proposed(), "100 % / 5 is 20 %: the critical 25 % is within reach");
    }

    @Example
    void anErrorRateBetweenTheCriticalThresholdAndTheBreakersRateLowersTheBreakersRate() {
        TuningAdvisor.Instance erring = instance().windows(window(HOUR, 1_200, 372, 60, 60, 900)).build();

        Recommendation r = only(advise(Optional.of(Target.RELIABILITY), Level.BALANCED, erring),
                Setting.BREAKER_FAILURE_RATE);
        assertEquals("50", r.current());
        assertEquals("25", r.proposed());
        assertEquals(Optional.of(new Value.Percent(50)), r.currentValue());
        assertEquals(Optional.of(new Value.Percent(25)), r.proposedValue());
        assertEquals("error rate 31 % of 1,200 calls in 1 h; critical above 25 %; breaker opens at 50 % of at least"
                + " 10 calls", r.evidence());
        assertEquals(List.of(), of(advise(Optional.of(Target.RELIABILITY), Level.CONSERVATIVE, erring),
                Setting.BREAKER_FAILURE_RATE), "conservative does not tighten a breaker");
        assertEquals(List.of(), of(advise(Optional.of(Target.LATENCY), Level.BALANCED, erring),
                Setting.BREAKER_FAILURE_RATE));
        TuningAdvisor.Instance fine = instance().windows(window(HOUR, 1_200, 100, 60, 60, 900)).build();
        assertEquals(List.of(), of(general(fine), Setting.BREAKER_FAILURE_RATE));
        TuningAdvisor.Instance tripping = instance().windows(window(HOUR, 1_200, 700, 60, 60, 900)).build();
        assertEquals(List.of(), of(general(tripping), Setting.BREAKER_FAILURE_RATE), "the breaker trips already");
    }

    @Example
    void aFlappingInstanceGetsALongerOpenDuration() {
        TuningAdvisor.Instance flapping = instance().failed(5, 1, Duration.ofSeconds(48)).build();

        Recommendation r = only(advise(Optional.of(Target.RELIABILITY), Level.BALANCED, flapping),
                Setting.BREAKER_OPEN_DURATION);
        assertEquals("30000", r.current());
        assertEquals("90000", r.proposed());
        assertEquals("4 resolved episodes in 24 h lasting 12 s on average; breaker open for 30 s", r.evidence());
        assertEquals("60000", only(advise(Optional.of(Target.RELIABILITY), Level.CONSERVATIVE, flapping),
                Setting.BREAKER_OPEN_DURATION).proposed());
        assertEquals("120000", only(advise(Optional.of(Target.RELIABILITY), Level.AGGRESSIVE, flapping),
                Setting.BREAKER_OPEN_DURATION).proposed());
        assertEquals(List.of(), of(advise(Optional.of(Target.COST), Level.BALANCED, flapping),
                Setting.BREAKER_OPEN_DURATION));

        TuningAdvisor.Instance longOutages = instance().failed(5, 0, Duration.ofMinutes(20)).build();
        assertEquals(List.of(), of(general(longOutages), Setting.BREAKER_OPEN_DURATION), "not flapping");
        TuningAdvisor.Instance twice = instance().failed(2, 0, Duration.ofSeconds(10)).build();
        assertEquals(List.of(), of(general(twice), Setting.BREAKER_OPEN_DURATION), "too few to call flapping");
    }

    // ---- failing instances ----------------------------------------------------------------------------------

    @Example
    void theInstanceThatFailsMostIsNamedAndASingleInstanceWithoutFallbackGetsAnother() {
        TuningAdvisor.Instance worst = instance().named("search-1").failed(7, 2, Duration.ofMinutes(4)).build();
        TuningAdvisor.Instance other = instance().named("db-1").ofType("database").failed(3, 0, Duration.ofMinutes(5))
                .build();

        TuningAdvice advice = general(other, worst);

        List<Recommendation> investigate = of(advice, Setting.INVESTIGATE);
        assertEquals(List.of(ServerId.of("db-1"), ServerId.of("search-1")),
                investigate.stream().map(Recommendation::server).toList());
        assertTrue(investigate.get(1).reason().startsWith("search-1 fails most of the instances advised on: 7 failure"
                + " episodes in 24 h"), investigate.get(1).reason());
        assertTrue(investigate.get(0).reason().startsWith("db-1 fails often"), investigate.get(0).reason());
        assertTrue(investigate.get(1).evidence().startsWith("7 failure episodes in 24 h (2 open, 4 min down)"),
                investigate.get(1).evidence());
        List<Recommendation> add = of(advice, Setting.ADD_INSTANCE);
        assertEquals(2, add.size());
        assertEquals("1", add.get(1).current());
        assertEquals("2", add.get(1).proposed());
        assertTrue(add.get(1).reason().contains("only instance of type search"), add.get(1).reason());
    }

    @Example
    void noInstanceIsAddedWhenTheTypeHasAnotherOrAFallback() {
        TuningAdvisor.Instance a = instance().named("a").failed(4, 0, Duration.ofMinutes(1)).build();
        TuningAdvisor.Instance b = instance().named("b").build();
        TuningAdvisor.Instance withFallback = instance().named("c").ofType("fetch").fallingBackTo("search")
                .failed(4, 0, Duration.ofMinutes(1)).build();

        TuningAdvice advice = general(a, b, withFallback);

        assertEquals(2, of(advice, Setting.INVESTIGATE).size());
        assertEquals(List.of(), of(advice, Setting.ADD_INSTANCE));
    }

    @Example
    void manyMissedProbesAlsoAskForAnInvestigation() {
        TuningAdvisor.Instance missing = instance().windows(window(HOUR, 60, 6, 60, 54, 900)).build();

        Recommendation r = only(advise(Optional.of(Target.LATENCY), Level.BALANCED, missing), Setting.INVESTIGATE);
        assertEquals("90 % available", r.current());
        assertEquals("54 of 60 probes answered in 1 h (90 %)", r.evidence());
        assertEquals(List.of(), of(advise(Optional.of(Target.LATENCY), Level.BALANCED, missing),
                Setting.ADD_INSTANCE), "adding an instance is not a latency measure");

        TuningAdvisor.Instance fewMissed = instance().windows(window(HOUR, 60, 2, 60, 58, 900)).build();
        assertEquals(List.of(), of(general(fewMissed), Setting.INVESTIGATE), "3.3 % missed is below the 5 % warning");
    }

    // ---- typed values ---------------------------------------------------------------------------------------

    @Example
    void everySettableRecommendationCarriesItsValuesTypedAndThoseForAPersonNone() {
        TuningAdvisor.Instance troubled = instance().timeout(Duration.ofSeconds(5))
                .windows(window(HOUR, 1_200, 372, 60, 58, 6_000)).failed(5, 0, Duration.ofSeconds(50)).build();

        TuningAdvice advice = general(troubled);

        assertEquals(Set.of(Setting.values()), settings(advice), "every rule has a recommendation to check");
        for (Recommendation r : advice.recommendations()) {
            if (r.setting().settable()) {
                assertEquals(r.current(), r.setting().text(r.currentValue().orElseThrow()), r::toString);
                assertEquals(r.proposed(), r.setting().text(r.proposedValue().orElseThrow()), r::toString);
            } else {
                assertEquals(Optional.empty(), r.currentValue(), r::toString);
                assertEquals(Optional.empty(), r.proposedValue(), r::toString);
            }
        }
        Recommendation interval = only(advice, Setting.PROBE_INTERVAL);
        assertEquals(Optional.of(new Value.Time(Duration.ofSeconds(60))), interval.currentValue());
        assertEquals(Optional.of(new Value.Time(Duration.ofSeconds(20))), interval.proposedValue());
        assertEquals(Optional.of(new Value.Time(Duration.ofSeconds(90))),
                only(advice, Setting.BREAKER_OPEN_DURATION).proposedValue());
    }

    // ---- targets, data, notes -------------------------------------------------------------------------------

    @Example
    void eachTargetRunsItsRules() {
        // slow (timeout close, slow-call close), erring (31 %), flapping, the only one of its type
        TuningAdvisor.Instance troubled = instance().timeout(Duration.ofSeconds(5))
                .windows(window(HOUR, 1_200, 372, 60, 58, 6_000)).failed(5, 0, Duration.ofSeconds(50)).build();

        assertEquals(Set.of(Setting.INVESTIGATE, Setting.ADD_INSTANCE, Setting.PROBE_TIMEOUT, Setting.PROBE_INTERVAL,
                Setting.BREAKER_SLOW_CALL, Setting.BREAKER_FAILURE_RATE, Setting.BREAKER_OPEN_DURATION),
                settings(general(troubled)));
        assertEquals(settings(general(troubled)),
                settings(advise(Optional.of(Target.RELIABILITY), Level.BALANCED, troubled)));
        assertEquals(Set.of(Setting.INVESTIGATE, Setting.PROBE_TIMEOUT, Setting.BREAKER_SLOW_CALL),
                settings(advise(Optional.of(Target.LATENCY), Level.BALANCED, troubled)));
        assertEquals(Set.of(Setting.INVESTIGATE, Setting.ADD_INSTANCE, Setting.BREAKER_SLOW_CALL),
                settings(advise(Optional.of(Target.THROUGHPUT), Level.BALANCED, troubled)));
        assertEquals(Set.of(Setting.INVESTIGATE),
                settings(advise(Optional.of(Target.COST), Level.BALANCED, troubled)));
    }

    @Example
    void tooFewProbesIsANoteNotARecommendation() {
        TuningAdvisor.Instance young = instance().windows(window(MINUTE, 7, 0, 7, 7, 50),
                window(HOUR, 7, 0, 7, 7, 50)).build();

        TuningAdvice advice = general(young);

        assertEquals(List.of(), advice.recommendations());
        assertEquals("alpha: too little data to judge its timeout, interval and breaker (7 answered of 7 probes in"
                + " 1 h; at least 20 needed)", advice.notes().get(0));
    }

    @Example
    void noLiveFiguresIsANoteButTheHistoryStillCounts() {
        TuningAdvisor.Instance unseen = instance().noStatus().failed(3, 3, Duration.ZERO).build();

        TuningAdvice advice = advise(Optional.of(Target.RELIABILITY), Level.BALANCED, unseen);

        assertTrue(advice.notes().get(0).startsWith("alpha: no live figures from the monitor yet"),
                advice.notes().toString());
        assertEquals(Set.of(Setting.INVESTIGATE, Setting.ADD_INSTANCE, Setting.PROBE_INTERVAL), settings(advice));
    }

    @Example
    void nothingToChangeSaysSo() {
        TuningAdvisor.Instance fine = instance().windows(window(HOUR, 1_260, 0, 60, 60, 1_900)).build();

        TuningAdvice advice = advise(Optional.of(Target.RELIABILITY), Level.BALANCED, fine);

        assertEquals(List.of(), advice.recommendations());
        assertEquals(List.of("no change proposed for 1 server when optimizing for reliability at level balanced"),
                advice.notes());
        assertEquals(List.of("no servers to advise on"), general().notes());
    }

    private static final String PER_SERVER_BREAKERS = "breaker proposals are per server: applied, one replaces"
            + " only its own server's breaker in the running monitor, until the monitor stops; at start every server"
            + " gets the same breaker settings from the configuration (health.breaker), so keeping a change means"
            + " editing those, for every server";

    @Example
    void breakerAdviceForSeveralServersSaysHowItApplies() {
        TuningAdvisor.Instance a = instance().named("a").failed(5, 0, Duration.ofSeconds(50)).build();
        TuningAdvisor.Instance b = instance().named("b").failed(4, 0, Duration.ofSeconds(20)).build();
        TuningAdvisor.Instance c = instance().named("c").build();

        TuningAdvice advice = advise(Optional.of(Target.RELIABILITY), Level.BALANCED, a, b, c);

        assertEquals(2, of(advice, Setting.BREAKER_OPEN_DURATION).size());
        assertTrue(advice.notes().contains(PER_SERVER_BREAKERS + " (where the servers' proposals for one setting"
                + " differ, the largest slow-call threshold and the longest open duration suit them all)"),
                advice.notes().toString());
    }

    @Example
    void breakerAdviceForOneServerAlsoSaysHowItApplies() {
        TuningAdvisor.Instance flapping = instance().failed(5, 0, Duration.ofSeconds(50)).build();

        TuningAdvice advice = advise(Optional.of(Target.RELIABILITY), Level.BALANCED, flapping);

        assertEquals(1, of(advice, Setting.BREAKER_OPEN_DURATION).size());
        assertTrue(advice.notes().contains(PER_SERVER_BREAKERS), advice.notes().toString());
        TuningAdvice noBreaker = advise(Optional.of(Target.COST), Level.BALANCED, flapping);
        assertTrue(noBreaker.notes().stream().noneMatch(n -> n.startsWith("breaker proposals")),
                noBreaker.notes().toString());
    }

    @Example
    void theAdviceCarriesTimeTargetAndLevel() {
        TuningAdvice advice = advise(Optional.of(Target.COST), Level.AGGRESSIVE, instance().build());

        assertEquals(NOW, advice.at());
        assertEquals(Optional.of(Target.COST), advice.target());
        assertEquals(Level.AGGRESSIVE, advice.level());
    }

    @Example
    void anInstanceRefusesFiguresOfAnotherServer() {
        TuningAdvisor.Instance a = instance().named("a").build();
        TuningAdvisor.Instance b = instance().named("b").failed(1, 0, Duration.ZERO).build();

        assertThrows(IllegalArgumentException.class, () -> new TuningAdvisor.Instance(a.server(), a.interval(),
                b.status(), a.breaker(), Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> new TuningAdvisor.Instance(a.server(), a.interval(),
                a.status(), a.breaker(), b.failures()));
        assertThrows(IllegalArgumentException.class, () -> new TuningAdvisor.Instance(a.server(), Duration.ZERO,
                a.status(), a.breaker(), Optional.empty()));
    }

    @Example
    void readableRounding() {
        assertEquals(Duration.ofMillis(300), TuningFigures.niceCeil(Duration.ofMillis(201)));
        assertEquals(Duration.ofSeconds(1), TuningFigures.niceCeil(Duration.ofMillis(1_000)));
        assertEquals(Duration.ofSeconds(2), TuningFigures.niceCeil(Duration.ofMillis(1_001)));
        assertEquals(Duration.ofSeconds(15), TuningFigures.niceCeil(Duration.ofMillis(10_001)));
        assertEquals(Duration.ofSeconds(90), TuningFigures.niceCeil(Duration.ofSeconds(61)));
        assertEquals(Duration.ofMinutes(11), TuningFigures.niceCeil(Duration.ofSeconds(601)));
        assertEquals("412 ms", TuningFigures.duration(Duration.ofMillis(412)));
        assertEquals("2.5 s", TuningFigures.duration(Duration.ofMillis(2_500)));
        assertEquals("4 min 10 s", TuningFigures.duration(Duration.ofSeconds(250)));
        assertEquals("1 h 30 min", TuningFigures.duration(Duration.ofMinutes(90)));
        assertEquals("3,600", TuningFigures.count(3_600));
        assertEquals("99.72 %", TuningFigures.percent(0.99722));
    }

    // ---- properties -----------------------------------------------------------------------------------------

    @Property
    void aProposedTimeoutCoversTheP99AndStaysWithinTheMaximum(
            @ForAll @LongRange(min = 1, max = 700_000) long p99Millis,
            @ForAll @LongRange(min = 1, max = 600_000) long timeoutMillis, @ForAll Level level) {
        TuningAdvisor.Instance i = instance().timeout(Duration.ofMillis(timeoutMillis))
                .windows(window(HOUR, 3_600, 0, 3_600, 3_600, p99Millis)).build();

        for (Recommendation r : of(advise(Optional.of(Target.LATENCY), level, i), Setting.PROBE_TIMEOUT)) {
            long proposed = Long.parseLong(r.proposed());
            assertEquals(Optional.of(new Value.Time(Duration.ofMillis(proposed))), r.proposedValue(), r::toString);
            // covers the p99, unless the reach stopped a raise short of it (the full step, rounded down to 100 ms)
            long fullStep = timeoutMillis * TuningAdvisor.reach(level) - 100;
            assertTrue(proposed >= p99Millis || proposed > timeoutMillis && proposed >= fullStep, r::toString);
            assertTrue(proposed <= MonitoredServer.MAX_TIMEOUT.toMillis(), r::toString);
            if (proposed < timeoutMillis) {
                assertTrue(proposed >= TuningAdvisor.MIN_PROBE_TIMEOUT.toMillis(), r::toString);
            }
            assertTrue(Math.abs(proposed - timeoutMillis) > timeoutMillis / 4.0, r::toString);
        }
    }

    @Property
    void recommendationsFollowTheTarget(@ForAll Level level, @ForAll @LongRange(min = 0, max = 1_200) long errors,
                                        @ForAll @LongRange(min = 0, max = 10) int episodes) {
        TuningAdvisor.Instance i = instance().timeout(Duration.ofSeconds(5))
                .windows(window(HOUR, 1_200, errors, 60, 60 - Math.min(60, errors / 20), 4_200))
                .failed(episodes, 0, Duration.ofSeconds(10L * episodes)).build();
        Map<Target, Set<Setting>> allowed = Map.of(
                Target.LATENCY, Set.of(Setting.INVESTIGATE, Setting.PROBE_TIMEOUT, Setting.BREAKER_SLOW_CALL),
                Target.THROUGHPUT, Set.of(Setting.INVESTIGATE, Setting.ADD_INSTANCE, Setting.BREAKER_SLOW_CALL),
                Target.COST, Set.of(Setting.INVESTIGATE, Setting.PROBE_INTERVAL),
                Target.RELIABILITY, Set.of(Setting.values()));
        List<Setting> all = new ArrayList<>(settings(advise(Optional.empty(), level, i)));
        for (Target t : Target.values()) {
            Set<Setting> got = settings(advise(Optional.of(t), level, i));
            assertTrue(allowed.get(t).containsAll(got), () -> t + " gave " + got);
            assertTrue(all.containsAll(got), () -> "the general report has every rule, " + t + " gave " + got);
        }
    }

    /** A time in nanoseconds, a rate in percent. */
    private static long magnitude(Value v) {
        if (v instanceof Value.Time t) {
            return t.duration().toNanos();
        }
        if (v instanceof Value.Percent p) {
            return p.percent();
        }
        throw new IllegalStateException("unknown value " + v);
    }

    @Property
    void noProposalMovesAValueFurtherThanTheLevelsReach(
            @ForAll Level level, @ForAll Optional<Target> target,
            @ForAll @LongRange(min = 1, max = 600_000) long timeoutMillis,
            @ForAll @LongRange(min = 1, max = 3_600) long intervalSeconds,
            @ForAll @LongRange(min = 1, max = 3_600_000) long slowCallMillis,
            @ForAll @LongRange(min = 1, max = 3_600_000) long openMillis,
            @ForAll @LongRange(min = 1, max = 700_000) long p99Millis,
            @ForAll @LongRange(min = 0, max = 2_000) long realCalls,
            @ForAll @LongRange(min = 0, max = 600) long missedProbes,
            @ForAll @IntRange(min = 0, max = 100) int realErrorPercent,
            @ForAll @IntRange(min = 1, max = 100) int failureRatePercent,
            @ForAll @IntRange(min = 0, max = 10) int episodes,
            @ForAll @LongRange(min = 0, max = 3_600) long downSeconds) {
        BreakerSettings breaker = BreakerSettings.DEFAULTS.withSlowCall(Duration.ofMillis(slowCallMillis))
                .withOpenFor(Duration.ofMillis(openMillis)).withFailureRate(failureRatePercent / 100.0);
        TuningAdvisor.Instance i = instance().timeout(Duration.ofMillis(timeoutMillis))
                .every(Duration.ofSeconds(intervalSeconds)).breaker(breaker)
                .windows(window(HOUR, 600 + realCalls, missedProbes + realCalls * realErrorPercent / 100, 600,
                        600 - missedProbes, p99Millis))
                .failed(episodes, 0, Duration.ofSeconds(downSeconds)).build();
        long reach = TuningAdvisor.reach(level);

        for (Recommendation r : advise(target, level, i).recommendations()) {
            if (r.currentValue().isEmpty()) {
                continue;
            }
            long now = magnitude(r.currentValue().get());
            long proposed = magnitude(r.proposedValue().orElseThrow());
            assertTrue(proposed <= now * reach, r::toString);
            assertTrue(proposed * reach >= now, r::toString);
            assertTrue(proposed != now, r::toString);
        }
    }
}
