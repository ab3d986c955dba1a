package dev.mcphealth.application.history;

import dev.mcphealth.application.testkit.FixedCatalog;
import dev.mcphealth.application.testkit.TestServers;

import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mcphealth.application.port.in.AnalyzeFailuresUseCase;
import dev.mcphealth.application.port.in.UnknownServerTypeException;
import dev.mcphealth.application.port.out.FailureHistoryPort;
import dev.mcphealth.application.testkit.TestClock;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.history.FailureAnalysis;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.RecoveryAction;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AnalyzeFailuresServiceTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final MonitoredServer SEARCH_1 = aServer().named("search-1").ofType("search").build();
    private static final MonitoredServer SEARCH_2 = aServer().named("search-2").ofType("search").build();
    private static final MonitoredServer DB = aServer().named("db-1").ofType("database").build();

    /**
     * Remembers what it was asked and answers with what it was given (newest first), as a store does: of the asked
     * types, then at most the limit.
     */
    private static final class FakeFailureHistory implements FailureHistoryPort {
        final List<Instant> sinces = new ArrayList<>();
        final List<Set<ServerType>> types = new ArrayList<>();
        final List<Integer> limits = new ArrayList<>();
        final List<Failure> answer;

        FakeFailureHistory(Failure... answer) {
            this(List.of(answer));
        }

        FakeFailureHistory(List<Failure> answer) {
            this.answer = answer;
        }

        @Override
        public List<Failure> failures(Instant since, Set<ServerType> types, int limit) {
            sinces.add(since);
            this.types.add(types);
            limits.add(limit);
            return answer.stream().filter(f -> types.isEmpty() || types.contains(f.serverType())).limit(limit)
                    .toList();
        }
    }

    private static Failure resolved(MonitoredServer s, FailureType type, Duration ago, Duration after) {
        return new Failure(s.type(), s.id(), type, "monitoring", "details", RecoveryAction.RESTART, Optional.of(after),
                NOW.minus(ago), Optional.empty());
    }

    private static Failure open(MonitoredServer s, FailureType type, Duration ago) {
        return Failure.open(s, type, "monitoring", "details", NOW.minus(ago));
    }

    private static AnalyzeFailuresUseCase.Query query(Duration period, String... types) {
        Set<ServerType> asked = Set.of(types).stream().map(ServerType::of)
                .collect(java.util.stream.Collectors.toSet());
        return new AnalyzeFailuresUseCase.Query(asked, period);
    }

    @Test
    void readsThePeriodBeforeNowWithAGenerousLimitAndAnalyzesIt() {
        FakeFailureHistory history = new FakeFailureHistory(
                open(SEARCH_1, FailureType.TIMEOUT, Duration.ofMinutes(2)),
                resolved(SEARCH_1, FailureType.TIMEOUT, Duration.ofHours(1), Duration.ofSeconds(20)),
                resolved(DB, FailureType.CONNECTION_ERROR, Duration.ofHours(3), Duration.ofSeconds(40)));
        AnalyzeFailuresService service = new AnalyzeFailuresService(history, new FixedCatalog(SEARCH_1, SEARCH_2, DB),
                new TestClock(NOW));

        FailureAnalysis a = service.analyze(query(Duration.ofHours(24)));

        assertEquals(List.of(NOW.minus(Duration.ofHours(24))), history.sinces);
        assertEquals(List.of(AnalyzeFailuresService.LIMIT + 1), history.limits, "one more, to see if any is left");
        assertEquals(List.of(Set.of()), history.types);
        assertEquals(10_000, AnalyzeFailuresService.LIMIT);
        assertEquals(false, a.truncated());
        assertEquals(NOW.minus(Duration.ofHours(24)), a.since());
        assertEquals(NOW, a.until());
        assertEquals(3, a.episodes());
        assertEquals(1, a.open());
        assertEquals(List.of(FailureType.TIMEOUT, FailureType.CONNECTION_ERROR),
                a.byType().stream().map(FailureAnalysis.TypeGroup::type).toList());
        assertEquals(List.of(
                new FailureAnalysis.InstanceFailures(SEARCH_1.id(), SEARCH_1.type(), 2, 1,
                        Duration.ofSeconds(20).plus(Duration.ofMinutes(2))),
                new FailureAnalysis.InstanceFailures(DB.id(), DB.type(), 1, 0, Duration.ofSeconds(40))),
                a.instances());
        assertEquals(Optional.of(Duration.ofSeconds(30)), a.mttr());
    }

    @Test
    void keepsOnlyTheAskedTypes() {
        FakeFailureHistory history = new FakeFailureHistory(
                open(SEARCH_1, FailureType.TIMEOUT, Duration.ofMinutes(2)),
                open(SEARCH_2, FailureType.RATE_LIMIT, Duration.ofMinutes(3)),
                resolved(DB, FailureType.CONNECTION_ERROR, Duration.ofHours(3), Duration.ofSeconds(40)));
        AnalyzeFailuresService service = new AnalyzeFailuresService(history, new FixedCatalog(SEARCH_1, SEARCH_2, DB),
                new TestClock(NOW));

        FailureAnalysis search = service.analyze(query(Duration.ofHours(24), "search"));
        FailureAnalysis db = service.analyze(query(Duration.ofHours(24), "database"));
        FailureAnalysis both = service.analyze(query(Duration.ofHours(24), "database", "search"));

        assertEquals(List.of(ServerId.of("search-1"), ServerId.of("search-2")),
                search.instances().stream().map(FailureAnalysis.InstanceFailures::server).toList());
        assertEquals(List.of(ServerId.of("db-1")),
                db.instances().stream().map(FailureAnalysis.InstanceFailures::server).toList());
        assertEquals(3, both.episodes());
    }

    @Test
    void theStoreFiltersByTypeBeforeTheLimitSoOlderEpisodesOfAQuietTypeAreStillFound() {
        List<Failure> stored = new ArrayList<>();
        for (int i = 0; i < AnalyzeFailuresService.LIMIT; i++) { // a flapping database, newest first
            stored.add(resolved(DB, FailureType.TIMEOUT, Duration.ofSeconds(i + 1), Duration.ofMillis(500)));
        }
        stored.add(resolved(SEARCH_1, FailureType.CONNECTION_ERROR, Duration.ofHours(20), Duration.ofSeconds(9)));
        FakeFailureHistory history = new FakeFailureHistory(stored);
        AnalyzeFailuresService service = new AnalyzeFailuresService(history, new FixedCatalog(SEARCH_1, DB),
                new TestClock(NOW));

        FailureAnalysis search = service.analyze(query(Duration.ofHours(24), "search"));

        assertEquals(List.of(Set.of(ServerType.of("search"))), history.types);
        assertEquals(1, search.episodes(), "not hidden behind the newest 10,000 of another type");
        assertEquals(false, search.truncated());
    }

    @Test
    void moreEpisodesThanTheLimitAreAnalysedNewestFirstAndSaySo() {
        List<Failure> stored = new ArrayList<>();
        for (int i = 0; i <= AnalyzeFailuresService.LIMIT; i++) {
            stored.add(resolved(DB, FailureType.TIMEOUT, Duration.ofSeconds(i + 1), Duration.ofMillis(500)));
        }
        AnalyzeFailuresService service = new AnalyzeFailuresService(new FakeFailureHistory(stored),
                new FixedCatalog(DB), new TestClock(NOW));

        FailureAnalysis a = service.analyze(query(Duration.ofHours(24)));

        assertEquals(true, a.truncated());
        assertEquals(AnalyzeFailuresService.LIMIT, a.episodes());
        assertEquals(NOW.minusSeconds(1), a.byType().get(0).lastAt());

        FailureAnalysis exactly = new AnalyzeFailuresService(new FakeFailureHistory(stored.subList(0,
                AnalyzeFailuresService.LIMIT)), new FixedCatalog(DB), new TestClock(NOW))
                .analyze(query(Duration.ofHours(24)));
        assertEquals(false, exactly.truncated(), "exactly the limit is all of them");
    }

    @Test
    void anUnknownTypeIsRefusedWithTheKnownOnes() {
        FakeFailureHistory history = new FakeFailureHistory();
        AnalyzeFailuresService service = new AnalyzeFailuresService(history, new FixedCatalog(SEARCH_1, DB),
                new TestClock(NOW));

        UnknownServerTypeException e = assertThrows(UnknownServerTypeException.class,
                () -> service.analyze(query(Duration.ofHours(1), "search", "mail")));

        assertEquals("no server has type mail; the configured types are database, search", e.getMessage());
        assertEquals(List.of(), history.sinces, "nothing is read for a wrong question");
    }

    @Test
    void noFailuresIsAnEmptyAnalysis() {
        AnalyzeFailuresService service = new AnalyzeFailuresService(new FakeFailureHistory(),
                new FixedCatalog(SEARCH_1), new TestClock(NOW));

        FailureAnalysis a = service.analyze(query(Duration.ofMinutes(15)));

        assertEquals(new FailureAnalysis(NOW.minus(Duration.ofMinutes(15)), NOW, 0, 0, List.of(), List.of()), a);
    }

    @Test
    void followsTheClock() {
        FakeFailureHistory history = new FakeFailureHistory();
        TestClock clock = new TestClock(NOW);
        AnalyzeFailuresService service = new AnalyzeFailuresService(history, new FixedCatalog(SEARCH_1), clock);

        service.analyze(query(Duration.ofMinutes(15)));
        clock.advance(Duration.ofHours(1));
        FailureAnalysis later = service.analyze(query(Duration.ofMinutes(15)));

        assertEquals(List.of(NOW.minus(Duration.ofMinutes(15)), NOW.plus(Duration.ofMinutes(45))), history.sinces);
        assertEquals(NOW.plus(Duration.ofHours(1)), later.until());
    }
}
