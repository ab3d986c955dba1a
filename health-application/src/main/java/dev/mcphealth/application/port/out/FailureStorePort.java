package dev.mcphealth.application.port.out;

import dev.mcphealth.domain.model.Failure;
import java.util.List;

/** Where failure episodes go. */
@FunctionalInterface
public interface FailureStorePort {
    /**
     * Stores all of {@code failures} or none of them.
     *
     * @throws StorageUnavailableException if the store cannot take them now
     */
    void record(List<Failure> failures);
}
