package dev.mcphealth.application.monitoring;

import dev.mcphealth.domain.monitoring.AlertEpisode;
import dev.mcphealth.domain.monitoring.FailureEpisode;
import dev.mcphealth.domain.monitoring.HealthState;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ToolInventory;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Everything the monitor keeps of one server between probes. Guarded by its own monitor lock. */
final class ServerMonitor {
    /** As configured: its thresholds and identity. The probe itself reads the live catalog, for its timeout. */
    final MonitoredServer server;
    /** How often it is probed; changed by {@link MonitoringPlanService#reschedule}, read by rounds without the lock. */
    volatile Duration interval;
    final RollingWindows windows = new RollingWindows();
    final Predictions predictions;
    HealthState state = HealthState.UNKNOWN;
    Optional<Instant> since = Optional.empty();
    Optional<ToolInventory> tools = Optional.empty();
    /** The alert of its unhealthy episode, if one is open. */
    AlertEpisode alert = AlertEpisode.NONE;
    /** Its failure episode: the open integration_failures row, or what recovery did before any row. */
    FailureEpisode failure = FailureEpisode.NONE;
    dev.mcphealth.domain.model.BreakerState breaker = dev.mcphealth.domain.model.BreakerState.CLOSED;
    Optional<MonitorEvent.FailureSummary> lastFailure = Optional.empty();
    Optional<Instant> lastFailureAt = Optional.empty();
    long slaProbes;
    long slaAnswered;
    Optional<Instant> lastAggregateAt = Optional.empty();
    /** The latest time a probe of it was taken in; never goes backwards. */
    Optional<Instant> lastSeen = Optional.empty();
    /** When it was first observed in this run: where its watched time (time-weighted availability) begins. */
    Optional<Instant> watchedFrom = Optional.empty();
    /** When the outage going on began (a failed probe, a lost session); empty while it answers. */
    Optional<Instant> downSince = Optional.empty();
    /** The outages of this run that have ended, summed. */
    Duration downtime = Duration.ZERO;
    /**
     * An episode (failure, alert) an earlier run left open, carried into this one until its first observation: the
     * last time that run saw the server, the best-known end if the server is found answering.
     */
    Optional<Instant> carriedUntil = Optional.empty();
    /** When the next round is due to probe it (rounds only; the scheduler adapter keeps its own time). */
    Instant nextDue;

    ServerMonitor(MonitoredServer server, Duration interval, Instant start) {
        this.server = server;
        this.interval = interval;
        this.nextDue = start;
        this.predictions = new Predictions(server.thresholds(), interval);
    }
}
