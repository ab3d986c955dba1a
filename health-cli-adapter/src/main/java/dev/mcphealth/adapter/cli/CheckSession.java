package dev.mcphealth.adapter.cli;

import dev.mcphealth.application.port.in.CheckHealthUseCase;

/** What one run of {@code check} works with: the use case, where results go, and what to close after. */
public interface CheckSession extends AutoCloseable {
    CheckHealthUseCase checkHealth();

    /** Where the results are recorded, as shown to the user. */
    String database();

    @Override
    void close();
}
