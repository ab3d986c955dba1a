package dev.mcphealth.adapter.cli.di;

import dev.mcphealth.adapter.cli.CheckSession;
import dev.mcphealth.adapter.cli.CheckSessions;
import dev.mcphealth.adapter.cli.UsageProblem;
import dev.mcphealth.application.port.in.CheckHealthUseCase;
import dev.mcphealth.application.port.in.HealthReport;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.infrastructure.config.ConfigException;
import dev.mcphealth.infrastructure.di.DatabaseLocation;
import dev.mcphealth.infrastructure.persistence.DatabaseTarget;
import dev.mcphealth.infrastructure.di.RunSettings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Builds a component per run. The configuration is read before the database is opened, so a bad configuration is
 * reported as such even when the database is unusable too; both become a {@link UsageProblem}. The database opens on a
 * thread of its own while the probes start ({@link DatabaseTarget.OpeningAhead}).
 */
final class ComponentCheckSessions implements CheckSessions {
    private final Map<String, String> env;
    private final String userHome;

    ComponentCheckSessions(Map<String, String> env, String userHome) {
        this.env = env;
        this.userHome = userHome;
    }

    @Override
    public CheckSession open(Path config, Optional<String> database) {
        DatabaseTarget.OpeningAhead db;
        try {
            db = new DatabaseTarget.OpeningAhead(DatabaseLocation.target(database, env, userHome));
        } catch (IllegalArgumentException e) {
            throw new UsageProblem(e.getMessage(), e);
        }
        // the configuration's reader and the SDK use Jackson: read once the warm-up has made it (Warmup)
        Warmup.await();
        CliComponent component = DaggerCliComponent.factory().create(new RunSettings(config, db));
        try {
            component.config();
        } catch (ConfigException e) {
            throw new UsageProblem(e.getMessage(), e);
        }
        // opened while the probes start (the check needs it only to record what they found): an unusable database is
        // said as before, as one line and exit 3 with nothing printed of the check, but once the probes have ended
        // (within their timeouts); before an unknown --server, too, it is said after it
        db.start();
        return new CheckSession() {
            @Override
            public CheckHealthUseCase checkHealth() {
                CheckHealthUseCase check = component.checkHealth();
                return query -> {
                    HealthReport report = check.check(query); // throws any other failure of the open itself
                    if (db.failure().orElse(null) instanceof StorageUnavailableException e) {
                        throw new UsageProblem(e.getMessage(), e);
                    }
                    return report;
                };
            }

            @Override
            public String database() {
                return component.database().name();
            }

            @Override
            public void close() {
                try {
                    component.probe().close();
                } finally {
                    component.probeExecutor().shutdownNow();
                    db.close();
                }
            }
        };
    }
}
