package dev.mcphealth.infrastructure.persistence;

import static dev.mcphealth.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcphealth.domain.model.HealthMetric;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MetricType;
import dev.mcphealth.domain.model.MonitoredServer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** integration_health_metrics on a real SQLite file: the orchestrator ids of a linked run's rows. */
class SqliteMetricStoreIT {
    private static final MonitoredServer SERVER = aServer().named("search-1").ofType("web_search").build();
    private static final Instant AT = Instant.parse("2026-11-23T10:15:30.123Z");
    private static final String IDS = "SELECT group_concat(r, ';') FROM (SELECT metric_type || '|'"
            + " || COALESCE(orchestrator_task_id, '-') || '|' || COALESCE(orchestrator_session_id, '-') AS r"
            + " FROM integration_health_metrics ORDER BY id)";

    @RegisterExtension
    final TempDatabase database = new TempDatabase();

    private static HealthMetric metric(MetricType type, double value) {
        return HealthMetric.of(SERVER, type, value, HealthStatus.HEALTHY, Map.of("probe", "ping"), AT);
    }

    @Test
    void aLinkedRunsRowsStoreItsTaskAndSessionAndOtherRowsNeither() throws Exception {
        new SqliteMetricStore(database.db()).append(List.of(
                metric(MetricType.AVAILABILITY, 1.0).linkedTo("session_1", Optional.of("task_7")),
                metric(MetricType.RESPONSE_TIME, 12.5).linkedTo("session_1", Optional.of("task_7")),
                metric(MetricType.AVAILABILITY, 1.0).linkedTo("session_2", Optional.empty()),
                metric(MetricType.AVAILABILITY, 1.0)));

        assertEquals("availability|task_7|session_1;response_time|task_7|session_1;availability|-|session_2;"
                + "availability|-|-", Sql.single(database.db(), IDS));
        assertEquals("2", Sql.single(database.db(), "SELECT COUNT(*) FROM integration_health_metrics"
                + " WHERE orchestrator_task_id = 'task_7' AND orchestrator_session_id = 'session_1'"
                + " AND server_instance = 'search-1' AND measured_at = '2026-11-23 10:15:30.123'"));
    }
}
