package dev.mcphealth.application.monitoring;

import dev.mcphealth.domain.model.ServerId;

/** Where the monitor is told that a standby instance left service, for {@code KeepStandbyService}. */
public interface CooledInstances {
    /**
     * A standby instance left service: what its monitor saw is forgotten (it no longer runs), so that when it is
     * warmed again it is judged anew from its first probe, not failed back to at once on an old status.
     */
    void cooled(ServerId server);
}
