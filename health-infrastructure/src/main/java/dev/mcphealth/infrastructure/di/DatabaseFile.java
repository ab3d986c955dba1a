package dev.mcphealth.infrastructure.di;

import java.nio.file.Path;
import java.util.Objects;

/** The SQLite file a run uses. */
public record DatabaseFile(Path path) {
    public DatabaseFile {
        Objects.requireNonNull(path, "path");
    }
}
