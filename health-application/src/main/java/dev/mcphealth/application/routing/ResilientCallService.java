package dev.mcphealth.application.routing;

import dev.mcphealth.application.monitoring.InstanceLoads;
import dev.mcphealth.application.monitoring.InstanceViews;
import dev.mcphealth.application.recovery.FailureObserver;
import dev.mcphealth.application.recovery.RecoveryGate;
import dev.mcphealth.application.port.in.CallToolUseCase;
import dev.mcphealth.application.port.in.ForwardRequestUseCase;
import dev.mcphealth.application.port.in.ListToolsUseCase;
import dev.mcphealth.application.port.in.NoHealthyInstanceException;
import dev.mcphealth.application.port.in.ReadToolStatsUseCase;
import dev.mcphealth.application.port.in.RecordCallUseCase;
import dev.mcphealth.application.port.out.BreakerPort;
import dev.mcphealth.application.port.out.ConcurrencyLimitPort;
import dev.mcphealth.application.port.out.MonitorEventPort;
import dev.mcphealth.application.port.out.ServerCatalogPort;
import dev.mcphealth.application.port.out.ToolCallPort;
import dev.mcphealth.application.port.out.ToolSemanticsPort;
import dev.mcphealth.domain.model.AskClient;
import dev.mcphealth.domain.model.CallOutcome;
import dev.mcphealth.domain.model.Caller;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.ToolSpec;
import dev.mcphealth.domain.routing.Balancing;
import dev.mcphealth.domain.routing.FailoverPolicy;
import dev.mcphealth.domain.routing.InstanceLoad;
import dev.mcphealth.domain.routing.ToolLatency;
import dev.mcphealth.application.catalog.StandbyInstances;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
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
public final class ResilientCallService implements CallToolUseCase, ListToolsUseCase, ActiveInstances,
        ReadToolStatsUseCase {

    private final PoolRouter router;
    private final ToolCallPort calls;
    private final ToolSemanticsPort semantics;
    private final Clock clock;
    private final ResilienceSettings settings;
    private final Map<ServerType, ListToolsUseCase.Listing> lastTools = new ConcurrentHashMap<>();
    /** The tools each type's last listing annotates read-only or idempotent: a call of one may be replayed. */
    private final Map<ServerType, Set<String>> hintedReplayable = new ConcurrentHashMap<>();
    private final ToolStats toolStats;
    private final Hedger hedger;
    private final ConcurrencyLimitPort limits;
    private final ForwardRequestUseCase upstream;

    /**
     * @param monitor     what the monitor knows of each instance now
     * @param callRecord  where each call's outcome goes (the monitor's windows: passive health)
     */
    public <R extends RecoveryGate & FailureObserver> ResilientCallService(ServerCatalogPort catalog,
            ToolCallPort calls, BreakerPort breakers, ToolSemanticsPort semantics, InstanceViews monitor,
            RecordCallUseCase callRecord, R recovery, MonitorEventPort events, Clock clock,
            ResilienceSettings settings) {
        this(catalog, calls, breakers, semantics, monitor, callRecord, recovery, events, clock, settings, Hedger.NONE,
                ConcurrencyLimitPort.NONE);
    }

    /**
     * @param hedger how a call of a tool that is safe to send twice is hedged (see {@link #call})
     * @param limits how many requests each instance takes at once (beyond, it is passed over)
     */
    public <R extends RecoveryGate & FailureObserver> ResilientCallService(ServerCatalogPort catalog,
            ToolCallPort calls, BreakerPort breakers, ToolSemanticsPort semantics, InstanceViews monitor,
            RecordCallUseCase callRecord, R recovery, MonitorEventPort events, Clock clock,
            ResilienceSettings settings, Hedger hedger, ConcurrencyLimitPort limits) {
        this(catalog, calls, breakers, semantics, monitor, callRecord, recovery, events, clock, settings, hedger,
                limits, StandbyInstances.NONE);
    }

    /** @param standby the pools' standby instances: calls go to one only while it is warm */
    public <R extends RecoveryGate & FailureObserver> ResilientCallService(ServerCatalogPort catalog,
            ToolCallPort calls, BreakerPort breakers, ToolSemanticsPort semantics, InstanceViews monitor,
            RecordCallUseCase callRecord, R recovery, MonitorEventPort events, Clock clock,
            ResilienceSettings settings, Hedger hedger, ConcurrencyLimitPort limits, StandbyInstances standby) {
        this.hedger = Objects.requireNonNull(hedger, "hedger");
        this.router = new PoolRouter(catalog.servers(), breakers, monitor, callRecord, recovery, events, clock,
                settings, limits, standby);
        this.limits = limits;
        this.calls = Objects.requireNonNull(calls);
        this.semantics = Objects.requireNonNull(semantics);
        this.clock = Objects.requireNonNull(clock);
        this.settings = Objects.requireNonNull(settings);
        this.toolStats = new ToolStats(settings.usageWindow().toNanos());
        UpstreamRequests requests = new UpstreamRequests(router, calls, clock, settings);
        this.upstream = new ForwardRequestUseCase() {
            @Override
            public ForwardRequestUseCase.Result forward(ServerType type, dev.mcphealth.domain.model.UpstreamRequest r,
                                                        Map<String, Object> params,
                                                        dev.mcphealth.domain.model.Cancellation cancel) {
                return requests.forward(type, r, params, cancel);
            }

            @Override
            public ForwardRequestUseCase.Listing list(ServerType type, dev.mcphealth.domain.model.UpstreamRequest r) {
                return requests.list(type, r);
            }
        };
    }

    /**
     * Routes the call through its pool. A call of a tool that is safe to send twice (annotated read-only or
     * idempotent, or in idempotentTools), in a pool that spreads its calls ({@code p2c}, {@code round_robin}), is
     * hedged: if it has not come back after the tool's recent p95, a second copy goes to another usable instance,
     * out of the pool's retry budget, and the first good answer is the call's.
     */
    @Override
    public CallToolUseCase.Result call(Command command) {
        ServerType type = command.serverType();
        String tool = command.tool();
        boolean hinted = hintedReplayable.getOrDefault(type, Set.of()).contains(tool);
        java.util.function.Predicate<ServerId> replayable = server -> hinted || semantics.idempotent(server, tool);
        Optional<ToolLatency> latency = router.pools.containsKey(type) ? toolStats.of(type, tool) : Optional.empty();
        // the tool's own timeout; a call whose progress is followed is a long one by its caller's word, and one whose
        // server may ask its client's user something may wait for the user's answer: the ceiling for both
        Duration timeout = command.progress().isPresent()
                || command.caller().asks().filter(AskClient::mayAskAPerson).isPresent()
                ? settings.callTimeout() : settings.timeout(latency, Balancer.nanos(clock.instant()));
        java.util.function.Function<Caller, BiFunction<MonitoredServer, Boolean, CallOutcome>> sending =
                caller -> (server, mayConnect) -> {
                    CallOutcome o = calls.callTool(server, tool, command.arguments(), timeout, mayConnect, caller);
                    if (!(o instanceof CallOutcome.Cancelled)) { // a failure is counted, its time is not a tool's
                        latency.ifPresent(l -> l.record(Balancer.nanos(clock.instant()), o.elapsed().toNanos(),
                                o instanceof CallOutcome.Failed));
                    }
                    return o;
                };
        // a caller following the call's progress is not hedged: two copies would tell it two progresses
        Optional<Duration> hedgeAfter = command.progress().isPresent() ? Optional.empty()
                : hedgeDelay(type, replayable, latency);
        Attempted<CallOutcome.Replied> first = new Attempted<>();
        Attempted<CallOutcome.Replied> run;
        if (hedgeAfter.isEmpty()) {
            first.cancel = command.cancel();
            run = router.route(type, sending.apply(command.caller()), CallOutcome.Replied.class, replayable,
                    Optional.empty(), first);
        } else {
            Attempted<CallOutcome.Replied> hedge = new Attempted<>();
            // each copy can be stopped on its own (the loser, once the other answered) or with the call, and only
            // one of them may ask the client something (two would ask it twice)
            first.cancel = command.cancel().child();
            hedge.cancel = command.cancel().child();
            OneAsker asking = new OneAsker(command.caller().asks());
            Caller firstCaller = command.caller().cancelledBy(first.cancel).asking(asking.lane(
                    () -> hedge.cancel.cancel("the other copy of the hedged call is asking the client")));
            Caller hedgeCaller = command.caller().cancelledBy(hedge.cancel).asking(asking.lane(
                    () -> first.cancel.cancel("the other copy of the hedged call is asking the client")));
            run = hedger.race(() -> router.route(type, sending.apply(firstCaller), CallOutcome.Replied.class,
                    replayable, Optional.empty(), first), hedgeAfter.get(), () -> first.sendingTo().map(busy ->
                    router.hedgeTarget(type, busy)).filter(replayable).map(other -> () -> router.route(type,
                    sending.apply(hedgeCaller), CallOutcome.Replied.class, replayable, Optional.of(other), hedge)),
                    r -> r.answer != null);
            Attempted<CallOutcome.Replied> lost = run == first ? hedge : first;
            if (run.answer != null && !lost.cancel.cancelled()) {
                lost.cancel.cancel("the other copy of the hedged call answered first"); // told upstream to stop
            }
            // the race is decided: the lane that lost sends nothing more and moves no one's calls when it ends
            first.decided = true;
            hedge.decided = true;
        }
        if (run.cancelled || (run.answer == null && command.cancel().cancelled())) {
            return new CallToolUseCase.Cancelled(type, command.cancel().reason().orElse("cancelled"), run.attempts);
        }
        if (run.answer != null) {
            return new Served(run.server, run.answer.reply(), run.answer.elapsed(), run.attempts, run.failovers);
        }
        if (run.failure != null && run.delivered) {
            return new Failed(run.server, run.failure.type(), run.failure.message(), run.attempts);
        }
        // nothing was sent: every instance refused by its breaker or failed before the call reached it
        return new Unavailable(type, Refusals.unavailable(type, run, settings.retryBudget()), run.retryAfter,
                run.attempts);
    }

    @Override
    public ListToolsUseCase.Listing list(ServerType type) {
        Attempted<CallOutcome.Listed> run = router.route(type, (server, mayConnect) -> calls.listTools(server,
                settings.callTimeout(), mayConnect), CallOutcome.Listed.class, server -> true, Optional.empty(),
                new Attempted<>());
        if (run.served().isPresent()) {
            ListToolsUseCase.Listing fresh = new ListToolsUseCase.Listing(type, run.by().orElseThrow(),
                    run.served().get().tools(), clock.instant(), false);
            lastTools.put(type, fresh);
            hintedReplayable.put(type, fresh.tools().stream().filter(t -> t.hints().replayable())
                    .map(ToolSpec::name).collect(Collectors.toUnmodifiableSet()));
            return fresh;
        }
        ListToolsUseCase.Listing remembered = lastTools.get(type);
        if (remembered != null) {
            return new ListToolsUseCase.Listing(type, remembered.from(), remembered.tools(), remembered.fetchedAt(),
                    true);
        }
        String why = run.lastFailure().filter(f -> run.delivered).map(f -> type.value() + ": tools/list failed on " + run.by().orElseThrow().value()
                + ": " + f.message() + "; retry after " + Refusals.seconds(run.retryAfter) + " s")
                .orElse(Refusals.unavailable(type, run.retryAfter));
        throw new NoHealthyInstanceException(why, run.retryAfter);
    }

    /** The pools' prompts and resources, routed as the calls are, by the same balancer, breakers and budgets. */
    public ForwardRequestUseCase upstream() {
        return upstream;
    }

    /**
     * When to hedge a call of a tool of {@code type}: after the tool's recent p95, if the hedger is on, the tool safe
     * to send twice, its pool spreading its calls (not moved by hand) and the tool called often enough to know it.
     */
    private Optional<Duration> hedgeDelay(ServerType type, java.util.function.Predicate<ServerId> replayable,
                                          Optional<ToolLatency> latency) {
        List<MonitoredServer> pool = router.pools.get(type);
        if (!hedger.enabled() || latency.isEmpty() || pool == null || pool.size() < 2
                || !settings.balancing(type).spreads() || router.serving.movedByHand(type).isPresent()
                || !replayable.test(pool.get(0).id())) {
            return Optional.empty();
        }
        long now = Balancer.nanos(clock.instant());
        ToolLatency.Summary known = latency.get().summary(now);
        if (known.answered() < ResilienceSettings.HEDGE_MIN_CALLS) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos(known.p95Nanos())); // ResilienceSettings.HEDGE_QUANTILE
    }

    @Override
    public List<ToolFigures> toolStats(Set<ServerType> types) {
        long now = Balancer.nanos(clock.instant());
        List<ToolFigures> out = new ArrayList<>();
        toolStats.all().forEach((type, tools) -> {
            if (types.isEmpty() || types.contains(type)) {
                tools.forEach((tool, l) -> {
                    long n = l.calls(now);
                    if (n > 0) {
                        out.add(new ToolFigures(type, tool, n, l.failures(now), l.quantileNanos(now, 0.5) / 1e6,
                                l.quantileNanos(now, 0.95) / 1e6, l.quantileNanos(now, 0.99) / 1e6));
                    }
                });
            }
        });
        out.sort(java.util.Comparator.comparing((ToolFigures f) -> f.type().value()).thenComparing(ToolFigures::tool));
        return out;
    }

    /** Each tool's recent calls through the pools, as every call records them: what its usage rows are made of. */
    public ToolStats toolStatistics() {
        return toolStats;
    }

    /** What the balancer sees of {@code server} now: its load, if it is in the catalog. */
    public Optional<InstanceLoad> load(ServerId server) {
        return router.balancer.load(server);
    }

    /** The balancer's figures of each instance, for its status (the composition root hands them to the board). */
    public InstanceLoads loads() {
        return (server, now) -> Optional.ofNullable(router.servers.get(server))
                .flatMap(s -> router.balancer.figures(server, router.pools.get(s.type()).stream().map(MonitoredServer::id)
                        .toList(), settings.balancing(s.type()), limits.limit(server), now));
    }

    /** The instance the type's calls went to last, if any call went anywhere yet (or calls were moved by hand). */
    @Override
    public Optional<ServerId> serving(ServerType type) {
        return router.serving.current(type);
    }

    @Override
    public boolean movedByHand(ServerType type) {
        return router.serving.movedByHand(type).isPresent();
    }

    /** Moves the type's calls from {@code from} to {@code to} (the coordinator run by hand). */
    @Override
    public void moveTo(ServerType type, ServerId from, ServerId to, String reason) {
        router.serving.moveTo(type, from, to, reason);
    }
}
