package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.model.Failure;
import java.time.Duration;
import java.util.List;

/** Recorded failure episodes, newest first (CLI {@code failures}). */
@FunctionalInterface
public interface ReadFailuresUseCase {

    List<Failure> read(Query query);

    /** Episodes begun within {@code period} before now, or still open then; at most {@code limit}. */
    record Query(Duration period, int limit) {
        public Query {
            if (period == null || period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException("the period must be positive, got " + period);
            }
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be at least 1, got " + limit);
            }
        }
    }
}
