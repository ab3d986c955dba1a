package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.model.ServerId;
import java.time.Duration;
import java.util.Objects;

/**
 * A real call an application made to a monitored server, reported through the library, so that throughput and error
 * rate count real traffic and not only probes. Cheap: it only updates the in-memory windows.
 */
@FunctionalInterface
public interface RecordCallUseCase {

    /** @throws UnknownServerException if the server is not monitored */
    void record(Call call);

    record Call(ServerId server, Duration latency, boolean failed) {
        public Call {
            Objects.requireNonNull(server, "server");
            if (latency == null || latency.isNegative()) {
                throw new IllegalArgumentException("latency must be zero or more, got " + latency);
            }
        }
    }
}
