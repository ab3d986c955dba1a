package dev.mcphealth.application.tuning;

import dev.mcphealth.application.catalog.LiveServerCatalog;
import dev.mcphealth.application.monitoring.Monitoring;
import dev.mcphealth.application.monitoring.MonitoringSettings;
import dev.mcphealth.application.testkit.FixedCatalog;
import dev.mcphealth.application.testkit.InMemoryFailureStore;
import dev.mcphealth.application.testkit.ScriptedProbe;
import dev.mcphealth.application.testkit.TestServers;

import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.in.AdviseTuningUseCase;
import dev.mcphealth.application.port.in.ApplyTuningUseCase;
import dev.mcphealth.application.port.in.ApplyTuningUseCase.Applied;
import dev.mcphealth.application.port.in.ApplyTuningUseCase.Skipped;
import dev.mcphealth.application.port.in.PlanMonitoringUseCase;
import dev.mcphealth.application.testkit.FakeBreakers;
import dev.mcphealth.application.testkit.InMemoryMetricStore;
import dev.mcphealth.application.testkit.TestClock;
import dev.mcphealth.domain.routing.BreakerSettings;
import dev.mcphealth.domain.history.FailureAnalysis;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.StatusSnapshot;
import dev.mcphealth.domain.tuning.TuningAdvice;
import dev.mcphealth.domain.tuning.TuningAdvice.Level;
import dev.mcphealth.domain.tuning.TuningAdvice.Recommendation;
import dev.mcphealth.domain.tuning.TuningAdvice.Setting;
import dev.mcphealth.domain.tuning.TuningAdvice.Target;
import dev.mcphealth.domain.tuning.TuningAdvice.Value;
import dev.mcphealth.domain.model.WindowStats;
import dev.mcphealth.domain.model.Uptime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Applying to a monitor built of the real services over fakes, on a test clock. */
class ApplyTuningServiceTest {
    private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
    private static final Duration HALF_MINUTE = Duration.ofSeconds(30);
    private static final MonitoredServer SEARCH = aServer().named("search-1").ofType("search").every(HALF_MINUTE)
            .build();
    private static final MonitoredServer DB = aServer().named("db-1").ofType("database").every(HALF_MINUTE).build();
    private static final ServerId NOBODY = ServerId.of("ghost");

    private final TestClock clock = new TestClock(START);
    private final ScriptedProbe probe = new ScriptedProbe(clock);
    private final LiveServerCatalog catalog = new LiveServerCatalog(new FixedCatalog(SEARCH, DB));
    private final Monitoring monitor = new Monitoring(catalog, probe, new InMemoryMetricStore(),
            new InMemoryFailureStore(), alerts -> { }, statuses -> { }, events -> { }, clock,
            MonitoringSettings.defaults());
    private final FakeBreakers breakers = new FakeBreakers(clock, BreakerSettings.DEFAULTS);
    private final ApplyTuningService service = new ApplyTuningService(catalog, monitor.schedule(), breakers, clock);

    private static Value time(long seconds) {
        return new Value.Time(Duration.ofSeconds(seconds));
    }

    private static Recommendation change(MonitoredServer s, Setting setting, Value from, Value to) {
        return Recommendation.change(s.id(), setting, from, to, "a reason", "some figures");
    }

    private ApplyTuningUseCase.Result apply(Recommendation... recommendations) {
        return service.apply(new ApplyTuningUseCase.Command(List.of(recommendations)));
    }

    @Test
    void eachSettingIsChangedWhereTheMonitorReadsIt() {
        Recommendation timeout = change(SEARCH, Setting.PROBE_TIMEOUT, time(10), time(3));
        Recommendation interval = change(SEARCH, Setting.PROBE_INTERVAL, time(30), time(10));
        Recommendation slowCall = change(SEARCH, Setting.BREAKER_SLOW_CALL, time(10), time(20));
        Recommendation rate = change(SEARCH, Setting.BREAKER_FAILURE_RATE, new Value.Percent(50),
                new Value.Percent(25));
        Recommendation open = change(SEARCH, Setting.BREAKER_OPEN_DURATION, time(30), time(90));
        clock.advance(Duration.ofMinutes(1));

        ApplyTuningUseCase.Result result = apply(timeout, interval, slowCall, rate, open);

        assertEquals(START.plus(Duration.ofMinutes(1)), result.at());
        assertEquals(List.of(new Applied(timeout, time(10), time(3)), new Applied(interval, time(30), time(10)),
                new Applied(slowCall, time(10), time(20)),
                new Applied(rate, new Value.Percent(50), new Value.Percent(25)),
                new Applied(open, time(30), time(90))), result.changes());
        assertEquals(Duration.ofSeconds(3), catalog.server(SEARCH.id()).orElseThrow().timeout());
        assertEquals(List.of(new PlanMonitoringUseCase.Entry(SEARCH.id(), Duration.ofSeconds(10)),
                new PlanMonitoringUseCase.Entry(DB.id(), HALF_MINUTE)), monitor.schedule().plan());
        assertEquals(BreakerSettings.DEFAULTS.withSlowCall(Duration.ofSeconds(20)).withFailureRate(0.25)
                .withOpenFor(Duration.ofSeconds(90)), breakers.settings(SEARCH.id()));
        assertEquals(BreakerSettings.DEFAULTS, breakers.settings(DB.id()), "only its own server's breaker");
        assertEquals(DB, catalog.server(DB.id()).orElseThrow());
    }

    @Test
    void theMonitorsNextProbeUsesAnAppliedTimeout() {
        monitor.schedule().run();
        assertEquals(Duration.ofSeconds(10), probe.lastTimeout("search-1"));

        apply(change(SEARCH, Setting.PROBE_TIMEOUT, time(10), time(2)));
        clock.advance(HALF_MINUTE);
        monitor.schedule().run();

        assertEquals(Duration.ofSeconds(2), probe.lastTimeout("search-1"));
        assertEquals(Duration.ofSeconds(10), probe.lastTimeout("db-1"));
    }

    @Test
    void recommendationsForAPersonAreSkipped() {
        Recommendation investigate = Recommendation.forPerson(DB.id(), Setting.INVESTIGATE, "4 episodes in 24 h",
                "find the cause (logs, dependencies, host)", "it fails often", "4 failure episodes");
        Recommendation add = Recommendation.forPerson(DB.id(), Setting.ADD_INSTANCE, "1", "2", "it is alone",
                "4 failure episodes");

        ApplyTuningUseCase.Result result = apply(investigate, add);

        assertEquals(List.of(
                new Skipped(investigate, Optional.empty(), "needs a person: find the cause (logs, dependencies, host)"),
                new Skipped(add, Optional.empty(), "needs a person: configure another instance of its type")),
                result.changes());
        assertEquals(List.of(), result.applied());
    }

    @Test
    void anUnknownServerIsSkipped() {
        Recommendation r = Recommendation.change(NOBODY, Setting.PROBE_TIMEOUT, time(10), time(3), "why", "figures");

        ApplyTuningUseCase.Change change = apply(r).changes().get(0);

        assertEquals(new Skipped(r, Optional.empty(), "no server named ghost is watched"), change);
        assertEquals(Optional.empty(), change.before());
    }

    @Test
    void aRecommendationMadeFromAnotherValueIsSkippedSoApplyingTwiceChangesOnce() {
        Recommendation interval = change(SEARCH, Setting.PROBE_INTERVAL, time(30), time(10));

        ApplyTuningUseCase.Result result = apply(interval, interval);

        assertEquals(new Applied(interval, time(30), time(10)), result.changes().get(0));
        assertEquals(new Skipped(interval, Optional.of(time(10)), "changed since the advice: it is 10 now, the advice"
                + " was made from 30; ask for new advice"), result.changes().get(1));
        assertEquals(Optional.of(time(10)), result.changes().get(1).after());
        assertEquals(1, result.applied().size());
        assertEquals(1, result.skipped().size());
    }

    @Test
    void aValueTheSettingRefusesIsSkippedAndNothingChanges() {
        Recommendation rate = change(SEARCH, Setting.BREAKER_FAILURE_RATE, new Value.Percent(50),
                new Value.Percent(0));
        Recommendation interval = change(SEARCH, Setting.PROBE_INTERVAL, time(30),
                new Value.Time(Duration.ofMillis(500)));

        ApplyTuningUseCase.Result result = apply(rate, interval);

        assertEquals(new Skipped(rate, Optional.of(new Value.Percent(50)),
                "refused: breaker failureRate must be in (0, 1], got 0.0"), result.changes().get(0));
        assertTrue(((Skipped) result.changes().get(1)).reason().startsWith("refused: a probe interval must be"),
                result.changes().get(1).toString());
        assertEquals(BreakerSettings.DEFAULTS, breakers.settings(SEARCH.id()));
        assertEquals(HALF_MINUTE, monitor.schedule().plan().get(0).interval());
    }

    // ---- advice after applying ------------------------------------------------------------------------------

    /** search-1: p99 6 s, 31 % errors, 5 short failure episodes: every reliability rule has something to say. */
    private AdviseTuningService advisor() {
        WindowStats hour = new WindowStats(Duration.ofHours(1), 1_200, 372, 60, 60,
                Optional.of(Duration.ofMillis(2_000)), Optional.of(Duration.ofMillis(3_000)),
                Optional.of(Duration.ofMillis(6_000)));
        StatusSnapshot live = new StatusSnapshot(SEARCH.id(), SEARCH.type(), Optional.of(HealthStatus.CRITICAL),
                Optional.of(START), List.of(hour), 60, 60, Uptime.NONE, 0.999, Optional.empty(), Optional.empty(), START,
                Map.of());
        FailureAnalysis.InstanceFailures failed = new FailureAnalysis.InstanceFailures(SEARCH.id(), SEARCH.type(), 5,
                0, Duration.ofSeconds(50));
        return new AdviseTuningService(catalog, () -> List.of(live), monitor.schedule(),
                q -> new FailureAnalysis(START.minus(q.period()), START, 5, 0, List.of(), List.of(failed)),
                breakers::settings, clock);
    }

    private static AdviseTuningUseCase.Query reliability() {
        return new AdviseTuningUseCase.Query(Set.of(SEARCH.type()), Optional.of(Target.RELIABILITY),
                Level.BALANCED);
    }

    private static Optional<Recommendation> of(TuningAdvice advice, Setting setting) {
        return advice.recommendations().stream().filter(r -> r.setting() == setting).findFirst();
    }

    @Test
    void afterApplyingTheNextAdviceStartsFromTheAppliedValuesAndRepeatsNoProposal() {
        AdviseTuningService advisor = advisor();
        TuningAdvice first = advisor.advise(reliability());
        assertEquals(Set.of(Setting.values()),
                Set.copyOf(first.recommendations().stream().map(Recommendation::setting).toList()),
                "a proposal for every setting to apply: " + first.recommendations());

        ApplyTuningUseCase.Result result = service.apply(new ApplyTuningUseCase.Command(first.recommendations()));
        assertEquals(5, result.applied().size(), result.toString());
        assertEquals(Set.of(Setting.INVESTIGATE, Setting.ADD_INSTANCE),
                Set.copyOf(result.skipped().stream().map(s -> s.recommendation().setting()).toList()));

        TuningAdvice second = advisor.advise(reliability());

        for (Applied a : result.applied()) {
            Recommendation applied = a.recommendation();
            of(second, applied.setting()).ifPresent(next -> {
                assertEquals(applied.proposed(), next.current(), "starts from the applied value: " + next);
                assertEquals(applied.proposedValue(), next.currentValue());
            });
        }
        assertEquals(Optional.empty(), of(second, Setting.PROBE_TIMEOUT), "30 s covers 5x the p99 now");
        assertEquals(Optional.empty(), of(second, Setting.BREAKER_SLOW_CALL), "30 s is above twice the p99 now");
        assertEquals(Optional.empty(), of(second, Setting.BREAKER_FAILURE_RATE), "the breaker trips at 25 % now");
        assertEquals("10", of(second, Setting.PROBE_INTERVAL).orElseThrow().current(),
                "it still fails: shorter again, from 10 s");
        assertEquals("90000", of(second, Setting.BREAKER_OPEN_DURATION).orElseThrow().current());
        for (Recommendation again : second.recommendations()) {
            assertTrue(first.recommendations().stream().filter(r -> r.setting().settable())
                    .noneMatch(r -> r.setting() == again.setting() && r.current().equals(again.current())),
                    "not proposed again: " + again);
        }
    }
}
