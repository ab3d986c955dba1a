package dev.mcphealth.application.monitoring;

import dev.mcphealth.domain.model.ServerId;
import java.time.Instant;
import java.util.Optional;

/**
 * What the router's balancer sees of each instance, shown in its status ({@code details}): reported to the status
 * board by the router, which the board never calls otherwise (the router depends on monitoring, not the other way).
 */
@FunctionalInterface
public interface InstanceLoads {
    /** Nothing to show: no router reports (a watch without calls). */
    InstanceLoads NONE = (server, now) -> Optional.empty();

    /** The balancer's figures for {@code server} at {@code now}, if the router knows it. */
    Optional<Figures> of(ServerId server, Instant now);

    /**
     * @param balancing the pool's balancing ({@code p2c}, {@code sticky}, {@code priority}, {@code round_robin})
     * @param latencyMillis the peak-EWMA latency the balancer holds for it now (decayed), 0 if never measured
     * @param inFlight the calls out to it now
     * @param calls the calls sent to it since the router started
     * @param share its share (0..1) of the requests sent to its pool's primaries since the router started
     * @param concurrencyLimit how many requests it takes at once now, if it has a limit
     */
    record Figures(String balancing, double latencyMillis, int inFlight, long calls, double share,
                   java.util.OptionalInt concurrencyLimit) {
    }
}
