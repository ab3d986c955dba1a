package dev.mcphealth.adapter.cli.di;

import dev.mcphealth.adapter.cli.StoreSession;
import dev.mcphealth.adapter.cli.StoreSessions;
import dev.mcphealth.adapter.cli.UsageProblem;
import dev.mcphealth.application.port.in.PruneHistoryUseCase;
import dev.mcphealth.application.port.in.ReadFailuresUseCase;
import dev.mcphealth.application.port.in.ReadHistoryUseCase;
import dev.mcphealth.application.port.in.ReadStatusUseCase;
import dev.mcphealth.application.port.in.ReportUsageUseCase;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.infrastructure.di.DatabaseLocation;
import dev.mcphealth.infrastructure.persistence.DatabaseTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Opens an existing database for reading and pruning; a database that is not there is not created. */
final class ComponentStoreSessions implements StoreSessions {
    private final Map<String, String> env;
    private final String userHome;

    ComponentStoreSessions(Map<String, String> env, String userHome) {
        this.env = env;
        this.userHome = userHome;
    }

    @Override
    public StoreSession open(Optional<String> database) {
        DatabaseTarget db;
        try {
            db = DatabaseLocation.target(database, env, userHome);
        } catch (IllegalArgumentException e) {
            throw new UsageProblem(e.getMessage(), e);
        }
        if (db instanceof DatabaseTarget.SqliteFile f) {
            Path file = f.file().toAbsolutePath().normalize();
            if (!Files.exists(file)) {
                throw new UsageProblem("no database at " + file + ": run 'mcp-health watch' (or check) first, or pass"
                        + " --db", null);
            }
            db = new DatabaseTarget.SqliteFile(file);
        } else if (db instanceof DatabaseTarget.Postgres pg) {
            try {
                if (!dev.mcphealth.infrastructure.persistence.PostgresDatabase.hasRecords(pg)) {
                    throw new UsageProblem("no MCP Health records in " + pg.name() + ": run 'mcp-health watch' (or"
                            + " check) on it first, or pass --db", null);
                }
            } catch (StorageUnavailableException e) {
                throw new UsageProblem(e.getMessage(), e);
            }
        }
        StoreComponent component = DaggerStoreComponent.factory().create(db);
        try {
            component.database();
        } catch (StorageUnavailableException e) {
            throw new UsageProblem(e.getMessage(), e);
        }
        return new StoreSession() {
            @Override
            public ReadStatusUseCase status() {
                return component.status();
            }

            @Override
            public ReadHistoryUseCase history() {
                return component.history();
            }

            @Override
            public dev.mcphealth.application.port.in.ListRecordedServersUseCase recorded() {
                return component.recorded();
            }

            @Override
            public PruneHistoryUseCase prune() {
                return component.prune();
            }

            @Override
            public ReadFailuresUseCase failures() {
                return component.failures();
            }

            @Override
            public ReportUsageUseCase usage() {
                return component.usage();
            }

            @Override
            public dev.mcphealth.application.port.in.ReadClusterUseCase cluster() {
                return component.cluster();
            }

            @Override
            public String database() {
                return component.database().name();
            }

            @Override
            public void close() {
                component.database().close();
            }
        };
    }
}
