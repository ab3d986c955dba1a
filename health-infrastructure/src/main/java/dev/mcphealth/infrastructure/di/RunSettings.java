package dev.mcphealth.infrastructure.di;

import java.nio.file.Path;
import java.util.Objects;

/** What a composition root is told at start: the configuration file and the database file. */
public record RunSettings(Path configFile, Path databaseFile) {
    public RunSettings {
        Objects.requireNonNull(configFile, "configFile");
        Objects.requireNonNull(databaseFile, "databaseFile");
    }
}
