package dev.mcphealth.adapter.cli;

import dev.mcphealth.application.port.in.PruneHistoryUseCase;
import dev.mcphealth.application.port.in.ReadFailuresUseCase;
import dev.mcphealth.application.port.in.ReadHistoryUseCase;
import dev.mcphealth.application.port.in.ReadStatusUseCase;

/** The recorded history of a database, for {@code status}, {@code history}, {@code failures} and {@code db prune}. */
public interface StoreSession extends AutoCloseable {
    ReadStatusUseCase status();

    ReadHistoryUseCase history();

    PruneHistoryUseCase prune();

    ReadFailuresUseCase failures();

    String database();

    @Override
    void close();
}
