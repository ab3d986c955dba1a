package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.model.ServerId;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** Which servers to probe and how often, for the scheduler adapter. */
@FunctionalInterface
public interface PlanMonitoringUseCase {
    List<Entry> plan();

    record Entry(ServerId server, Duration interval) {
        public Entry {
            Objects.requireNonNull(server, "server");
            if (interval == null || interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("interval must be positive, got " + interval);
            }
        }
    }
}
