package dev.mcphealth.application.tuning;

import dev.mcphealth.application.testkit.FixedCatalog;
import dev.mcphealth.application.testkit.TestServers;

import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.in.AdviseTuningUseCase;
import dev.mcphealth.application.port.in.AnalyzeFailuresUseCase;
import dev.mcphealth.application.port.in.ObserveMonitoringUseCase;
import dev.mcphealth.application.port.in.PlanMonitoringUseCase;
import dev.mcphealth.application.port.in.UnknownServerTypeException;
import dev.mcphealth.application.testkit.TestClock;
import dev.mcphealth.domain.routing.BreakerSettings;
import dev.mcphealth.domain.history.FailureAnalysis;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.StatusSnapshot;
import dev.mcphealth.domain.tuning.TuningAdvice;
import dev.mcphealth.domain.tuning.TuningAdvice.Level;
import dev.mcphealth.domain.tuning.TuningAdvice.Recommendation;
import dev.mcphealth.domain.tuning.TuningAdvice.Setting;
import dev.mcphealth.domain.tuning.TuningAdvice.Target;
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
import org.junit.jupiter.api.Test;

class AdviseTuningServiceTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final MonitoredServer SEARCH_1 = aServer().named("search-1").ofType("search").build();
    private static final MonitoredServer SEARCH_2 = aServer().named("search-2").ofType("search").build();
    private static final MonitoredServer DB = aServer().named("db-1").ofType("database")
            .every(Duration.ofSeconds(90)).build();
    private static final FixedCatalog CATALOG = new FixedCatalog(SEARCH_2, DB, SEARCH_1);

    /** Answers with the analysis given and remembers the queries. */
    private static final class FakeAnalysis implements AnalyzeFailuresUseCase {
        final List<Query> queries = new ArrayList<>();
        final List<FailureAnalysis.InstanceFailures> rows;

        FakeAnalysis(FailureAnalysis.InstanceFailures... rows) {
            this.rows = List.of(rows);
        }

        @Override
        public FailureAnalysis analyze(Query query) {
            queries.add(query);
            int episodes = rows.stream().mapToInt(FailureAnalysis.InstanceFailures::episodes).sum();
            int open = rows.stream().mapToInt(FailureAnalysis.InstanceFailures::open).sum();
            return new FailureAnalysis(NOW.minus(query.period()), NOW, episodes, open, List.of(), rows);
        }
    }

    /** A live snapshot whose 1 h window holds {@code probes} answered probes with that p99, and no real call. */
    private static StatusSnapshot live(MonitoredServer s, long probes, long p99Millis) {
        return live(s, probes, 0, p99Millis);
    }

    /** A live snapshot whose 1 h window holds {@code probes} answered probes and {@code realCalls} real calls. */
    private static StatusSnapshot live(MonitoredServer s, long probes, long realCalls, long p99Millis) {
        WindowStats hour = new WindowStats(Duration.ofHours(1), probes + realCalls, 0, probes, probes,
                Optional.of(Duration.ofMillis(p99Millis / 2)), Optional.of(Duration.ofMillis(p99Millis)),
                Optional.of(Duration.ofMillis(p99Millis)));
        return new StatusSnapshot(s.id(), s.type(), Optional.of(HealthStatus.HEALTHY), Optional.of(NOW),
                List.of(WindowStats.empty(Duration.ofMinutes(1)), hour), probes, probes, Uptime.NONE, 0.999, Optional.empty(),
                Optional.empty(), NOW, Map.of());
    }

    private static StatusSnapshot self() {
        return new StatusSnapshot(ServerId.of("mcp-health"), ServerType.of("mcp-health"), Optional.empty(),
                Optional.empty(), List.of(), 0, 0, Uptime.NONE, 0.999, Optional.empty(), Optional.empty(), NOW, Map.of());
    }

    private static AdviseTuningUseCase.Query query(Optional<Target> target, Level level, String... types) {
        return new AdviseTuningUseCase.Query(Set.of(types).stream().map(ServerType::of).collect(Collectors.toSet()),
                target, level);
    }

    private static List<Recommendation> of(TuningAdvice advice, Setting setting) {
        return advice.recommendations().stream().filter(r -> r.setting() == setting).toList();
    }

    private static ObserveMonitoringUseCase monitor(StatusSnapshot... snapshots) {
        return () -> List.of(snapshots);
    }

    private static final PlanMonitoringUseCase PLAN = () -> List.of(
            new PlanMonitoringUseCase.Entry(SEARCH_1.id(), Duration.ofSeconds(30)),
            new PlanMonitoringUseCase.Entry(SEARCH_2.id(), Duration.ofSeconds(30)));

    @Test
    void advisesEveryConfiguredServerInNameOrderFromLiveFiguresPlanAndHistory() {
        FakeAnalysis analysis = new FakeAnalysis(
                new FailureAnalysis.InstanceFailures(DB.id(), DB.type(), 4, 0, Duration.ofMinutes(10)));
        AdviseTuningService service = new AdviseTuningService(CATALOG,
                monitor(live(SEARCH_1, 120, 400), live(SEARCH_2, 120, 1_900), live(DB, 40, 1_900), self()), PLAN,
                analysis, id -> BreakerSettings.DEFAULTS, new TestClock(NOW));

        TuningAdvice advice = service.advise(query(Optional.empty(), Level.BALANCED));

        assertEquals(NOW, advice.at());
        assertEquals(Optional.empty(), advice.target());
        assertEquals(Level.BALANCED, advice.level());
        assertEquals(List.of(new AnalyzeFailuresUseCase.Query(Set.of(), Duration.ofHours(24))), analysis.queries);

        Recommendation timeout = of(advice, Setting.PROBE_TIMEOUT).get(0);
        assertEquals(SEARCH_1.id(), timeout.server(), "only search-1 answers far below its timeout");
        assertEquals("3400", timeout.proposed(), "5 x 400 ms is 2 s; one balanced step moves 10 s at most /3");
        assertEquals(1, of(advice, Setting.PROBE_TIMEOUT).size());

        List<Recommendation> intervals = of(advice, Setting.PROBE_INTERVAL);
        assertEquals(List.of(SEARCH_1.id(), SEARCH_2.id(), DB.id()).stream().sorted().toList(),
                intervals.stream().map(Recommendation::server).toList(), "every server, in name order");
        assertEquals(List.of("90", "30", "30"), intervals.stream().map(Recommendation::current).toList(),
                "the plan's interval, else the configured one");
        assertEquals(List.of("30", "90", "90"), intervals.stream().map(Recommendation::proposed).toList(),
                "db-1 failed: probed more often; the others are perfect: less often");

        Recommendation investigate = of(advice, Setting.INVESTIGATE).get(0);
        assertEquals(DB.id(), investigate.server());
        assertTrue(investigate.evidence().startsWith("4 failure episodes in 24 h (0 open, 10 min down)"),
                investigate.evidence());
        assertEquals(List.of(DB.id()), of(advice, Setting.ADD_INSTANCE).stream().map(Recommendation::server).toList(),
                "db-1 is alone in its type; search has two");
    }

    @Test
    void theBreakerSettingsInForceAreJudged() {
        BreakerSettings tight = new BreakerSettings(0.5, 10, Duration.ofSeconds(60), 5, Duration.ofSeconds(2), 1.0,
                Duration.ofSeconds(30), 1);
        AdviseTuningService service = new AdviseTuningService(CATALOG, monitor(live(SEARCH_1, 120, 30, 1_500)),
                PLAN, new FakeAnalysis(), id -> tight, new TestClock(NOW));

        TuningAdvice advice = service.advise(query(Optional.of(Target.THROUGHPUT), Level.BALANCED, "search"));

        Recommendation slowCall = of(advice, Setting.BREAKER_SLOW_CALL).get(0);
        assertEquals(SEARCH_1.id(), slowCall.server());
        assertEquals("2000", slowCall.current());
        assertEquals("6000", slowCall.proposed(), "5 x 1.5 s is 8 s rounded; one balanced step moves 2 s at most x3");
    }

    @Test
    void onlyTheAskedTypesAreAdvisedAndAServerWithoutFiguresIsANote() {
        FakeAnalysis analysis = new FakeAnalysis();
        AdviseTuningService service = new AdviseTuningService(CATALOG, monitor(live(DB, 120, 400)), PLAN, analysis,
                id -> BreakerSettings.DEFAULTS, new TestClock(NOW));

        TuningAdvice advice = service.advise(query(Optional.of(Target.LATENCY), Level.CONSERVATIVE, "search"));

        assertEquals(List.of(), advice.recommendations(), "db-1's figures are not asked for");
        assertEquals(List.of(
                "search-1: no live figures from the monitor yet; the timeout, interval and breaker rules need at"
                        + " least 20 answered probes",
                "search-2: no live figures from the monitor yet; the timeout, interval and breaker rules need at"
                        + " least 20 answered probes",
                "no change proposed for 2 servers when optimizing for latency at level conservative"),
                advice.notes());
        assertEquals(Set.of(ServerType.of("search")), analysis.queries.get(0).types());
    }

    @Test
    void anUnknownTypeIsRefused() {
        FakeAnalysis analysis = new FakeAnalysis();
        AdviseTuningService service = new AdviseTuningService(CATALOG, monitor(), PLAN, analysis,
                id -> BreakerSettings.DEFAULTS, new TestClock(NOW));

        UnknownServerTypeException e = assertThrows(UnknownServerTypeException.class,
                () -> service.advise(query(Optional.empty(), Level.BALANCED, "mail")));

        assertEquals("no server has type mail; the configured types are database, search", e.getMessage());
        assertEquals(List.of(), analysis.queries);
    }

    @Test
    void followsTheClock() {
        TestClock clock = new TestClock(NOW);
        AdviseTuningService service = new AdviseTuningService(CATALOG, monitor(), PLAN, new FakeAnalysis(),
                id -> BreakerSettings.DEFAULTS, clock);
        clock.advance(Duration.ofMinutes(5));

        assertEquals(NOW.plus(Duration.ofMinutes(5)), service.advise(query(Optional.empty(), Level.BALANCED)).at());
    }
}
