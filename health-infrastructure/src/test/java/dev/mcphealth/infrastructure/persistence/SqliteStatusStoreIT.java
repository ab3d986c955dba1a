package dev.mcphealth.infrastructure.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mcphealth.application.port.out.StatusStorePort;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.domain.model.StatusSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The status contract on a real SQLite file, read back through {@link JdbcHistory#statuses()}; and the columns. */
class SqliteStatusStoreIT extends StatusStoreContract {
    @RegisterExtension
    final TempDatabase database = new TempDatabase();


    @Override
    protected StatusStorePort store() {
        return new JdbcStatusStore(database.db());
    }

    @Override
    protected List<StatusSnapshot> statuses() {
        return new JdbcHistory(database.db()).statuses();
    }

    @Test
    void theColumnsBesideTheJsonSayWhatItSays() throws Exception {
        StatusSnapshot full = Snapshots.full("everything-1", T0);
        store().save(List.of(full, Snapshots.empty("memory-1", T0)));

        assertEquals("everything|warning|2026-11-23 10:15:30.123|2026-11-23 10:16:00.500",
                Sql.single(database.db(), "SELECT server_type || '|' || status || '|' || since || '|' || updated_at"
                        + " FROM server_status WHERE server_instance = 'everything-1'"));
        assertEquals(StatusJson.write(full),
                Sql.single(database.db(), "SELECT snapshot FROM server_status WHERE server_instance = 'everything-1'"));
        assertEquals("memory|1|1", Sql.single(database.db(), "SELECT server_type || '|' || (status IS NULL) || '|'"
                + " || (since IS NULL) FROM server_status WHERE server_instance = 'memory-1'"));
        assertEquals("warning", Sql.single(database.db(), "SELECT json_extract(snapshot, '$.status') FROM server_status"
                + " WHERE server_instance = 'everything-1'"));
    }

    @Test
    void aSnapshotWrittenByANewerVersionIsRefusedWithItsServer() throws Exception {
        store().save(List.of(Snapshots.full("everything-1", T0)));
        Sql.execute(database.db(), "UPDATE server_status SET snapshot = json_set(snapshot, '$.version', 2)");

        StorageUnavailableException e = assertThrows(StorageUnavailableException.class, this::statuses);

        assertEquals("cannot read server status from " + database.db().file() + ": the snapshot of server \"everything-1\" cannot"
                + " be read (format 2 is not 1: written by a newer MCP Health)", e.getMessage());
    }

    @Test
    void aBatchThatFailsPartWayStoresNothing() throws Exception {
        StatusSnapshot before = Snapshots.empty("everything-1", T0);
        store().save(List.of(before));
        Sql.refuseInserts(database.db(), "server_status", "NEW.server_instance = 'refused'");

        StorageUnavailableException e = assertThrows(StorageUnavailableException.class, () -> store().save(List.of(
                Snapshots.full("everything-1", T0.plusSeconds(1)), Snapshots.full("refused", T0))));

        assertEquals("cannot write server status to " + database.db().file() + ": disk is full", e.getMessage());
        assertEquals(List.of(before), statuses());
    }
}
