package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.history.FailureAnalysis;
import dev.mcphealth.domain.model.ServerType;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/** Recent failure episodes grouped by type with MTTR, and the instances that fail most (failure_analysis). */
@FunctionalInterface
public interface AnalyzeFailuresUseCase {

    /** @throws UnknownServerTypeException if a named type is not configured */
    FailureAnalysis analyze(Query query);

    /** Episodes begun within {@code period} before now, or still open; {@code types} empty means every type. */
    record Query(Set<ServerType> types, Duration period) {
        public Query {
            types = Set.copyOf(Objects.requireNonNull(types, "types"));
            if (period == null || period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException("the period must be positive, got " + period);
            }
        }
    }
}
