package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.model.ServerId;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** Which servers to probe and how often, for the scheduler adapter. */
@FunctionalInterface
public interface PlanMonitoringUseCase {
    List<Entry> plan();

    /**
     * The one server's entry of {@link #plan()}, empty when it has none: what the scheduler reads each time a probe
     * ends, so it is found by its id, not by going through the plan (which is made anew on every call).
     */
    default java.util.Optional<Entry> entry(ServerId server) {
        return plan().stream().filter(e -> e.server().equals(server)).findFirst();
    }

    /**
     * One server: the interval it is probed at now ({@code interval}, what the scheduler follows), and its interval in
     * force without the probe hours' stretch of an idle hour ({@code base}: the configured one, or one the optimizer
     * applied; what tuning reads and changes). The two are the same unless an idle hour stretched it.
     */
    record Entry(ServerId server, Duration interval, Duration base) {
        public Entry {
            Objects.requireNonNull(server, "server");
            if (interval == null || interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("interval must be positive, got " + interval);
            }
            if (base == null || base.isNegative() || base.isZero()) {
                throw new IllegalArgumentException("base must be positive, got " + base);
            }
        }

        /** Not stretched: probed at its interval in force. */
        public Entry(ServerId server, Duration interval) {
            this(server, interval, interval);
        }
    }
}
