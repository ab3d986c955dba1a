package dev.mcphealth.application.port.out;

import dev.mcphealth.domain.model.Failure;
import java.time.Instant;
import java.util.List;

/** Reads recorded failure episodes. */
@FunctionalInterface
public interface FailureHistoryPort {
    /**
     * Episodes that began at or after {@code since} or were still open at {@code since}, newest first, at most
     * {@code limit}.
     *
     * @throws StorageUnavailableException if the store cannot be read
     */
    List<Failure> failures(Instant since, int limit);
}
