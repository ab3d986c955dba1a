package dev.mcphealth.application.port.out;

import dev.mcphealth.domain.model.MonitorEvent;
import java.util.List;

/** Where circuit-breaker transitions are recorded. */
@FunctionalInterface
public interface BreakerLogPort {
    /**
     * Stores all of {@code changes} or none of them.
     *
     * @throws StorageUnavailableException if the store cannot take them now
     */
    void record(List<MonitorEvent.BreakerChanged> changes);
}
