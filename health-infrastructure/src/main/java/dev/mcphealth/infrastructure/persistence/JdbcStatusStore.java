package dev.mcphealth.infrastructure.persistence;

import dev.mcphealth.application.port.out.StatusStorePort;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.StatusSnapshot;
import java.util.List;

/**
 * server_status on SQLite, one transaction per batch: one row per server, replaced by every save. The whole snapshot
 * is the JSON column ({@link StatusJson}); status, since and updated_at are copied beside it for plain SQL readers.
 * {@link JdbcHistory#statuses()} reads it back.
 */
public final class JdbcStatusStore implements StatusStorePort {
    private static final String UPSERT = "INSERT INTO server_status (server_instance, server_type, status, since,"
            + " updated_at, snapshot) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (server_instance) DO UPDATE SET"
            + " server_type = excluded.server_type, status = excluded.status, since = excluded.since,"
            + " updated_at = excluded.updated_at, snapshot = excluded.snapshot";

    private final Transactions tx;

    public JdbcStatusStore(Database db) {
        this.tx = new Transactions(db);
    }

    @Override
    public void save(List<StatusSnapshot> snapshots) {
        tx.fencedBatch("write server status", UPSERT, snapshots, s -> s.server().value(), (ps, s) -> {
            ps.setString(1, s.server().value());
            ps.setString(2, s.type().value());
            ps.setString(3, s.status().map(HealthStatus::code).orElse(null));
            tx.dialect.time(ps, 4, s.since().orElse(null));
            tx.dialect.time(ps, 5, s.updatedAt());
            ps.setString(6, StatusJson.write(s));
        });
    }
}
