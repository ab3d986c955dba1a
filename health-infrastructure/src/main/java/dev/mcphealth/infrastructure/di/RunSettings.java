package dev.mcphealth.infrastructure.di;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What a composition root is told at start: the configuration file, the database file, and whether the watched
 * servers may ask the client behind a call something (sampling, elicitation: gateway mode).
 */
public record RunSettings(Path configFile, Path databaseFile, boolean asksClients, boolean telemetry) {
    public RunSettings {
        Objects.requireNonNull(configFile, "configFile");
        Objects.requireNonNull(databaseFile, "databaseFile");
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
