package dev.mcphealth.adapter.cli;

import dev.mcphealth.application.port.in.PruneHistoryUseCase;
import dev.mcphealth.application.port.in.ReadFailuresUseCase;
import dev.mcphealth.application.port.in.ReadHistoryUseCase;
import dev.mcphealth.application.port.in.ReadStatusUseCase;
import dev.mcphealth.application.port.in.ReportUsageUseCase;

/**
 * The recorded history of a database, for {@code status}, {@code history}, {@code failures}, {@code report} and
 * {@code db prune}.
 */
public interface StoreSession extends AutoCloseable {
    ReadStatusUseCase status();

    ReadHistoryUseCase history();

    PruneHistoryUseCase prune();

    ReadFailuresUseCase failures();

    ReportUsageUseCase usage();

    String database();

    @Override
    void close();
}
