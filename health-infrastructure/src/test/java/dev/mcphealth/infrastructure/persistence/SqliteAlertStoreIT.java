package dev.mcphealth.infrastructure.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mcphealth.application.port.out.AlertStorePort;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.domain.model.Alert;
import dev.mcphealth.domain.model.AlertSeverity;
import dev.mcphealth.domain.model.ServerId;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The alert contract on a real SQLite file, read back through {@link JdbcHistory}; and what only SQL shows. */
class SqliteAlertStoreIT extends AlertStoreContract {
    @RegisterExtension
    final TempDatabase database = new TempDatabase();


    @Override
    protected AlertStorePort store() {
        return new JdbcAlertStore(database.db());
    }

    @Override
    protected List<Alert> stored(ServerId server) {
        return new JdbcHistory(database.db()).history(server, Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"))
                .alerts();
    }

    @Test
    void anEscalatedAndResolvedAlertIsOneRow() throws Exception {
        Alert raised = Alert.raise(A, AlertSeverity.WARNING, "slow", T0);
        store().save(List.of(raised));
        store().save(List.of(raised.escalatedTo(AlertSeverity.CRITICAL, "offline").resolvedAt(T0.plusSeconds(90))));

        assertEquals("1", Sql.single(database.db(), "SELECT COUNT(*) FROM health_alerts"));
        assertEquals(raised.id() + "|server-a|critical|offline|2026-11-23 10:00:00.125|2026-11-23 10:01:30.125",
                Sql.single(database.db(), "SELECT id || '|' || server_instance || '|' || severity || '|' || message || '|'"
                        + " || raised_at || '|' || resolved_at FROM health_alerts"));
    }

    @Test
    void aBatchThatFailsPartWayStoresNothing() throws Exception {
        Alert open = Alert.raise(A, AlertSeverity.WARNING, "slow", T0);
        store().save(List.of(open));
        Sql.refuseInserts(database.db(), "health_alerts", "NEW.message = 'refused'");

        StorageUnavailableException e = assertThrows(StorageUnavailableException.class, () -> store().save(List.of(
                open.resolvedAt(T0.plusSeconds(1)), Alert.raise(B, AlertSeverity.CRITICAL, "new", T0),
                Alert.raise(B, AlertSeverity.CRITICAL, "refused", T0.plusSeconds(2)))));

        assertEquals("cannot write alerts to " + database.db().file() + ": disk is full", e.getMessage());
        assertEquals(List.of(open), stored(A));
        assertEquals(List.of(), stored(B));
    }
}
