package dev.mcphealth.infrastructure.persistence;

import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcphealth.application.port.out.FailureHistoryPort;
import dev.mcphealth.application.port.out.FailureStorePort;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.RecoveryAction;
import dev.mcphealth.domain.model.ServerType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What every {@link FailureHistoryPort} does with what a {@link FailureStorePort} stored: episodes begun at or after
 * {@code since}, or still open at {@code since}, of the asked server types (all when none), newest first, at most
 * {@code limit}, with every stored field.
 */
abstract class FailureHistoryContract {
    static final MonitoredServer A = aServer().named("server-a").ofType("everything").build();
    static final MonitoredServer B = aServer().named("server-b").ofType("web_search").build();
    static final Instant SINCE = Instant.parse("2026-11-23T10:00:00.500Z");

    protected abstract FailureStorePort store();

    protected abstract FailureHistoryPort history();

    static Failure resolved(Failure f, long seconds, RecoveryAction action, String task) {
        return new Failure(f.serverType(), f.serverInstance(), f.type(), f.taskContext(), f.errorDetails(), action,
                Optional.of(Duration.ofSeconds(seconds)), f.occurredAt(), Optional.ofNullable(task));
    }

    @Test
    void episodesBegunInThePeriodOrOpenWhenItBeganNewestFirstWithEverythingStored() {
        Failure longAgoOver = resolved(Failure.open(A, FailureType.TIMEOUT, "monitoring", "slow",
                SINCE.minusSeconds(3600)), 60, RecoveryAction.RECONNECT, null);
        Failure overAtSince = resolved(Failure.open(A, FailureType.TIMEOUT, "monitoring", "slow",
                SINCE.minusSeconds(10)), 10, RecoveryAction.NONE, null);
        Failure overJustAfter = resolved(Failure.open(A, FailureType.SERVER_ERROR, "monitoring", "HTTP 500",
                SINCE.minusSeconds(10)), 11, RecoveryAction.RESTART, "task_0123abcd");
        Failure stillOpen = Failure.open(B, FailureType.CONNECTION_ERROR, "monitoring", "refused",
                SINCE.minus(Duration.ofDays(3)));
        Failure atSince = Failure.open(B, FailureType.RATE_LIMIT, "tool_call", "HTTP 429", SINCE);
        Failure later = resolved(Failure.open(A, FailureType.AUTHENTICATION, "monitoring", "HTTP 401",
                SINCE.plusSeconds(60)), 0, RecoveryAction.FAILOVER, null);
        store().record(List.of(longAgoOver, overAtSince, overJustAfter, stillOpen, atSince, later));

        assertEquals(List.of(later, atSince, overJustAfter, stillOpen), history().failures(SINCE, 100));
    }

    @Test
    void aFailureResolvedLaterIsReadResolved() {
        Failure open = Failure.open(A, FailureType.TIMEOUT, "monitoring", "slow", SINCE.minusSeconds(5));
        store().record(List.of(open));
        assertEquals(List.of(open), history().failures(SINCE, 10));

        Failure done = resolved(open, 3, RecoveryAction.RESTART, "task_1");
        store().record(List.of(done));
        assertEquals(List.of(), history().failures(SINCE, 10));
        assertEquals(List.of(done), history().failures(SINCE.minusSeconds(5), 10));
    }

    @Test
    void atMostTheLimitTheNewest() {
        Failure first = Failure.open(A, FailureType.TIMEOUT, "monitoring", "1", SINCE.plusSeconds(1));
        Failure second = Failure.open(A, FailureType.TIMEOUT, "monitoring", "2", SINCE.plusSeconds(2));
        Failure third = Failure.open(B, FailureType.TIMEOUT, "monitoring", "3", SINCE.plusSeconds(3));
        store().record(List.of(first, second, third));

        assertEquals(List.of(third, second), history().failures(SINCE, 2));
        assertEquals(List.of(third), history().failures(SINCE, 1));
    }

    @Test
    void onlyTheAskedServerTypesAndTheLimitAfterThem() {
        Failure old = Failure.open(B, FailureType.TIMEOUT, "monitoring", "quiet", SINCE.plusSeconds(1));
        Failure newer = Failure.open(A, FailureType.TIMEOUT, "monitoring", "1", SINCE.plusSeconds(2));
        Failure newest = Failure.open(A, FailureType.TIMEOUT, "monitoring", "2", SINCE.plusSeconds(3));
        store().record(List.of(old, newer, newest));

        assertEquals(List.of(old), history().failures(SINCE, Set.of(B.type()), 1),
                "the newest of another type do not take the limit");
        assertEquals(List.of(newest, newer), history().failures(SINCE, Set.of(A.type()), 10));
        assertEquals(List.of(newest, newer, old), history().failures(SINCE, Set.of(A.type(), B.type()), 10));
        assertEquals(List.of(newest, newer, old), history().failures(SINCE, Set.of(), 10), "none asked: all");
        assertEquals(List.of(), history().failures(SINCE, Set.of(ServerType.of("mail")), 10));
    }

    @Test
    void nothingRecordedIsNothing() {
        assertEquals(List.of(), history().failures(SINCE, 10));
    }
}
