package dev.mcphealth.application.monitoring;

import dev.mcphealth.domain.model.ServerId;

/** Where the monitor is told that a standby instance left service, for {@code KeepStandbyService}. */
public interface CooledInstances {
    /**
     * Takes a standby instance out of service, under its monitor's lock (so that no probe's report is taken in
     * between): when the monitor holds no outage, failure or alert of it, runs {@code leave} (the move to cold) and,
     * if that moved it, forgets what was seen of it (it no longer runs: warmed again, it is judged anew from its first
     * probe, not failed back to at once on an old status).
     *
     * @return whether it left: false when an episode of its own is open (it ends as any other's first) or
     *         {@code leave} did not move it
     */
    boolean cooled(ServerId server, java.util.function.BooleanSupplier leave);
}
