package dev.mcphealth.infrastructure.persistence;

import dev.mcphealth.application.port.out.OpenEpisodesContract;
import dev.mcphealth.application.port.out.OpenEpisodesPort;
import dev.mcphealth.domain.model.Alert;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.HealthMetric;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MetricType;
import dev.mcphealth.domain.model.MonitoredServer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link JdbcOpenEpisodes} over what the SQLite stores wrote, held to the contract its fake keeps. */
class SqliteOpenEpisodesContractIT extends OpenEpisodesContract {
    @RegisterExtension
    final TempDatabase database = new TempDatabase();

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
