package dev.mcphealth.infrastructure.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mcphealth.application.port.out.FailureHistoryPort;
import dev.mcphealth.application.port.out.FailureStorePort;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.RecoveryAction;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The failure history contract on a real SQLite file written by JdbcFailureStore; and what only SQL shows. */
class SqliteFailureHistoryIT extends FailureHistoryContract {
    @RegisterExtension
    final TempDatabase database = new TempDatabase();

    @Override
    protected FailureStorePort store() {
        return new JdbcFailureStore(database.db());
    }

    @Override
    protected FailureHistoryPort history() {
        return new JdbcFailureHistory(database.db());
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
