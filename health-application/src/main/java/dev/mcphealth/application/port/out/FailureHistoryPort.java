package dev.mcphealth.application.port.out;

import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.ServerType;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Reads recorded failure episodes. */
@FunctionalInterface
public interface FailureHistoryPort {
    /**
     * Episodes that began at or after {@code since} or were still open at {@code since}, recorded under one of
     * {@code types} (empty: any type), newest first, at most {@code limit}. The type filter applies before the limit.
     *
     * @throws StorageUnavailableException if the store cannot be read
     */
    List<Failure> failures(Instant since, Set<ServerType> types, int limit);

    /** As {@link #failures(Instant, Set, int)} of every server type. */
    default List<Failure> failures(Instant since, int limit) {
        return failures(since, Set.of(), limit);
    }
}
