package dev.mcphealth.application.monitoring;

import dev.mcphealth.application.port.in.ShareServersUseCase;
import dev.mcphealth.application.port.out.OpenEpisodesPort;
import dev.mcphealth.application.port.out.WorkSharePort;
import dev.mcphealth.application.port.out.AlertStorePort;
import dev.mcphealth.application.port.out.BreakerLogPort;
import dev.mcphealth.application.port.out.FailureStorePort;
import dev.mcphealth.application.port.out.MetricStorePort;
import dev.mcphealth.application.port.out.MonitorEventPort;
import dev.mcphealth.application.port.out.ProbeProfileStorePort;
import dev.mcphealth.application.port.out.ProbePort;
import dev.mcphealth.application.port.out.ServerCatalogPort;
import dev.mcphealth.application.port.out.StatusStorePort;
import dev.mcphealth.application.recovery.FailureObserver;
import dev.mcphealth.application.recovery.RecoveryGate;
import dev.mcphealth.application.catalog.StandbyInstances;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * The continuous monitor, assembled: its parts share one record per server (each under its own lock) and a write
 * buffer, so the probe path never waits on the database. Each part has one reason to change:
 * <ul>
 *   <li>{@link #intake()}: each probe's report (and real calls) through hysteresis into a status, alert and failure
 *   episodes, drift, forecasts and windows;</li>
 *   <li>{@link #episodes()}: what recovery and an earlier run tell of the episodes;</li>
 *   <li>{@link #schedule()}: the plan, intervals changed while running, rounds;</li>
 *   <li>{@link #flusher()}: the writes, the stop;</li>
 *   <li>{@link #board()}: the status board, breakers, the router's view.</li>
 * </ul>
 * Not a service itself: the composition root hands each part out as the use cases it implements.
 */
public final class Monitoring {
    private final ProbeIntakeService intake;
    private final EpisodeBook episodes;
    private final MonitoringPlanService schedule;
    private final FlushMonitoringService flusher;
    private final StatusBoardService board;
    private final ProbeProfilesService probeProfiles;
    private final ServerShareService share;

    /** A monitor without automatic recovery and without a breaker log. */
    public Monitoring(ServerCatalogPort catalog, ProbePort probes, MetricStorePort metricStore,
                      FailureStorePort failureStore, AlertStorePort alertStore, StatusStorePort statusStore,
                      MonitorEventPort events, Clock clock, MonitoringSettings settings) {
        this(catalog, probes, metricStore, failureStore, alertStore, statusStore, changes -> { }, events, clock,
                settings, Optional.empty());
    }

    /**
     * A monitor with automatic recovery: it asks {@code recovery} whether a probe may open a session and tells it what
     * each probe saw; recovery tells {@link #episodes()} what it did once the composition root registers it.
     */
    public <R extends RecoveryGate & FailureObserver> Monitoring(ServerCatalogPort catalog, ProbePort probes,
            MetricStorePort metricStore, FailureStorePort failureStore, AlertStorePort alertStore,
            StatusStorePort statusStore, BreakerLogPort breakerLog, MonitorEventPort events, Clock clock,
            MonitoringSettings settings, Optional<R> recovery) {
        this(catalog, probes, metricStore, failureStore, alertStore, statusStore, breakerLog, events, clock, settings,
                recovery, ProbeProfileStorePort.NONE);
    }

    /** As above, the servers' probe-latency profiles kept in {@code probeProfiles} ({@link #probeProfiles()}). */
    public <R extends RecoveryGate & FailureObserver> Monitoring(ServerCatalogPort catalog, ProbePort probes,
            MetricStorePort metricStore, FailureStorePort failureStore, AlertStorePort alertStore,
            StatusStorePort statusStore, BreakerLogPort breakerLog, MonitorEventPort events, Clock clock,
            MonitoringSettings settings, Optional<R> recovery, ProbeProfileStorePort probeProfiles) {
        this(catalog, probes, metricStore, failureStore, alertStore, statusStore, breakerLog, events, clock, settings,
                recovery, probeProfiles, StandbyInstances.NONE);
    }

    /** As above, with the pools' standby instances: a cold one is not probed, and the board shows each one's phase. */
    public <R extends RecoveryGate & FailureObserver> Monitoring(ServerCatalogPort catalog, ProbePort probes,
            MetricStorePort metricStore, FailureStorePort failureStore, AlertStorePort alertStore,
            StatusStorePort statusStore, BreakerLogPort breakerLog, MonitorEventPort events, Clock clock,
            MonitoringSettings settings, Optional<R> recovery, ProbeProfileStorePort probeProfiles,
            StandbyInstances standby) {
        this(catalog, probes, metricStore, failureStore, alertStore, statusStore, breakerLog, events, clock, settings,
                recovery, probeProfiles, standby, WorkSharePort.ALL, OpenEpisodesPort.NONE, Optional.empty());
    }

    /**
     * As above, one of several monitors on one database: only the servers of its {@code share} are probed and
     * recorded, a server coming into it carries on the episodes {@code open} holds of it ({@link #share()}), and the
     * board shows the others' servers as {@code stored} has them.
     */
    public <R extends RecoveryGate & FailureObserver> Monitoring(ServerCatalogPort catalog, ProbePort probes,
            MetricStorePort metricStore, FailureStorePort failureStore, AlertStorePort alertStore,
            StatusStorePort statusStore, BreakerLogPort breakerLog, MonitorEventPort events, Clock clock,
            MonitoringSettings settings, Optional<R> recovery, ProbeProfileStorePort probeProfiles,
            StandbyInstances standby, WorkSharePort share, OpenEpisodesPort open,
            Optional<dev.mcphealth.application.port.out.HealthHistoryPort> stored) {
        MonitorState state = new MonitorState(catalog, events, clock, settings, standby, share);
        EpisodeSteps steps = new EpisodeSteps(state.buffer);
        this.board = new StatusBoardService(state);
        this.flusher = new FlushMonitoringService(state, Objects.requireNonNull(metricStore),
                Objects.requireNonNull(failureStore), Objects.requireNonNull(alertStore),
                Objects.requireNonNull(statusStore), Objects.requireNonNull(breakerLog), board,
                board, stored);
        this.intake = new ProbeIntakeService(state, steps, catalog, Objects.requireNonNull(probes),
                recovery.map(RecoveryGate.class::cast), recovery.map(FailureObserver.class::cast));
        this.episodes = new EpisodeBook(state, steps);
        this.schedule = new MonitoringPlanService(state, intake, flusher);
        this.probeProfiles = new ProbeProfilesService(state, probeProfiles);
        this.share = new ServerShareService(state, episodes, open);
    }

    /** Servers coming into this monitor's share of the work and leaving it. */
    public ShareServersUseCase share() {
        return share;
    }

    /** Restores and saves the servers' probe-latency profiles: each flush calls it. */
    public ProbeProfilesService probeProfiles() {
        return probeProfiles;
    }

    public ProbeIntakeService intake() {
        return intake;
    }

    public EpisodeBook episodes() {
        return episodes;
    }

    public MonitoringPlanService schedule() {
        return schedule;
    }

    public FlushMonitoringService flusher() {
        return flusher;
    }

    public StatusBoardService board() {
        return board;
    }
}
