package dev.mcphealth.application.routing;

import dev.mcphealth.application.monitoring.InstanceLoads;
import dev.mcphealth.application.monitoring.InstanceViews;
import dev.mcphealth.application.recovery.FailureObserver;
import dev.mcphealth.application.recovery.RecoveryGate;
import dev.mcphealth.application.port.in.CallToolUseCase;
import dev.mcphealth.application.port.in.ListToolsUseCase;
import dev.mcphealth.application.port.in.NoHealthyInstanceException;
import dev.mcphealth.application.port.in.RecordCallUseCase;
import dev.mcphealth.application.port.in.UnknownServerTypeException;
import dev.mcphealth.application.port.out.BreakerPort;
import dev.mcphealth.application.port.out.MonitorEventPort;
import dev.mcphealth.application.port.out.ServerCatalogPort;
import dev.mcphealth.application.port.out.ToolCallPort;
import dev.mcphealth.application.port.out.ToolSemanticsPort;
import dev.mcphealth.domain.model.CallOutcome;
import dev.mcphealth.domain.model.FailoverConfig;
import dev.mcphealth.domain.model.FallbackStrategy;
import dev.mcphealth.domain.routing.InstanceView;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.recovery.RecoveryEpisode;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.ToolSpec;
import dev.mcphealth.domain.routing.Balancing;
import dev.mcphealth.domain.routing.FailoverPolicy;
import dev.mcphealth.domain.routing.InstanceLoad;
import dev.mcphealth.domain.routing.RetryBudget;
import dev.mcphealth.domain.recovery.RecoveryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * The resilient client: a call for a server type goes to the instances {@link FailoverPolicy} orders (healthy first,
 * then the fallback type with alternative_server), the first of them chosen as the type's {@link Balancing} says (the
 * power of two choices over each instance's load by default; sticky with fail-back hysteresis; or priority), through
 * each instance's circuit breaker. A call that failed before it reached a server is sent to the next instance; one that may have
 * reached it is replayed elsewhere only if the configuration declares the tool idempotent or the type's last tools/list
 * annotates it read-only or idempotent. When nothing can serve, the call fails
 * fast with when to retry; the last good tools/list is served from memory. Every real call feeds the monitor's
 * windows (passive health) and a failure that a restart can fix starts recovery at once, between probes.
 */
public final class ResilientCallService implements CallToolUseCase, ListToolsUseCase, ActiveInstances {

    private final Map<ServerType, List<MonitoredServer>> pools = new LinkedHashMap<>();
    private final Map<ServerId, MonitoredServer> servers = new LinkedHashMap<>();
    private final ToolCallPort calls;
    private final BreakerPort breakers;
    private final ToolSemanticsPort semantics;
    private final InstanceViews monitor;
    private final RecordCallUseCase callRecord;
    private final RecoveryGate gate;
    private final FailureObserver recovery;
    private final MonitorEventPort events;
    private final Clock clock;
    private final ResilienceSettings settings;
    private final Balancer balancer;
    private final Serving serving;
    /** Each pool's retry budget, fixed at construction: reads need no lock. */
    private final Map<ServerType, RetryBudget> budgets;
    private final Map<ServerType, ListToolsUseCase.Listing> lastTools = new ConcurrentHashMap<>();
    /** The tools each type's last listing annotates read-only or idempotent: a call of one may be replayed. */
    private final Map<ServerType, Set<String>> hintedReplayable = new ConcurrentHashMap<>();

    /**
     * @param monitor     what the monitor knows of each instance now
     * @param callRecord  where each call's outcome goes (the monitor's windows: passive health)
     */
    public <R extends RecoveryGate & FailureObserver> ResilientCallService(ServerCatalogPort catalog,
            ToolCallPort calls, BreakerPort breakers, ToolSemanticsPort semantics, InstanceViews monitor,
            RecordCallUseCase callRecord, R recovery, MonitorEventPort events, Clock clock,
            ResilienceSettings settings) {
        for (MonitoredServer s : catalog.servers()) {
            pools.computeIfAbsent(s.type(), t -> new ArrayList<>()).add(s);
            servers.put(s.id(), s);
        }
        this.calls = Objects.requireNonNull(calls);
        this.breakers = Objects.requireNonNull(breakers);
        this.semantics = Objects.requireNonNull(semantics);
        this.monitor = Objects.requireNonNull(monitor);
        this.callRecord = Objects.requireNonNull(callRecord);
        this.gate = Objects.requireNonNull(recovery);
        this.recovery = recovery;
        this.events = Objects.requireNonNull(events);
        this.clock = Objects.requireNonNull(clock);
        this.settings = Objects.requireNonNull(settings);
        this.balancer = new Balancer(servers.keySet());
        Map<ServerType, RetryBudget> b = new LinkedHashMap<>();
        pools.keySet().forEach(t -> b.put(t, settings.retryBudget().budget()));
        this.budgets = Map.copyOf(b);
        this.serving = new Serving(events, clock, id -> monitor.view(id, false, breakers.state(id)),
                settings.failbackAfter());
    }

    @Override
    public Result call(Command command) {
        ServerType type = command.serverType();
        boolean hinted = hintedReplayable.getOrDefault(type, Set.of()).contains(command.tool());
        Attempted<CallOutcome.Replied> run = route(type, (server, mayConnect) -> calls.callTool(server,
                command.tool(), command.arguments(), settings.callTimeout(), mayConnect),
                CallOutcome.Replied.class, server -> hinted || semantics.idempotent(server, command.tool()));
        if (run.served.isPresent()) {
            CallOutcome.Replied r = run.served.get();
            return new Served(run.by.orElseThrow(), r.reply(), r.elapsed(), run.attempts, run.failovers);
        }
        if (run.lastFailure.isPresent() && run.delivered) {
            CallOutcome.Failed f = run.lastFailure.get();
            return new Failed(run.by.orElseThrow(), f.type(), f.message(), run.attempts);
        }
        // nothing was sent: every instance refused by its breaker or failed before the call reached it
        return new Unavailable(type, Refusals.unavailable(type, run, settings.retryBudget()), run.retryAfter,
                run.attempts);
    }

    @Override
    public Listing list(ServerType type) {
        Attempted<CallOutcome.Listed> run = route(type, (server, mayConnect) -> calls.listTools(server,
                settings.callTimeout(), mayConnect), CallOutcome.Listed.class, server -> true);
        if (run.served.isPresent()) {
            Listing fresh = new Listing(type, run.by.orElseThrow(), run.served.get().tools(), clock.instant(), false);
            lastTools.put(type, fresh);
            hintedReplayable.put(type, fresh.tools().stream().filter(t -> t.hints().replayable())
                    .map(ToolSpec::name).collect(Collectors.toUnmodifiableSet()));
            return fresh;
        }
        Listing remembered = lastTools.get(type);
        if (remembered != null) {
            return new Listing(type, remembered.from(), remembered.tools(), remembered.fetchedAt(), true);
        }
        String why = run.lastFailure.filter(f -> run.delivered).map(f -> type.value() + ": tools/list failed on " + run.by.orElseThrow().value()
                + ": " + f.message() + "; retry after " + Refusals.seconds(run.retryAfter) + " s")
                .orElse(Refusals.unavailable(type, run.retryAfter));
        throw new NoHealthyInstanceException(why, run.retryAfter);
    }

    private <T extends CallOutcome> Attempted<T> route(ServerType type,
                                                       BiFunction<MonitoredServer, Boolean, CallOutcome> send,
                                                       Class<T> success,
                                                       java.util.function.Predicate<ServerId> replayable) {
        List<MonitoredServer> primary = pools.get(type);
        if (primary == null) {
            throw new UnknownServerTypeException(type, pools.keySet());
        }
        FailoverConfig config = primary.get(0).failover();
        List<InstanceView> views = new ArrayList<>();
        primary.forEach(s -> views.add(monitor.view(s.id(), false, breakers.state(s.id()))));
        if (config.fallbackStrategy() == FallbackStrategy.ALTERNATIVE_SERVER) {
            config.fallbackServerType().map(pools::get).ifPresent(pool ->
                    pool.forEach(s -> views.add(monitor.view(s.id(), true, breakers.state(s.id())))));
        }
        Instant now = clock.instant();
        RetryBudget budget = budgets.get(type);
        budget.called(Balancer.nanos(now));
        Optional<ServerId> sticky = serving.current(type);
        Instant byHand = serving.movedByHand(type).orElse(null);
        List<InstanceView> ranked = views;
        if (byHand != null) {
            // after a move by hand, an instance must have been healthy for failbackAfter since the move to take the
            // calls back: else the next call would undo the move at once whenever the old instance looks healthy
            ranked = views.stream().map(v -> v.statusSince().filter(since -> since.isBefore(byHand)).isEmpty() ? v
                    : new InstanceView(v.id(), v.fallback(), v.status(), Optional.of(byHand), v.breaker())).toList();
        }
        Balancing balancing = settings.balancing(type);
        // after a move by hand the calls stay where they were moved, as sticky ones do, until they move again
        boolean stays = balancing == Balancing.STICKY || byHand != null;
        List<ServerId> order = FailoverPolicy.candidates(ranked, stays ? sticky : Optional.empty(),
                settings.failbackAfter(), now);
        if (!stays && balancing == Balancing.P2C) {
            order = balancer.firstByLoad(order, views, now);
        } else if (!stays && balancing == Balancing.ROUND_ROBIN) {
            order = balancer.firstInTurn(order, views);
        }
        if (config.fallbackStrategy() == FallbackStrategy.MANUAL_MODE) {
            // manual mode: no automatic move to another instance, not even by health order; calls stay on the
            // instance now serving (the first configured one at first) until a person moves them (moveTo)
            order = List.of(sticky.orElse(primary.get(0).id()));
        }
        Attempted<T> run = new Attempted<>();
        Duration retryAfter = null;
        for (ServerId id : order) {
            if (run.attempts >= settings.maxInstancesPerCall()) {
                break;
            }
            if (!breakers.tryAcquire(id)) {
                retryAfter = earliest(retryAfter, breakers.retryAfter(id));
                continue;
            }
            if (run.attempts > 0 && !budget.trySpend(Balancer.nanos(clock.instant()))) {
                breakers.released(id); // nothing is sent: the permit goes back unused
                run.budgetSpent = true;
                break; // the pool has sent its share of extra requests: one more would add to its load
            }
            MonitoredServer server = servers.get(id);
            run.attempts++;
            CallOutcome outcome = balancer.measured(id, () -> send.apply(server, gate.mayConnect(id)), clock);
            boolean failed = outcome instanceof CallOutcome.Failed;
            callRecord.record(new RecordCallUseCase.Call(id, outcome.elapsed(), failed));
            if (success.isInstance(outcome)) {
                breakers.succeeded(id, outcome.elapsed());
                run.served = Optional.of(success.cast(outcome));
                run.by = Optional.of(id);
                // every change of the instance serving is a failover, except between the usable primaries of a
                // balanced pool, where calls move by load all the time: there only a call that failed on one
                // instance and was served by another is one
                boolean everyChange = stays || !balancing.spreads() || fallback(type, id)
                        || sticky.filter(before -> fallback(type, before)).isPresent();
                serving.served(type, everyChange, sticky, run.failedOn, id);
                return run;
            }
            CallOutcome.Failed f = (CallOutcome.Failed) outcome;
            if (run.failedOn.isEmpty()) {
                run.failedOn = Optional.of(id);
            }
            breakers.failed(id, f.elapsed(), f.type());
            if (RecoveryPolicy.recoverable(f.type())) {
                recovery.failureSeen(id, f.type(), f.message());
            }
            run.lastFailure = Optional.of(f);
            run.by = Optional.of(id);
            run.delivered |= f.delivered();
            if (f.delivered() && !replayable.test(id)) {
                return run; // it may have run: sending it again could do it twice
            }
            run.failovers++;
        }
        if (run.lastFailure.isEmpty()) {
            run.retryAfter = retryAfter == null ? retryHint(views, now) : retryAfter;
        } else if (!run.delivered) {
            Duration hint = retryHint(views, now);
            run.retryAfter = retryAfter == null ? hint : earliest(retryAfter, hint);
        } else {
            run.retryAfter = retryAfter == null ? Duration.ZERO : retryAfter;
        }
        return run;
    }

    /** Whether {@code server} serves {@code type}'s calls as a fallback (it is of another type). */
    private boolean fallback(ServerType type, ServerId server) {
        MonitoredServer s = servers.get(server);
        return s != null && !s.type().equals(type);
    }

    /** What the balancer sees of {@code server} now: its load, if it is in the catalog. */
    public Optional<InstanceLoad> load(ServerId server) {
        return balancer.load(server);
    }

    /** The balancer's figures of each instance, for its status (the composition root hands them to the board). */
    public InstanceLoads loads() {
        return (server, now) -> Optional.ofNullable(servers.get(server))
                .flatMap(s -> balancer.figures(server, pools.get(s.type()).stream().map(MonitoredServer::id)
                        .toList(), settings.balancing(s.type()), now));
    }

    /** When something in the pool may be able to serve: the earliest recovery attempt due, else a probe interval. */
    private Duration retryHint(List<InstanceView> views, Instant now) {
        Duration best = null;
        for (InstanceView v : views) {
            Optional<RecoveryEpisode> e = gate.episode(v.id());
            if (e.isPresent() && e.get() instanceof RecoveryEpisode.Down down) {
                Duration wait = Duration.between(now, down.nextAttemptAt());
                best = earliest(best, wait.isNegative() ? Duration.ZERO : wait);
            }
            Duration open = breakers.retryAfter(v.id());
            if (!open.isZero()) {
                best = earliest(best, open);
            }
        }
        return best == null ? servers.get(views.get(0).id()).failover().healthCheckInterval() : best;
    }

    /** The instance the type's calls went to last, if any call went anywhere yet (or calls were moved by hand). */
    @Override
    public Optional<ServerId> serving(ServerType type) {
        return serving.current(type);
    }

    /** Moves the type's calls from {@code from} to {@code to} (the coordinator run by hand). */
    @Override
    public void moveTo(ServerType type, ServerId from, ServerId to, String reason) {
        serving.moveTo(type, from, to, reason);
    }

    private static Duration earliest(Duration a, Duration b) {
        return a == null || b.compareTo(a) < 0 ? b : a;
    }
}
