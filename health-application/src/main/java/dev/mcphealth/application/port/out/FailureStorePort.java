package dev.mcphealth.application.port.out;

import dev.mcphealth.domain.model.Failure;
import java.util.List;

/**
 * Where failure episodes go. A failure is identified by its server instance, type and start ({@code occurredAt}): storing
 * it again (resolved, or with its recovery action) updates the stored row instead of adding one. Its orchestrator
 * recovery task, once stored, stays: storing the failure again without one keeps it, with another replaces it. A
 * stand-in for a task id ({@link TaskLinkPort#standIn}) is stored as such while its plan waits; a store that knows the
 * outbox stores one whose plan no longer waits as what it resolves to (and keeps the stored task when that is
 * nothing), so a stand-in the writer still carries never undoes its resolution.
 */
@FunctionalInterface
public interface FailureStorePort {
    /**
     * Stores all of {@code failures} or none of them.
     *
     * @throws StorageUnavailableException if the store cannot take them now
     */
    void record(List<Failure> failures);
}
