package dev.mcphealth.infrastructure.persistence;

import dev.mcphealth.application.port.out.AlertStorePort;
import dev.mcphealth.application.port.out.FailoverConfigStoreContract;
import dev.mcphealth.application.port.out.FailoverConfigStorePort;
import dev.mcphealth.application.port.out.FailureHistoryPort;
import dev.mcphealth.application.port.out.FailureStorePort;
import dev.mcphealth.application.port.out.MetricStoreContract;
import dev.mcphealth.application.port.out.MetricStorePort;
import dev.mcphealth.application.port.out.OpenEpisodesContract;
import dev.mcphealth.application.port.out.OpenEpisodesPort;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogContract;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort;
import dev.mcphealth.application.port.out.OutboxContract;
import dev.mcphealth.application.port.out.OutboxPort;
import dev.mcphealth.application.port.out.StatusStorePort;
import dev.mcphealth.domain.model.Alert;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.HealthMetric;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MetricType;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.StatusSnapshot;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every store contract the SQLite stores are held to, held again on a real PostgreSQL server (Debian's, started by
 * the test in a temporary directory: {@link dev.mcphealth.testkit.PostgresServer}), a fresh database per test.
 */
class PostgresStoreContractsIT {
    private static final Instant END = Instant.parse("2100-01-01T00:00:00Z");

    @RegisterExtension
    final TempPostgres database = new TempPostgres();

    @Nested
    class Alerts extends AlertStoreContract {
        @Override
        protected AlertStorePort store() {
            return new JdbcAlertStore(database.db());
        }

        @Override
        protected List<Alert> stored(ServerId server) {
            return new JdbcHistory(database.db()).history(server, Instant.EPOCH, END).alerts();
        }
    }

    @Nested
    class Statuses extends StatusStoreContract {
        @Override
        protected StatusStorePort store() {
            return new JdbcStatusStore(database.db());
        }

        @Override
        protected List<StatusSnapshot> statuses() {
            return new JdbcHistory(database.db()).statuses();
        }
    }

    @Nested
    class Failures extends FailureStoreContract {
        @Override
        protected FailureStorePort store() {
            return new JdbcFailureStore(database.db());
        }

        @Override
        protected List<Failure> stored(ServerId server) {
            return new JdbcHistory(database.db()).history(server, Instant.EPOCH, END).failures();
        }
    }

    @Nested
    class FailureHistory extends FailureHistoryContract {
        @Override
        protected FailureStorePort store() {
            return new JdbcFailureStore(database.db());
        }

        @Override
        protected FailureHistoryPort history() {
            return new JdbcFailureHistory(database.db());
        }
    }

    @Nested
    class OpenEpisodes extends OpenEpisodesContract {
        @Override
        protected OpenEpisodesPort port() {
            return new JdbcOpenEpisodes(database.db());
        }

        @Override
        protected void recorded(Failure... failures) {
            new JdbcFailureStore(database.db()).record(List.of(failures));
        }

        @Override
        protected void saved(Alert... alerts) {
            new JdbcAlertStore(database.db()).save(List.of(alerts));
        }

        @Override
        protected void probed(MonitoredServer server, Instant at) {
            new JdbcMetricStore(database.db()).append(List.of(HealthMetric.of(server, MetricType.AVAILABILITY, 1.0,
                    HealthStatus.HEALTHY, Map.of(), at)));
        }
    }

    @Nested
    class FailoverConfigs extends FailoverConfigStoreContract {
        @Override
        protected FailoverConfigStorePort store() {
            return new JdbcFailoverConfigStore(database.db());
        }
    }

    @Nested
    class Metrics extends MetricStoreContract {
        private static final String ROWS = "SELECT server_type, server_instance, metric_type, metric_value, status,"
                + " details, measured_at, orchestrator_task_id, orchestrator_session_id FROM integration_health_metrics"
                + " WHERE server_instance = ? ORDER BY id";
        private final JsonMapper json = JsonMapper.builder().build();

        @Override
        protected MetricStorePort store() {
            return new JdbcMetricStore(database.db());
        }

        @Override
        protected List<HealthMetric> stored(ServerId server) {
            try (Connection c = database.db().connection(); PreparedStatement ps = c.prepareStatement(ROWS)) {
                ps.setString(1, server.value());
                List<HealthMetric> rows = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new HealthMetric(ServerType.of(rs.getString(1)), ServerId.of(rs.getString(2)),
                                MetricType.fromCode(rs.getString(3)), rs.getDouble(4),
                                HealthStatus.fromCode(rs.getString(5)),
                                json.readValue(rs.getString(6), new TypeReference<Map<String, String>>() { }),
                                SqlTime.read(rs, 7), Optional.ofNullable(rs.getString(8)),
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
            database.refuseInserts("integration_health_metrics", "NEW.server_instance = '" + server.value() + "'");
        }
    }

    @Nested
    class Outbox extends OutboxContract {
        @Override
        protected OutboxPort outbox() {
            return new JdbcOutbox(database.db());
        }
    }

    @Nested
    class IntegrationLog extends OrchestratorIntegrationLogContract {
        @Override
        protected OrchestratorIntegrationLogPort log() {
            return new JdbcOrchestratorIntegrationLog(database.db());
        }
    }

    @Nested
    class History extends HistoryStoreContract {
        @Override
        protected Database db() {
            return database.db();
        }
    }

    @Nested
    class Trials extends TrialStoreContract {
        @Override
        protected Database db() {
            return database.db();
        }
    }

    @Nested
    class ToolUsage extends ToolUsageStoreContract {
        @Override
        protected Database db() {
            return database.db();
        }
    }

    @Nested
    class UsageProfiles extends UsageProfileStoreContract {
        @Override
        protected Database db() {
            return database.db();
        }
    }

    @Nested
    class ProbeProfiles extends ProbeProfileStoreContract {
        @Override
        protected Database db() {
            return database.db();
        }
    }

    @Nested
    class TaskLinks extends TaskLinksContract {
        @Override
        protected Database db() {
            return database.db();
        }
    }
}
