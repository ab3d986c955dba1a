package dev.mcphealth.application.port.out;

import dev.mcphealth.domain.routing.ToolUsage;
import java.time.Instant;
import java.util.List;

/** Where each tool's minutes of calls through its pool are kept ({@link ToolUsage}), for learning usage. */
public interface ToolUsageStorePort {
    /**
     * Stores all of {@code rows} or none of them.
     *
     * @throws StorageUnavailableException if the store cannot take them now
     */
    void save(List<ToolUsage> rows);

    /**
     * The rows of the windows that began in {@code [from, until)}, oldest first.
     *
     * @throws StorageUnavailableException if the store cannot be read now
     */
    List<ToolUsage> read(Instant from, Instant until);
}
