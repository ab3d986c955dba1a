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

    /** The servers the database has rows of: what {@code history} names when asked for one it has none of. */
    dev.mcphealth.application.port.in.ListRecordedServersUseCase recorded();

    PruneHistoryUseCase prune();

    ReadFailuresUseCase failures();

    ReportUsageUseCase usage();

    /** The monitors sharing the database and who holds what; empty for SQLite (docs/cluster.md). */
    dev.mcphealth.application.port.in.ReadClusterUseCase cluster();

    String database();

    @Override
    void close();
}
