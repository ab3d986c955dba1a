package dev.mcphealth.application.monitoring;

import dev.mcphealth.domain.model.ServerId;
import java.time.Duration;

/** Changes how often the monitor probes a server, from its next probe on (tuning applied). */
public interface Rescheduling {
    /**
     * @return the interval it replaced
     * @throws dev.mcphealth.application.port.in.UnknownServerException if the monitor does not watch {@code server}
     * @throws IllegalArgumentException if {@code interval} is outside what the configuration allows (1 s to 1 day)
     */
    Duration reschedule(ServerId server, Duration interval);
}
