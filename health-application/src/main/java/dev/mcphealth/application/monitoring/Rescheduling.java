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

    /**
     * Probes {@code server} every {@code stretched} over its interval in force (an idle hour's, ProbeHours), or, when
     * empty, at its interval in force again; its next probe comes at most one new interval after the last one. The
     * interval in force (what {@link #reschedule} sets and tuning reads) is untouched.
     *
     * @throws dev.mcphealth.application.port.in.UnknownServerException if the monitor does not watch {@code server}
     * @throws IllegalArgumentException if {@code stretched} is outside what the configuration allows (1 s to 1 day)
     */
    void stretch(ServerId server, java.util.Optional<Duration> stretched);
}
