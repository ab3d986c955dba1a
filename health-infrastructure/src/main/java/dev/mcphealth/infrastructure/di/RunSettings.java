package dev.mcphealth.infrastructure.di;

import dev.mcphealth.infrastructure.persistence.DatabaseTarget;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What a composition root is told at start: the configuration file, the database (a SQLite file or
 * a PostgreSQL database), and whether the watched
 * servers may ask the client behind a call something (sampling, elicitation: gateway mode).
 */
public record RunSettings(Path configFile, DatabaseTarget database, boolean asksClients, boolean telemetry,
                          boolean sharesWork) {
    public RunSettings {
        Objects.requireNonNull(configFile, "configFile");
        Objects.requireNonNull(database, "database");
    }

    /**
     * A long-running monitor ({@code watch}, the MCP server, the library's): on PostgreSQL it shares the work with the
     * other monitors of its database (docs/cluster.md).
     */
    public RunSettings(Path configFile, DatabaseTarget database, boolean asksClients, boolean telemetry) {
        this(configFile, database, asksClients, telemetry, true);
    }

    /**
     * A run whose servers may ask no client anything, the OTEL_* variables may have export, that takes no part in a
     * cluster: a one-shot command ({@code check}) probes what it is asked to and records it, beside any monitors.
     */
    public RunSettings(Path configFile, DatabaseTarget database) {
        this(configFile, database, false, true, false);
    }

    /** The same run, taking part in its database's cluster or not. */
    public RunSettings sharingWork(boolean shares) {
        return new RunSettings(configFile, database, asksClients, telemetry, shares);
    }

    /** A run on the SQLite file {@code databaseFile}. */
    public RunSettings(Path configFile, Path databaseFile, boolean asksClients, boolean telemetry) {
        this(configFile, new DatabaseTarget.SqliteFile(databaseFile), asksClients, telemetry);
    }

    /** A run the OTEL_* variables may have export (docs/metrics.md#opentelemetry). */
    public RunSettings(Path configFile, Path databaseFile, boolean asksClients) {
        this(configFile, databaseFile, asksClients, true);
    }

    /** A run whose servers may ask no client anything. */
    public RunSettings(Path configFile, Path databaseFile) {
        this(configFile, databaseFile, false);
    }
}
