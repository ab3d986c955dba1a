package dev.mcphealth.infrastructure.persistence;

import dev.mcphealth.application.port.out.MetricStorePort;
import dev.mcphealth.domain.model.HealthMetric;
import java.util.List;

/** integration_health_metrics on SQLite: one transaction per batch. */
public final class JdbcMetricStore implements MetricStorePort {
    private static final String INSERT = "INSERT INTO integration_health_metrics (server_type, server_instance,"
            + " metric_type, metric_value, status, details, measured_at, orchestrator_task_id, orchestrator_session_id)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final Transactions tx;

    public JdbcMetricStore(Database db) {
        this.tx = new Transactions(db);
    }

    @Override
    public void append(List<HealthMetric> metrics) {
        tx.fencedBatch("write metrics", INSERT, metrics, m -> m.serverInstance().value(), (ps, m) -> {
            ps.setString(1, m.serverType().value());
            ps.setString(2, m.serverInstance().value());
            ps.setString(3, m.metricType().code());
            ps.setDouble(4, m.value());
            ps.setString(5, m.status().code());
            ps.setString(6, DetailsJson.write(m.details()));
            tx.dialect.time(ps, 7, m.measuredAt());
            ps.setString(8, m.orchestratorTaskId().orElse(null));
            ps.setString(9, m.orchestratorSessionId().orElse(null));
        });
    }
}
