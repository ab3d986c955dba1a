package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.model.ServerId;

/**
 * What the monitor is told when a server comes into its share of the work or leaves it (several monitors on one
 * database, docs/cluster.md): it takes the server over where the monitor that had it left it, or lets it go without a
 * word.
 */
public interface ShareServersUseCase {
    /**
     * {@code server} is this monitor's from now: what was seen of it here before is forgotten, and its open failure
     * episode and alert, as the monitor that had it recorded them, are carried on (not opened again), as a restarted
     * monitor carries on its own.
     *
     * @return whether an open episode or alert was carried on
     */
    boolean adopted(ServerId server);

    /**
     * {@code server} is no longer this monitor's: what was seen of it here is forgotten, and nothing is written or
     * said of it (the monitor that takes it carries its episodes on).
     */
    void released(ServerId server);
}
