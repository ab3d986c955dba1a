package dev.mcphealth.infrastructure.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.domain.model.BreakerState;
import dev.mcphealth.domain.model.MonitorEvent.BreakerChanged;
import dev.mcphealth.domain.model.ServerId;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** circuit_breaker_transitions on a real SQLite file. */
class SqliteBreakerLogIT {
    private static final ServerId A = ServerId.of("server-a");
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00.125Z");

    @RegisterExtension
    final TempDatabase database = new TempDatabase();

    private static final String ROWS = "SELECT group_concat(server_instance || '|' || from_state || '|' || to_state"
            + " || '|' || reason || '|' || occurred_at, ';') FROM (SELECT * FROM circuit_breaker_transitions"
            + " ORDER BY id)";

    @Test
    void everyTransitionIsARowWithItsTimeToTheMillisecond() throws Exception {
        new JdbcBreakerLog(database.db()).record(List.of(
                new BreakerChanged(A, BreakerState.CLOSED, BreakerState.OPEN, "5 of 10 calls failed", T0),
                new BreakerChanged(A, BreakerState.OPEN, BreakerState.HALF_OPEN, "open for 30 s", T0.plusSeconds(30))));
        new JdbcBreakerLog(database.db()).record(List.of(
                new BreakerChanged(A, BreakerState.HALF_OPEN, BreakerState.CLOSED, "3 trial calls answered",
                        T0.plusSeconds(31))));

        assertEquals("server-a|closed|open|5 of 10 calls failed|2026-11-23 10:00:00.125;"
                + "server-a|open|half_open|open for 30 s|2026-11-23 10:00:30.125;"
                + "server-a|half_open|closed|3 trial calls answered|2026-11-23 10:00:31.125",
                Sql.single(database.db(), ROWS));
    }

    @Test
    void nothingToRecordWritesNothing() throws Exception {
        new JdbcBreakerLog(database.db()).record(List.of());
        assertEquals("0", Sql.single(database.db(), "SELECT COUNT(*) FROM circuit_breaker_transitions"));
    }

    @Test
    void theSchemaRefusesUnknownStatesAndNoChange() {
        for (String values : List.of("('a', 'closed', 'broken', 'r', '2026-11-23 10:00:00.000')",
                "('a', 'open', 'open', 'r', '2026-11-23 10:00:00.000')",
                "('a', 'open', 'closed', NULL, '2026-11-23 10:00:00.000')")) {
            assertThrows(java.sql.SQLException.class, () -> Sql.execute(database.db(),
                    "INSERT INTO circuit_breaker_transitions (server_instance, from_state, to_state, reason,"
                            + " occurred_at) VALUES " + values), values);
        }
    }

    @Test
    void aBatchThatFailsPartWayChangesNothingAndSaysWhy() throws Exception {
        Sql.refuseInserts(database.db(), "circuit_breaker_transitions", "NEW.to_state = 'half_open'");

        StorageUnavailableException e = assertThrows(StorageUnavailableException.class,
                () -> new JdbcBreakerLog(database.impatient()).record(List.of(
                        new BreakerChanged(A, BreakerState.CLOSED, BreakerState.OPEN, "failing", T0),
                        new BreakerChanged(A, BreakerState.OPEN, BreakerState.HALF_OPEN, "trial", T0.plusSeconds(30)))));

        assertEquals("cannot write breaker transitions to " + database.file() + ": disk is full", e.getMessage());
        assertEquals("0", Sql.single(database.db(), "SELECT COUNT(*) FROM circuit_breaker_transitions"));
    }

    @Test
    void aDatabaseLockedByAnotherProcessIsUnavailable() throws Exception {
        try (AutoCloseable lock = Sql.lockExclusively(database.file())) {
            StorageUnavailableException e = assertThrows(StorageUnavailableException.class,
                    () -> new JdbcBreakerLog(database.impatient()).record(List.of(
                            new BreakerChanged(A, BreakerState.CLOSED, BreakerState.OPEN, "failing", T0))));
            assertEquals("cannot write breaker transitions to " + database.file() + ": database is locked",
                    e.getMessage());
        }
    }
}
