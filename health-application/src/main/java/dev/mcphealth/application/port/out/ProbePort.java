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
    /** Probes over the server's kept session, opening one when there is none. */
    ProbeReport probe(MonitoredServer server, CheckDepth depth);

    /**
     * Probes over the server's kept session without opening one: when there is none (recovery is reopening it, with
     * its backoff), the probe fails at once with a connection error. Probes that keep no session open anew.
     */
    default ProbeReport probeKept(MonitoredServer server, CheckDepth depth) {
        return probe(server, depth);
    }
}
