package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.model.ServerId;
import java.time.Duration;

/**
 * The scheduler's watchdog found a server's probe loop stalled (a probe hung past every timeout, so its next one was
 * never scheduled) and started it again: the failover of the failover system. Counted in MCP Health's own status row.
 */
@FunctionalInterface
public interface RecordWatchdogRestartUseCase {
    void restarted(ServerId server, Duration stalledFor);
}
