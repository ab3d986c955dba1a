package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.history.HistoryReport;
import dev.mcphealth.domain.model.ServerId;
import java.time.Duration;
import java.util.Objects;

/** One server's recorded history over the last {@code period}, read from the store. */
@FunctionalInterface
public interface ReadHistoryUseCase {
    HistoryReport read(Query query);

    record Query(ServerId server, Duration period) {
        public Query {
            Objects.requireNonNull(server, "server");
            if (period == null || period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException("period must be positive, got " + period);
            }
        }
    }
}
