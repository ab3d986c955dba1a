package dev.mcphealth.adapter.cli;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Opens a {@link CheckSession} for a configuration file and an optional database file.
 * A configuration or database that cannot be used is a {@link UsageProblem}.
 */
@FunctionalInterface
public interface CheckSessions {
    CheckSession open(Path config, Optional<String> database);
}
