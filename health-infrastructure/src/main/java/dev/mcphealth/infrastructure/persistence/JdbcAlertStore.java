package dev.mcphealth.infrastructure.persistence;

import dev.mcphealth.application.port.out.AlertStorePort;
import dev.mcphealth.domain.model.Alert;
import java.util.List;

/**
 * health_alerts on SQLite, one transaction per batch. An alert saved again (same id) replaces the stored row: that is
 * how an alert is escalated and resolved. Times are kept to the millisecond.
 */
public final class JdbcAlertStore implements AlertStorePort {
    private static final String UPSERT = "INSERT INTO health_alerts (id, server_instance, severity, message, raised_at,"
            + " resolved_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
            + " server_instance = excluded.server_instance, severity = excluded.severity, message = excluded.message,"
            + " raised_at = excluded.raised_at, resolved_at = excluded.resolved_at";

    private final Transactions tx;

    public JdbcAlertStore(Database db) {
        this.tx = new Transactions(db);
    }

    @Override
    public void save(List<Alert> alerts) {
        tx.fencedBatch("write alerts", UPSERT, alerts, a -> a.server().value(), (ps, a) -> {
            ps.setString(1, a.id());
            ps.setString(2, a.server().value());
            ps.setString(3, a.severity().code());
            tx.dialect.text(ps, 4, a.message());
            tx.dialect.time(ps, 5, a.raisedAt());
            tx.dialect.time(ps, 6, a.resolvedAt().orElse(null));
        });
    }
}
