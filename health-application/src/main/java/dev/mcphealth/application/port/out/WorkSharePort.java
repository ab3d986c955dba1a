package dev.mcphealth.application.port.out;

import dev.mcphealth.domain.model.ServerId;

/**
 * Which servers this monitor probes and records, when several monitors share one database and divide the servers
 * among them: a server another monitor owns is neither probed nor recorded here. A monitor alone owns them all
 * ({@link #ALL}). Asked before every probe: cheap, and never blocking.
 */
@FunctionalInterface
public interface WorkSharePort {
    /** Every server: a monitor that shares its database with no other. */
    WorkSharePort ALL = server -> true;

    boolean owns(ServerId server);
}
