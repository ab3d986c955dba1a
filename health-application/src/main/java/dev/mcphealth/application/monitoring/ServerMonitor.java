package dev.mcphealth.application.monitoring;

import dev.mcphealth.domain.monitoring.AlertEpisode;
import dev.mcphealth.domain.monitoring.FailureEpisode;
import dev.mcphealth.domain.monitoring.HealthState;
import dev.mcphealth.domain.model.BreakerState;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ToolInventory;
import dev.mcphealth.domain.routing.InstanceView;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Everything the monitor keeps of one server between probes. Guarded by its own monitor lock. */
final class ServerMonitor {
    /** As configured: its thresholds and identity. The probe itself reads the live catalog, for its timeout. */
    final MonitoredServer server;
    /** How often it is probed; changed by {@link MonitoringPlanService#reschedule}, read by rounds without the lock. */
    volatile Duration interval;
    /** The probe hours' interval of an idle hour over {@link #interval}, or null: probed at {@link #interval}. */
    volatile Duration stretched;
    final RollingWindows windows = new RollingWindows();
    /** Its probe latency by hour of the week: what its latency forecasts hold a usual rise against. */
    final ProbeProfile probeProfile = new ProbeProfile();
    final Predictions predictions;
    HealthState state = HealthState.UNKNOWN;
    /** Since when it has had its status; set with {@link #statusChanged}. */
    Optional<Instant> since = Optional.empty();
    /**
     * What the router sees of it, one view per (fallback or not, breaker state), made again each time its status
     * changes and read without the lock: a call neither waits for a probe nor allocates its view.
     */
    private volatile InstanceView[] views;
    Optional<ToolInventory> tools = Optional.empty();
    /** The alert of its unhealthy episode, if one is open. */
    AlertEpisode alert = AlertEpisode.NONE;
    /** Its failure episode: the open integration_failures row, or what recovery did before any row. */
    FailureEpisode failure = FailureEpisode.NONE;
    BreakerState breaker = BreakerState.CLOSED;
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
        this.predictions = new Predictions(server.thresholds(), interval, probeProfile);
        this.views = viewsNow();
    }

    /** Its status changed at {@code when} (to {@code state}'s): since then, and what the router sees. Under the lock. */
    void statusChanged(Instant when) {
        since = Optional.of(when);
        views = viewsNow();
    }

    /** Nothing known of it any more (it left this monitor's share): no status since any time. Under the lock. */
    void forgotten() {
        since = Optional.empty();
        views = viewsNow();
    }

    /** What the router sees of it now, serving its type's calls ({@code fallback}: another type's) and its breaker. */
    InstanceView view(boolean fallback, BreakerState breaker) {
        return views[(fallback ? BREAKER_STATES.length : 0) + breaker.ordinal()];
    }

    private InstanceView[] viewsNow() {
        InstanceView[] v = new InstanceView[2 * BREAKER_STATES.length];
        for (BreakerState b : BREAKER_STATES) {
            v[b.ordinal()] = new InstanceView(server.id(), false, state.status(), since, b);
            v[BREAKER_STATES.length + b.ordinal()] = new InstanceView(server.id(), true, state.status(), since, b);
        }
        return v;
    }

    private static final BreakerState[] BREAKER_STATES = BreakerState.values();

    /** The interval it is probed at now: its idle hour's, else its interval in force. */
    Duration probedEvery() {
        Duration s = stretched;
        return s != null ? s : interval;
    }
}
