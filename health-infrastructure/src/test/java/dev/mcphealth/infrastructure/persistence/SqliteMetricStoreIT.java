package dev.mcphealth.infrastructure.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcphealth.application.port.out.MetricStoreContract;
import dev.mcphealth.application.port.out.MetricStorePort;
import dev.mcphealth.domain.model.HealthMetric;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MetricType;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The metric contract on a real SQLite file, read back row by row; and the columns only SQL shows. */
class SqliteMetricStoreIT extends MetricStoreContract {
    private static final String ROWS = "SELECT server_type, server_instance, metric_type, metric_value, status,"
            + " details, measured_at, orchestrator_task_id, orchestrator_session_id FROM integration_health_metrics"
            + " WHERE server_instance = ? ORDER BY id";
    private static final String IDS = "SELECT group_concat(r, ';') FROM (SELECT metric_type || '|'"
            + " || COALESCE(orchestrator_task_id, '-') || '|' || COALESCE(orchestrator_session_id, '-') AS r"
            + " FROM integration_health_metrics ORDER BY id)";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @RegisterExtension
    final TempDatabase database = new TempDatabase();

    @Override
    protected MetricStorePort store() {
        return new JdbcMetricStore(database.db());
    }

    @Override
    protected List<HealthMetric> stored(ServerId server) {
        try (Connection c = database.db().dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(ROWS)) {
            ps.setString(1, server.value());
            List<HealthMetric> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new HealthMetric(ServerType.of(rs.getString(1)), ServerId.of(rs.getString(2)),
                            MetricType.fromCode(rs.getString(3)), rs.getDouble(4),
                            HealthStatus.fromCode(rs.getString(5)),
                            JSON.readValue(rs.getString(6), new TypeReference<Map<String, String>>() { }),
                            SqlTime.parse(rs.getString(7)), Optional.ofNullable(rs.getString(8)),
                            Optional.ofNullable(rs.getString(9))));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    protected void cannotTakeMetricsOf(ServerId server) {
        try {
            Sql.refuseInserts(database.db(), "integration_health_metrics",
                    "NEW.server_instance = '" + server.value() + "'");
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aLinkedRunsRowsStoreItsTaskAndSessionAndOtherRowsNeither() throws Exception {
        store().append(List.of(
                metric(A, MetricType.AVAILABILITY, 1.0, T0).linkedTo("session_1", Optional.of("task_7")),
                metric(A, MetricType.RESPONSE_TIME, 12.5, T0).linkedTo("session_1", Optional.of("task_7")),
                metric(A, MetricType.AVAILABILITY, 1.0, T0).linkedTo("session_2", Optional.empty()),
                metric(A, MetricType.AVAILABILITY, 1.0, T0)));

        assertEquals("availability|task_7|session_1;response_time|task_7|session_1;availability|-|session_2;"
                + "availability|-|-", Sql.single(database.db(), IDS));
        assertEquals("2", Sql.single(database.db(), "SELECT COUNT(*) FROM integration_health_metrics"
                + " WHERE orchestrator_task_id = 'task_7' AND orchestrator_session_id = 'session_1'"
                + " AND server_instance = 'search-1' AND measured_at = '2026-11-23 10:15:30.123'"));
    }
}
