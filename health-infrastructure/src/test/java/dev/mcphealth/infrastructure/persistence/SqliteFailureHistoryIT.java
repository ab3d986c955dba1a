package dev.mcphealth.infrastructure.persistence;

import static dev.mcphealth.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.RecoveryAction;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** integration_failures read back as episodes of a period, on a real SQLite file written by SqliteFailureStore. */
class SqliteFailureHistoryIT {
    private static final MonitoredServer A = aServer().named("server-a").ofType("everything").build();
    private static final MonitoredServer B = aServer().named("server-b").ofType("web_search").build();
    private static final Instant SINCE = Instant.parse("2026-11-23T10:00:00.500Z");

    @RegisterExtension
    final TempDatabase database = new TempDatabase();

    private SqliteFailureHistory history() {
        return new SqliteFailureHistory(database.db());
    }

    private void store(Failure... failures) {
        new SqliteFailureStore(database.db()).record(List.of(failures));
    }

    private static Failure resolved(Failure f, long seconds, RecoveryAction action, String task) {
        return new Failure(f.serverType(), f.serverInstance(), f.type(), f.taskContext(), f.errorDetails(), action,
                Optional.of(Duration.ofSeconds(seconds)), f.occurredAt(), Optional.ofNullable(task));
    }

    @Test
    void episodesBegunInThePeriodOrOpenWhenItBeganNewestFirstWithEverythingStored() {
        Failure longAgoOver = resolved(Failure.open(A, FailureType.TIMEOUT, "monitoring", "slow",
                SINCE.minusSeconds(3600)), 60, RecoveryAction.RECONNECT, null);
        Failure overJustBefore = resolved(Failure.open(A, FailureType.TIMEOUT, "monitoring", "slow",
                SINCE.minusSeconds(10)), 10, RecoveryAction.NONE, null);
        Failure overJustAfter = resolved(Failure.open(A, FailureType.SERVER_ERROR, "monitoring", "HTTP 500",
                SINCE.minusSeconds(10)), 11, RecoveryAction.RESTART, "task_0123abcd");
        Failure stillOpen = Failure.open(B, FailureType.CONNECTION_ERROR, "monitoring", "refused",
                SINCE.minus(Duration.ofDays(3)));
        Failure atSince = Failure.open(B, FailureType.RATE_LIMIT, "tool_call", "HTTP 429", SINCE);
        Failure later = resolved(Failure.open(A, FailureType.AUTHENTICATION, "monitoring", "HTTP 401",
                SINCE.plusSeconds(60)), 0, RecoveryAction.FAILOVER, null);
        store(longAgoOver, overJustBefore, overJustAfter, stillOpen, atSince, later);

        assertEquals(List.of(later, atSince, overJustAfter, stillOpen), history().failures(SINCE, 100));
    }

    @Test
    void atMostTheLimitTheNewest() {
        Failure first = Failure.open(A, FailureType.TIMEOUT, "monitoring", "1", SINCE.plusSeconds(1));
        Failure second = Failure.open(A, FailureType.TIMEOUT, "monitoring", "2", SINCE.plusSeconds(2));
        Failure third = Failure.open(B, FailureType.TIMEOUT, "monitoring", "3", SINCE.plusSeconds(3));
        store(first, second, third);

        assertEquals(List.of(third, second), history().failures(SINCE, 2));
        assertEquals(List.of(third), history().failures(SINCE, 1));
    }

    @Test
    void nothingRecordedIsNothing() {
        assertEquals(List.of(), history().failures(SINCE, 10));
    }

    @Test
    void rowsOfTheDesignsSchemaAreReadLeniently() throws Exception {
        // written by another tool: no instance (before V2), no context, no details, no action, the default timestamp
        // spelling; and one with no failure type, which says nothing and is skipped
        Sql.execute(database.db(), "INSERT INTO integration_failures (server_type, failure_type, occurred_at)"
                + " VALUES ('database', 'timeout', '2026-11-23 10:00:01')");
        Sql.execute(database.db(), "INSERT INTO integration_failures (server_type, occurred_at)"
                + " VALUES ('database', '2026-11-23 10:00:02')");
        // resolved in the design's way, without a resolution time: its end is unknown, so only its start counts
        Sql.execute(database.db(), "INSERT INTO integration_failures (server_type, failure_type, resolved, occurred_at)"
                + " VALUES ('database', 'timeout', 1, '2026-11-23 09:00:00')");

        assertEquals(List.of(new Failure(ServerType.of("database"), ServerId.of("database"), FailureType.TIMEOUT,
                        "unknown", "no details recorded", RecoveryAction.NONE, Optional.empty(),
                        Instant.parse("2026-11-23T10:00:01Z"), Optional.empty())),
                history().failures(SINCE, 10));
    }

    @Test
    void aWholeSecondSinceIncludesRowsWrittenEitherWay() throws Exception {
        Instant whole = Instant.parse("2026-11-23T10:00:00Z");
        Sql.execute(database.db(), "INSERT INTO integration_failures (server_type, server_instance, failure_type,"
                + " resolution_time_seconds, resolved, occurred_at) VALUES"
                + " ('t', 'by-default', 'timeout', 1, 1, '2026-11-23 10:00:00'),"
                + " ('t', 'by-us', 'timeout', 1, 1, '2026-11-23 10:00:00.000'),"
                + " ('t', 'before', 'timeout', 1, 1, '2026-11-23 09:59:59')");

        assertEquals(List.of("by-us", "by-default"), history().failures(whole, 10).stream()
                .map(f -> f.serverInstance().value()).toList());
    }

    @Test
    void aRowThatIsNotAFailureFailsTheReadNamingTheRow() throws Exception {
        Sql.execute(database.db(), "INSERT INTO integration_failures (id, server_type, server_instance, failure_type,"
                + " recovery_action, occurred_at) VALUES (7, 't', 'x', 'timeout', 'pray', '2026-11-23 10:00:01.000')");

        StorageUnavailableException e = assertThrows(StorageUnavailableException.class,
                () -> history().failures(SINCE, 10));
        assertEquals("cannot read failures from " + database.file() + ": integration_failures row id 7 cannot be read"
                + " (recovery action must be one of restart, reconnect, failover, none, got \"pray\")", e.getMessage());
    }

    @Test
    void aMissingFileIsUnavailable() throws Exception {
        database.db().close();
        StorageUnavailableException e = assertThrows(StorageUnavailableException.class,
                () -> history().failures(SINCE, 10));
        assertEquals(true, e.getMessage().startsWith("cannot read failures from " + database.file() + ": "),
                e.getMessage());
    }
}
