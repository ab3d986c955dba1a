package dev.mcphealth.domain.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.RecoveryAction;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class FailureAnalyzerTest {
    private static final Instant UNTIL = Instant.parse("2026-11-23T10:00:00Z");
    private static final Instant SINCE = UNTIL.minus(Duration.ofHours(24));
    private static final ServerType SEARCH = ServerType.of("search");
    private static final ServerType DB = ServerType.of("database");

    private static Failure failure(String server, ServerType type, FailureType failure, RecoveryAction action,
                                   Duration resolvedAfter, Instant at) {
        return new Failure(type, ServerId.of(server), failure, "monitoring", "details", action,
                Optional.ofNullable(resolvedAfter), at, Optional.empty());
    }

    private static Instant ago(Duration d) {
        return UNTIL.minus(d);
    }

    @Example
    void noEpisodesIsAnEmptyAnalysis() {
        FailureAnalysis a = FailureAnalyzer.analyze(List.of(), SINCE, UNTIL);

        assertEquals(new FailureAnalysis(SINCE, UNTIL, 0, 0, List.of(), List.of()), a);
        assertEquals(Optional.empty(), a.mttr());
    }

    @Example
    void groupsByTypeWithMttrWorstActionsAndLastAt() {
        List<Failure> failures = List.of(
                failure("a", SEARCH, FailureType.TIMEOUT, RecoveryAction.RESTART, Duration.ofSeconds(10),
                        ago(Duration.ofHours(1))),
                failure("a", SEARCH, FailureType.TIMEOUT, RecoveryAction.RESTART, Duration.ofSeconds(30),
                        ago(Duration.ofHours(2))),
                failure("b", SEARCH, FailureType.TIMEOUT, RecoveryAction.FAILOVER, null, ago(Duration.ofMinutes(5))),
                failure("c", DB, FailureType.CONNECTION_ERROR, RecoveryAction.RECONNECT, Duration.ofSeconds(4),
                        ago(Duration.ofHours(3))));

        FailureAnalysis a = FailureAnalyzer.analyze(failures, SINCE, UNTIL);

        assertEquals(4, a.episodes());
        assertEquals(1, a.open());
        assertEquals(List.of(FailureType.TIMEOUT, FailureType.CONNECTION_ERROR),
                a.byType().stream().map(FailureAnalysis.TypeGroup::type).toList());
        FailureAnalysis.TypeGroup timeouts = a.byType().get(0);
        assertEquals(new FailureAnalysis.TypeGroup(FailureType.TIMEOUT, 3, 2, Optional.of(Duration.ofSeconds(20)),
                Optional.of(Duration.ofSeconds(30)), Map.of(RecoveryAction.RESTART, 2, RecoveryAction.FAILOVER, 1),
                ago(Duration.ofMinutes(5))), timeouts);
        assertEquals(new FailureAnalysis.TypeGroup(FailureType.CONNECTION_ERROR, 1, 1,
                Optional.of(Duration.ofSeconds(4)), Optional.of(Duration.ofSeconds(4)),
                Map.of(RecoveryAction.RECONNECT, 1), ago(Duration.ofHours(3))), a.byType().get(1));
        assertEquals(Optional.of(Duration.ofNanos(Duration.ofSeconds(44).toNanos() / 3)), a.mttr());
    }

    @Example
    void aTypeWithOnlyOpenEpisodesHasNoMttr() {
        FailureAnalysis a = FailureAnalyzer.analyze(List.of(
                failure("a", SEARCH, FailureType.AUTHENTICATION, RecoveryAction.NONE, null, ago(Duration.ofHours(1)))),
                SINCE, UNTIL);

        FailureAnalysis.TypeGroup g = a.byType().get(0);
        assertEquals(0, g.resolved());
        assertEquals(Optional.empty(), g.mttr());
        assertEquals(Optional.empty(), g.worst());
        assertEquals(Map.of(RecoveryAction.NONE, 1), g.actions());
    }

    @Example
    void typesWithAsManyEpisodesAreOrderedByCode() {
        FailureAnalysis a = FailureAnalyzer.analyze(List.of(
                failure("a", SEARCH, FailureType.TIMEOUT, RecoveryAction.NONE, null, ago(Duration.ofHours(1))),
                failure("a", SEARCH, FailureType.SERVER_ERROR, RecoveryAction.NONE, null, ago(Duration.ofHours(2))),
                failure("a", SEARCH, FailureType.RATE_LIMIT, RecoveryAction.NONE, null, ago(Duration.ofHours(3))),
                failure("a", SEARCH, FailureType.AUTHENTICATION, RecoveryAction.NONE, null, ago(Duration.ofHours(4))),
                failure("a", SEARCH, FailureType.RATE_LIMIT, RecoveryAction.NONE, null, ago(Duration.ofHours(5)))),
                SINCE, UNTIL);

        assertEquals(List.of("rate_limit", "authentication", "server_error", "timeout"),
                a.byType().stream().map(g -> g.type().code()).toList());
    }

    @Example
    void instancesMostEpisodesFirstThenByNameWithOpenAndDowntime() {
        List<Failure> failures = List.of(
                failure("zeta", SEARCH, FailureType.TIMEOUT, RecoveryAction.RESTART, Duration.ofSeconds(10),
                        ago(Duration.ofHours(1))),
                failure("zeta", SEARCH, FailureType.CONNECTION_ERROR, RecoveryAction.RESTART, Duration.ofSeconds(50),
                        ago(Duration.ofHours(2))),
                failure("zeta", SEARCH, FailureType.TIMEOUT, RecoveryAction.RESTART, null, ago(Duration.ofMinutes(1))),
                failure("beta", DB, FailureType.TIMEOUT, RecoveryAction.NONE, Duration.ofMinutes(2),
                        ago(Duration.ofHours(4))),
                failure("alpha", SEARCH, FailureType.TIMEOUT, RecoveryAction.NONE, null, ago(Duration.ofHours(5))));

        FailureAnalysis a = FailureAnalyzer.analyze(failures, SINCE, UNTIL);

        assertEquals(List.of(
                new FailureAnalysis.InstanceFailures(ServerId.of("zeta"), SEARCH, 3, 1, Duration.ofSeconds(120)),
                new FailureAnalysis.InstanceFailures(ServerId.of("alpha"), SEARCH, 1, 1, Duration.ofHours(5)),
                new FailureAnalysis.InstanceFailures(ServerId.of("beta"), DB, 1, 0, Duration.ofMinutes(2))),
                a.instances());
    }

    @Example
    void anEpisodeOpenAtTheStartCountsAndItsDowntimeFromTheStart() {
        Failure straddling = failure("a", SEARCH, FailureType.TIMEOUT, RecoveryAction.RESTART,
                Duration.ofMinutes(10), SINCE.minus(Duration.ofMinutes(4)));
        Failure stillOpen = failure("b", SEARCH, FailureType.TIMEOUT, RecoveryAction.NONE, null,
                SINCE.minus(Duration.ofDays(3)));
        Failure over = failure("c", SEARCH, FailureType.TIMEOUT, RecoveryAction.RESTART, Duration.ofMinutes(1),
                SINCE.minus(Duration.ofMinutes(4)));
        Failure later = failure("d", SEARCH, FailureType.TIMEOUT, RecoveryAction.NONE, null,
                UNTIL.plusSeconds(1));

        FailureAnalysis a = FailureAnalyzer.analyze(List.of(straddling, stillOpen, over, later), SINCE, UNTIL);

        assertEquals(2, a.episodes());
        assertEquals(1, a.open());
        assertEquals(List.of(
                new FailureAnalysis.InstanceFailures(ServerId.of("a"), SEARCH, 1, 0, Duration.ofMinutes(6)),
                new FailureAnalysis.InstanceFailures(ServerId.of("b"), SEARCH, 1, 1, Duration.ofHours(24))),
                a.instances(), "an episode open for days is down the whole period, and no more");
        assertEquals(Optional.of(Duration.ofMinutes(10)), a.byType().get(0).mttr(),
                "MTTR is the whole resolution time, not the part in the period");
    }

    @Example
    void anOngoingOutageIsDownUntilTheEndOfThePeriod() {
        Failure ongoing = failure("a", SEARCH, FailureType.CONNECTION_ERROR, RecoveryAction.RESTART, null,
                ago(Duration.ofMinutes(7)));
        Failure earlier = failure("a", SEARCH, FailureType.TIMEOUT, RecoveryAction.RESTART, Duration.ofSeconds(30),
                ago(Duration.ofHours(2)));

        FailureAnalysis a = FailureAnalyzer.analyze(List.of(ongoing, earlier), SINCE, UNTIL);

        assertEquals(List.of(new FailureAnalysis.InstanceFailures(ServerId.of("a"), SEARCH, 2, 1,
                Duration.ofMinutes(7).plusSeconds(30))), a.instances(), "not \"(1 open, 30 s down)\"");
    }

    @Example
    void anAnalysisOfPartOfTheEpisodesSaysSo() {
        List<Failure> newest = List.of(failure("a", SEARCH, FailureType.TIMEOUT, RecoveryAction.NONE, null,
                ago(Duration.ofMinutes(1))));

        assertTrue(FailureAnalyzer.analyze(newest, SINCE, UNTIL, true).truncated());
        assertEquals(false, FailureAnalyzer.analyze(newest, SINCE, UNTIL).truncated());
    }

    @Example
    void anInstanceTakesTheTypeOfItsLatestEpisode() {
        FailureAnalysis a = FailureAnalyzer.analyze(List.of(
                failure("a", SEARCH, FailureType.TIMEOUT, RecoveryAction.NONE, null, ago(Duration.ofHours(5))),
                failure("a", DB, FailureType.TIMEOUT, RecoveryAction.NONE, null, ago(Duration.ofHours(1)))),
                SINCE, UNTIL);

        assertEquals(DB, a.instances().get(0).type());
    }

    @Example
    void aPeriodEndingBeforeItBeginsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> FailureAnalyzer.analyze(List.of(), UNTIL, SINCE));
    }

    // ---- properties -----------------------------------------------------------------------------------------

    @Property
    void groupsAndInstancesAddUpToTheTotals(@ForAll("failures") @Size(max = 60) List<Failure> failures) {
        FailureAnalysis a = FailureAnalyzer.analyze(failures, SINCE, UNTIL);

        assertEquals(a.episodes(), a.byType().stream().mapToInt(FailureAnalysis.TypeGroup::episodes).sum());
        assertEquals(a.episodes(), a.instances().stream().mapToInt(FailureAnalysis.InstanceFailures::episodes).sum());
        assertEquals(a.open(), a.episodes() - a.byType().stream().mapToInt(FailureAnalysis.TypeGroup::resolved).sum());
        assertEquals(a.open(), a.instances().stream().mapToInt(FailureAnalysis.InstanceFailures::open).sum());
        for (FailureAnalysis.TypeGroup g : a.byType()) {
            assertEquals(g.episodes(), g.actions().values().stream().mapToInt(Integer::intValue).sum());
            assertTrue(g.mttr().isPresent() == g.resolved() > 0);
            g.mttr().ifPresent(m -> assertTrue(m.compareTo(g.worst().orElseThrow()) <= 0));
        }
        for (int i = 1; i < a.byType().size(); i++) {
            assertTrue(a.byType().get(i - 1).episodes() >= a.byType().get(i).episodes());
        }
        for (FailureAnalysis.InstanceFailures row : a.instances()) {
            assertTrue(!row.downtime().isNegative());
            assertTrue(row.downtime().compareTo(Duration.between(SINCE, UNTIL).multipliedBy(row.episodes())) <= 0,
                    "downtime lies within the period");
        }
    }

    @Provide
    Arbitrary<List<Failure>> failures() {
        Arbitrary<String> server = Arbitraries.of("a", "b", "c", "d");
        Arbitrary<ServerType> type = Arbitraries.of(SEARCH, DB);
        Arbitrary<FailureType> failure = Arbitraries.of(FailureType.class);
        Arbitrary<RecoveryAction> action = Arbitraries.of(RecoveryAction.class);
        Arbitrary<Duration> resolution = Arbitraries.longs().between(0, Duration.ofHours(3).toSeconds())
                .map(Duration::ofSeconds).injectNull(0.3);
        Arbitrary<Instant> at = Arbitraries.longs().between(-Duration.ofHours(30).toSeconds(), 60)
                .map(UNTIL::plusSeconds);
        Arbitrary<Failure> one = Combinators.combine(server, type, failure, action, resolution, at)
                .as(FailureAnalyzerTest::failure);
        return one.list().map(ArrayList::new);
    }
}
