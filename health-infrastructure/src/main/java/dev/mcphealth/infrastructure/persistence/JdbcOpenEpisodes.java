package dev.mcphealth.infrastructure.persistence;

import dev.mcphealth.application.port.out.OpenEpisodesPort;
import dev.mcphealth.domain.model.Alert;
import dev.mcphealth.domain.model.AlertSeverity;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.ServerId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What an earlier run left open, on SQLite: failures without a resolution (idx_failures_open), alerts without a
 * resolved_at (idx_alerts_open, V10), and a server's last probe in a range, from its availability rows (every probe
 * writes one) through idx_metrics_instance_type_time. A row that is not a domain value makes the read fail naming it.
 */
public final class JdbcOpenEpisodes implements OpenEpisodesPort {
    private static final String FAILURES = "SELECT " + JdbcFailureHistory.COLUMNS + " FROM integration_failures"
            + " WHERE failure_type IS NOT NULL AND NOT COALESCE(resolved, FALSE) AND resolution_time_seconds IS NULL"
            + " ORDER BY occurred_at, id";
    private static final String ALERTS = "SELECT id, server_instance, severity, message, raised_at FROM health_alerts"
            + " WHERE resolved_at IS NULL ORDER BY raised_at, id";
    private static final String LAST_PROBE = "SELECT MAX(measured_at) FROM integration_health_metrics"
            + " WHERE server_instance = ? AND metric_type = 'availability' AND measured_at >= ? AND measured_at < ?";

    private final Transactions tx;

    public JdbcOpenEpisodes(Database db) {
        this.tx = new Transactions(db);
    }

    @Override
    public List<Failure> openFailures() {
        String what = "read open failures from";
        return tx.connected(what, c -> {
            try (PreparedStatement ps = c.prepareStatement(FAILURES); ResultSet rs = ps.executeQuery()) {
                return UnreadableRow.readAll(rs, "integration_failures", r -> "id " + r.getLong(1),
                        JdbcFailureHistory::failure);
            }
        });
    }

    @Override
    public List<Alert> openAlerts() {
        String what = "read open alerts from";
        return tx.connected(what, c -> {
            try (PreparedStatement ps = c.prepareStatement(ALERTS); ResultSet rs = ps.executeQuery()) {
                return UnreadableRow.readAll(rs, "health_alerts", r -> r.getString(1),
                        r -> new Alert(r.getString(1), ServerId.of(r.getString(2)),
                                AlertSeverity.fromCode(r.getString(3)), r.getString(4),
                                SqlTime.read(r, 5), Optional.empty()));
            }
        });
    }

    @Override
    public Optional<Instant> lastProbe(ServerId server, Instant from, Instant before) {
        return tx.connected("read the last probe from", c -> {
            try (PreparedStatement ps = c.prepareStatement(LAST_PROBE)) {
                ps.setString(1, server.value());
                tx.dialect.bound(ps, 2, from);
                tx.dialect.bound(ps, 3, before);
                try (ResultSet rs = ps.executeQuery()) {
                    return Optional.ofNullable(rs.next() ? SqlTime.read(rs, 1) : null);
                }
            }
        });
    }
}
