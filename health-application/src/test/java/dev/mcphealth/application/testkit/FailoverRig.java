package dev.mcphealth.application.testkit;

import dev.mcphealth.application.monitoring.Monitoring;
import dev.mcphealth.application.monitoring.MonitoringSettings;
import dev.mcphealth.application.recovery.RecoveryService;
import dev.mcphealth.application.routing.CoordinateFailoverService;
import dev.mcphealth.application.routing.ResilienceSettings;
import dev.mcphealth.domain.routing.Balancing;
import dev.mcphealth.application.port.out.ConcurrencyLimitPort;
import dev.mcphealth.application.port.out.ToolCallPort;
import dev.mcphealth.application.routing.Hedger;
import dev.mcphealth.application.routing.ResilientCallService;

import dev.mcphealth.application.port.in.CallToolUseCase;
import dev.mcphealth.application.port.out.ToolSemanticsPort;
import dev.mcphealth.application.testkit.FakeBreakers;
import dev.mcphealth.application.testkit.InMemoryMetricStore;
import dev.mcphealth.application.testkit.TestClock;
import dev.mcphealth.domain.model.Alert;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The failover services wired as the composition root wires them, over a {@link FakeFleet}, {@link FakeBreakers}
 * and in-memory stores, on a test clock. {@link #second()} is one simulated second: the clock moves (sessions that
 * died are reported), a monitoring round runs, then every recovery attempt due.
 */
public final class FailoverRig {
    public static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
    public static final Duration SECOND = Duration.ofSeconds(1);

    public final TestClock clock = new TestClock(START);
    public final List<MonitoredServer> servers;
    public final FakeFleet fleet;
    public final FakeBreakers breakers;
    public final InMemoryMetricStore metrics = new InMemoryMetricStore();
    public final InMemoryFailureStore failures = new InMemoryFailureStore();
    /** failover_configurations, saved from the servers' configuration as the composition root does at open. */
    public final InMemoryFailoverConfigs failoverConfigs = new InMemoryFailoverConfigs();
    public final Map<String, Alert> alerts = new LinkedHashMap<>();
    public final List<MonitorEvent> events = new CopyOnWriteArrayList<>();
    public final List<MonitorEvent.BreakerChanged> breakerLog = new CopyOnWriteArrayList<>();
    /** What the configuration says of tools' side effects; none is idempotent unless a test says so. */
    public ToolSemanticsPort semantics = (server, tool) -> false;
    public final RecoveryService recovery;
    public final Monitoring monitor;
    public final ResilientCallService client;
    public final CoordinateFailoverService coordinator;
    /** The standby instances (none unless a rig was made {@link #withStandby}). */
    public final dev.mcphealth.application.catalog.StandbyInstances standby;
    /** Keeps them each {@link #second()}, from {@link #profiles}. */
    public final dev.mcphealth.application.routing.KeepStandbyService keeper;
    /** The pools' usage profiles the keeper reads: none unless a test sets them. */
    public volatile java.util.Map<ServerType, dev.mcphealth.domain.learning.UsageProfile> profiles = Map.of();

    public FailoverRig(ResilienceSettings settings, int tripAfter, MonitoredServer... servers) {
        this(settings, tripAfter, Hedger.NONE, fleet -> fleet, servers);
    }

    /**
     * @param hedger how the client hedges (the other rigs: never)
     * @param calls  what the client sends its requests through, made from the fake fleet (a test that needs a
     *               request to block wraps it)
     */
    public FailoverRig(ResilienceSettings settings, int tripAfter, Hedger hedger,
                       java.util.function.Function<FakeFleet, ToolCallPort> calls, MonitoredServer... servers) {
        this(settings, tripAfter, hedger, calls, ConcurrencyLimitPort.NONE, servers);
    }

    /** @param limits how many requests each instance takes at once (the other rigs: no limit) */
    public FailoverRig(ResilienceSettings settings, int tripAfter, Hedger hedger,
                       java.util.function.Function<FakeFleet, ToolCallPort> calls, ConcurrencyLimitPort limits,
                       MonitoredServer... servers) {
        this(settings, tripAfter, hedger, calls, limits, List.of(), servers);
    }

    /** A rig whose servers named in {@code standby} are standby instances, cold at the start. */
    public static FailoverRig withStandby(ResilienceSettings settings, List<String> standby,
                                          MonitoredServer... servers) {
        return new FailoverRig(settings, 3, Hedger.NONE, fleet -> fleet, ConcurrencyLimitPort.NONE, standby, servers);
    }

    private FailoverRig(ResilienceSettings settings, int tripAfter, Hedger hedger,
                        java.util.function.Function<FakeFleet, ToolCallPort> calls, ConcurrencyLimitPort limits,
                        List<String> standbyNames, MonitoredServer... servers) {
        this.servers = List.of(servers);
        standby = standbyNames.isEmpty() ? dev.mcphealth.application.catalog.StandbyInstances.NONE
                : new dev.mcphealth.application.catalog.StandbyRegistry(
                        standbyNames.stream().map(ServerId::of).toList(), START);
        FixedCatalog catalog = new FixedCatalog(servers);
        fleet = new FakeFleet(clock, this.servers);
        breakers = new FakeBreakers(clock, tripAfter, Duration.ofSeconds(30));
        recovery = new RecoveryService(catalog, fleet, breakers, events::add, clock, () -> 0.5, Optional.empty(),
                standby, dev.mcphealth.application.port.out.WorkSharePort.ALL);
        monitor = new Monitoring(catalog, fleet, metrics, failures, this::saveAlerts, statuses -> { },
                breakerLog::addAll, events::add, clock, MonitoringSettings.defaults(), Optional.of(recovery),
                dev.mcphealth.application.port.out.ProbeProfileStorePort.NONE, standby);
        recovery.reportTo(monitor.episodes());
        breakers.onTransition(monitor.board()::breakerChanged);
        client = new ResilientCallService(catalog, calls.apply(fleet), breakers, (s, t) -> semantics.idempotent(s, t),
                monitor.board(), monitor.intake(), recovery, events::add, clock, settings, hedger, limits, standby);
        monitor.board().reportLoadsFrom(client.loads());
        Map<ServerType, dev.mcphealth.domain.model.FailoverConfig> byType = new LinkedHashMap<>();
        this.servers.forEach(s -> byType.putIfAbsent(s.type(), s.failover()));
        failoverConfigs.save(List.copyOf(byType.values()));
        coordinator = new CoordinateFailoverService(catalog, monitor.board(), recovery, breakers, fleet, client,
                failoverConfigs, clock, settings, standby);
        keeper = new dev.mcphealth.application.routing.KeepStandbyService(catalog, standby, monitor.board(),
                breakers, fleet, new dev.mcphealth.application.port.in.ReadUsageProfilesUseCase() {
                    @Override
                    public List<ProfileNow> profiles(java.util.Set<ServerType> types) {
                        return List.of();
                    }

                    @Override
                    public Map<ServerType, dev.mcphealth.domain.learning.UsageProfile> learnedTypes() {
                        return profiles;
                    }
                }, events::add, clock, java.time.ZoneOffset.UTC,
                dev.mcphealth.domain.learning.Prewarm.Timing.DEFAULT, client.loads(), Duration.ofSeconds(30),
                recovery::episode);
    }

    /**
     * The built-in settings with every pool sticky: the failover scenarios written for the sticky policy (fail-back
     * hysteresis, the instance serving kept); balanced pools have their own ({@code BalancedPoolTest}).
     */
    public static final ResilienceSettings STICKY = ResilienceSettings.DEFAULTS.withBalancing(Map.of(),
            Balancing.STICKY);

    public FailoverRig(MonitoredServer... servers) {
        this(STICKY, 3, servers);
    }

    private synchronized void saveAlerts(List<Alert> batch) {
        batch.forEach(a -> alerts.put(a.id(), a));
    }

    /** The first round at the start: every server is probed and its session opened. */
    public FailoverRig started() {
        monitor.schedule().run();
        recovery.runDue();
        return this;
    }

    /**
     * Kills the servers' processes now, and runs what recovery has due at once, as the scheduler does when recovery
     * wakes it.
     */
    public void kill(String... names) {
        for (String n : names) {
            fleet.kill(n);
        }
        recovery.runDue();
    }

    /** One simulated second. */
    public void second() {
        fleet.advance(SECOND);
        monitor.schedule().run();
        recovery.runDue();
        keeper.keep(); // as the monitor's flush does
    }

    public void seconds(int n) {
        for (int i = 0; i < n; i++) {
            second();
        }
    }

    /** Runs until the clock reads {@code START + at}. */
    public void until(Duration at) {
        while (clock.instant().isBefore(START.plus(at))) {
            second();
        }
    }

    public Duration elapsed() {
        return Duration.between(START, clock.instant());
    }

    public CallToolUseCase.Result call(String type) {
        return client.call(new CallToolUseCase.Command(ServerType.of(type), "search", Map.of("q", "x")));
    }

    public <T extends MonitorEvent> List<T> events(Class<T> kind) {
        return events.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    /** The seconds since the start at which recovery attempts of {@code server} began. */
    public List<Long> attemptSeconds(String server) {
        List<Long> out = new ArrayList<>();
        for (MonitorEvent.RecoveryStarted e : events(MonitorEvent.RecoveryStarted.class)) {
            if (e.server().equals(ServerId.of(server))) {
                out.add(Duration.between(START, e.at()).toSeconds());
            }
        }
        return out;
    }

    /** The open alert of the server, from the store after a flush. */
    public Optional<Alert> openAlert(String server) {
        monitor.flusher().flush();
        synchronized (this) {
            return alerts.values().stream().filter(a -> a.server().equals(ServerId.of(server)) && !a.resolved())
                    .findFirst();
        }
    }
}
