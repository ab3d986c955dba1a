package dev.mcphealth.application.port.out;

import dev.mcphealth.domain.model.HealthMetric;
import java.util.List;

/** Where measured values go. */
@FunctionalInterface
public interface MetricStorePort {
    /**
     * Stores all of {@code metrics} or none of them.
     *
     * @throws StorageUnavailableException if the store cannot take them now
     */
    void append(List<HealthMetric> metrics);
}
