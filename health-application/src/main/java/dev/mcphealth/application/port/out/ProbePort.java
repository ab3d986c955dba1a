package dev.mcphealth.application.port.out;

import dev.mcphealth.domain.model.CheckDepth;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ProbeReport;

/**
 * Probes one server over its real protocol. Never throws for a failure of the server: every such failure is a
 * {@link dev.mcphealth.domain.model.ProbeOutcome.Failed} with its type, and its message carries no secret.
 * Safe to call for different servers from several threads at once.
 */
@FunctionalInterface
public interface ProbePort {
    ProbeReport probe(MonitoredServer server, CheckDepth depth);
}
