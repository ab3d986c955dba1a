package dev.mcphealth.adapter.cli;

import java.nio.file.Path;
import java.util.Optional;

/** Opens an existing database; a missing or unusable one is a {@link UsageProblem}. */
@FunctionalInterface
public interface StoreSessions {
    StoreSession open(Optional<String> database);
}
