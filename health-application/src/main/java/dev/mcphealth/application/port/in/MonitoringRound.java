package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.ServerId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** What one round did: the servers it probed, the events they raised, and how the flush went. */
public record MonitoringRound(Instant at, List<ServerId> probed, List<MonitorEvent> events, FlushReport flush) {
    public MonitoringRound {
        Objects.requireNonNull(at, "at");
        probed = List.copyOf(probed);
        events = List.copyOf(events);
        Objects.requireNonNull(flush, "flush");
    }
}
