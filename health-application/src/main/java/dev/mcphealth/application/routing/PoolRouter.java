package dev.mcphealth.application.routing;

import dev.mcphealth.application.monitoring.InstanceViews;
import dev.mcphealth.application.port.in.RecordCallUseCase;
import dev.mcphealth.application.port.in.UnknownServerTypeException;
import dev.mcphealth.application.port.out.BreakerPort;
import dev.mcphealth.application.port.out.ConcurrencyLimitPort;
import dev.mcphealth.application.port.out.MonitorEventPort;
import dev.mcphealth.application.recovery.FailureObserver;
import dev.mcphealth.application.recovery.RecoveryGate;
import dev.mcphealth.domain.model.CallOutcome;
import dev.mcphealth.domain.model.FailoverConfig;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.FallbackStrategy;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.recovery.RecoveryEpisode;
import dev.mcphealth.domain.recovery.RecoveryPolicy;
import dev.mcphealth.domain.routing.Balancing;
import dev.mcphealth.domain.routing.FailoverPolicy;
import dev.mcphealth.domain.routing.InstanceView;
import dev.mcphealth.domain.routing.RetryBudget;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * One request through a pool, for {@link ResilientCallService}: the instances {@link FailoverPolicy} orders, the first
 * of them chosen as the pool's {@link Balancing} says, each through its circuit breaker, on to the next when one fails
 * (a request that may have reached an instance only if it is safe to send twice), within the pool's retry budget;
 * an instance at its concurrency limit is passed over before anything is sent to it.
 * Every request sent feeds the monitor's windows (passive health) and the balancer's loads, and a failure that a
 * restart can fix starts recovery at once.
 */
final class PoolRouter {
    final Map<ServerType, List<MonitoredServer>> pools = new LinkedHashMap<>();
    final Map<ServerId, MonitoredServer> servers = new LinkedHashMap<>();
    final Balancer balancer;
    final Serving serving;
    /** Each pool's retry budget, fixed at construction: reads need no lock. */
    final Map<ServerType, RetryBudget> budgets;
    private final BreakerPort breakers;
    private final InstanceViews monitor;
    private final RecordCallUseCase callRecord;
    private final RecoveryGate gate;
    private final FailureObserver recovery;
    private final Clock clock;
    private final ResilienceSettings settings;
    private final ConcurrencyLimitPort limits;
    /** When a request shed at an instance's concurrency limit may be tried again: its calls are short. */
    static final Duration SHED_RETRY_AFTER = Duration.ofSeconds(1);
    private final CandidateOrder candidates;
    private final dev.mcphealth.application.catalog.StandbyInstances standby;

    <R extends RecoveryGate & FailureObserver> PoolRouter(List<MonitoredServer> catalog, BreakerPort breakers,
            InstanceViews monitor, RecordCallUseCase callRecord, R recovery, MonitorEventPort events, Clock clock,
            ResilienceSettings settings, ConcurrencyLimitPort limits,
            dev.mcphealth.application.catalog.StandbyInstances standby) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.standby = Objects.requireNonNull(standby, "standby");
        for (MonitoredServer s : catalog) {
            pools.computeIfAbsent(s.type(), t -> new ArrayList<>()).add(s);
            servers.put(s.id(), s);
        }
        this.breakers = Objects.requireNonNull(breakers);
        this.monitor = Objects.requireNonNull(monitor);
        this.callRecord = Objects.requireNonNull(callRecord);
        this.gate = Objects.requireNonNull(recovery);
        this.recovery = recovery;
        this.clock = Objects.requireNonNull(clock);
        this.settings = Objects.requireNonNull(settings);
        this.balancer = new Balancer(servers.keySet());
        Map<ServerType, RetryBudget> b = new LinkedHashMap<>();
        pools.keySet().forEach(t -> b.put(t, settings.retryBudget().budget()));
        this.budgets = Map.copyOf(b);
        this.candidates = new CandidateOrder(pools, monitor, breakers, balancer, settings.failbackAfter(),
                standby);
        this.serving = new Serving(Objects.requireNonNull(events), clock,
                id -> monitor.view(id, false, breakers.state(id)), settings.failbackAfter());
    }

    <T extends CallOutcome> Attempted<T> route(ServerType type,
                                                       BiFunction<MonitoredServer, Boolean, CallOutcome> send,
                                                       Class<T> success,
                                                       java.util.function.Predicate<ServerId> replayable,
                                                       Optional<ServerId> only, Attempted<T> run) {
        List<MonitoredServer> primary = pools.get(type);
        if (primary == null) {
            throw new UnknownServerTypeException(type, pools.keySet());
        }
        try (CandidateOrder.Candidates c = candidates.open(primary, primary.get(0).failover())) {
            return route(type, primary, c, send, success, replayable, only.orElse(null), run);
        }
    }

    private <T extends CallOutcome> Attempted<T> route(ServerType type, List<MonitoredServer> primary,
                                                       CandidateOrder.Candidates c,
                                                       BiFunction<MonitoredServer, Boolean, CallOutcome> send,
                                                       Class<T> success,
                                                       java.util.function.Predicate<ServerId> replayable,
                                                       ServerId only, Attempted<T> run) {
        FailoverConfig config = primary.get(0).failover();
        Instant now = clock.instant();
        long at = Balancer.nanos(now);
        RetryBudget budget = budgets.get(type);
        if (only == null) {
            budget.called(at); // a hedge is the same call: its budget was spent when it was sent
        }
        ServerId sticky = serving.current(type).orElse(null);
        Instant byHand = serving.movedByHand(type).orElse(null);
        Balancing balancing = settings.balancing(type);
        // after a move by hand the calls stay where they were moved, as sticky ones do, until they move again
        boolean stays = balancing == Balancing.STICKY || byHand != null;
        if (only != null) {
            candidates.only(c, only); // a hedge: one instance, the call's failover is the first request's
        } else if (config.fallbackStrategy() == FallbackStrategy.MANUAL_MODE) {
            // manual mode: no automatic move to another instance, not even by health order; calls stay on the
            // instance now serving (the first configured one at first) until a person moves them (moveTo)
            candidates.only(c, sticky != null ? sticky : primary.get(0).id());
        } else {
            candidates.order(c, sticky, byHand, stays, balancing, now, at);
        }
        Duration retryAfter = null;
        for (int k = 0; k < c.count; k++) {
            ServerId id = c.at(k);
            if (run.attempts >= settings.maxInstancesPerCall() || run.decided || run.cancel.cancelled()) {
                break; // as many tried as one call may; a hedged call's other lane has answered; or cancelled
            }
            if (!standby.serves(id)) {
                continue; // a standby instance cooled since the call began: no new request goes to it
            }
            if (!breakers.tryAcquire(id)) {
                retryAfter = earliest(retryAfter, breakers.retryAfter(id));
                continue;
            }
            Optional<ConcurrencyLimitPort.Admission> admitted = limits.tryAcquire(id);
            if (admitted.isEmpty()) {
                breakers.released(id); // at its concurrency limit: shed before it is sent, on to the next
                run.shed = true;
                retryAfter = earliest(retryAfter, SHED_RETRY_AFTER);
                continue;
            }
            // every request after a call's first, and a hedge, is an extra one: spent here, once it can be sent
            if ((run.attempts > 0 || only != null) && !budget.trySpend(Balancer.nanos(clock.instant()))) {
                breakers.released(id); // nothing is sent: the permit goes back unused
                admitted.get().ignored().run();
                run.budgetSpent = true;
                break; // the pool has sent its share of extra requests: one more would add to its load
            }
            MonitoredServer server = servers.get(id);
            run.attempts++;
            run.sending = id;
            CallOutcome outcome;
            try {
                outcome = measured(id, server, send, admitted.get());
            } catch (RuntimeException | Error e) {
                breakers.released(id); // nothing was learned of the instance: its permit goes back
                throw e;
            }
            if (outcome instanceof CallOutcome.Cancelled) {
                breakers.released(id); // the caller stopped it: nothing was learned of the instance
                run.cancelled = true;
                run.server = id;
                return run;
            }
            boolean failed = outcome instanceof CallOutcome.Failed;
            callRecord.record(new RecordCallUseCase.Call(id, outcome.elapsed(), failed));
            if (success.isInstance(outcome)) {
                breakers.succeeded(id, outcome.elapsed());
                run.answer = success.cast(outcome);
                run.server = id;
                // every change of the instance serving is a failover, except between the usable primaries of a
                // balanced pool, where calls move by load all the time: there only a call that failed on one
                // instance and was served by another is one
                boolean everyChange = stays || !balancing.spreads() || fallback(type, id)
                        || sticky != null && fallback(type, sticky);
                if (!run.decided) {
                    serving.served(type, everyChange, sticky, run.firstFailedOn, id);
                }
                return run;
            }
            CallOutcome.Failed f = (CallOutcome.Failed) outcome;
            if (run.firstFailedOn == null) {
                run.firstFailedOn = id;
            }
            breakers.failed(id, f.elapsed(), f.type());
            if (RecoveryPolicy.startedByCall(f.type())) {
                recovery.failureSeen(id, f.type(), f.message());
            }
            run.failure = f;
            run.server = id;
            run.delivered |= f.delivered();
            if (f.delivered() && !replayable.test(id)) {
                return run; // it may have run: sending it again could do it twice
            }
            run.failovers++;
        }
        if (run.failure == null) {
            run.retryAfter = retryAfter == null ? retryHint(c.views, c.size, now) : retryAfter;
        } else if (!run.delivered) {
            Duration hint = retryHint(c.views, c.size, now);
            run.retryAfter = retryAfter == null ? hint : earliest(retryAfter, hint);
        } else {
            run.retryAfter = retryAfter == null ? Duration.ZERO : retryAfter;
        }
        return run;
    }

    /** Where a hedge goes: the least loaded usable primary of {@code type} other than {@code busy}, or null. */
    ServerId hedgeTarget(ServerType type, ServerId busy) {
        return candidates.hedgeTarget(type, busy, Balancer.nanos(clock.instant()));
    }

    /** Sends one request, its load and its concurrency limit told how it went (a throw: nothing learned). */
    private CallOutcome measured(ServerId id, MonitoredServer server,
                                 BiFunction<MonitoredServer, Boolean, CallOutcome> send,
                                 ConcurrencyLimitPort.Admission admitted) {
        CallOutcome outcome;
        try {
            outcome = balancer.measured(id, server, gate.mayConnect(id), send, clock);
        } catch (RuntimeException | Error e) {
            admitted.ignored().run();
            throw e;
        }
        if (outcome instanceof CallOutcome.Cancelled) {
            admitted.ignored().run();
        } else if (!(outcome instanceof CallOutcome.Failed f)) {
            admitted.answered().run();
        } else if (f.type() == FailureType.TIMEOUT || f.type() == FailureType.RATE_LIMIT) {
            admitted.overloaded().run();
        } else {
            admitted.ignored().run();
        }
        return outcome;
    }

    /** Whether {@code server} serves {@code type}'s calls as a fallback (it is of another type). */
    private boolean fallback(ServerType type, ServerId server) {
        MonitoredServer s = servers.get(server);
        return s != null && !s.type().equals(type);
    }

    /** When something in the pool may be able to serve: the earliest recovery attempt due, else a probe interval. */
    private Duration retryHint(InstanceView[] views, int size, Instant now) {
        Duration best = null;
        for (int i = 0; i < size; i++) {
            ServerId id = views[i].id();
            Optional<RecoveryEpisode> e = gate.episode(id);
            if (e.isPresent() && e.get() instanceof RecoveryEpisode.Down down) {
                Duration wait = Duration.between(now, down.nextAttemptAt());
                best = earliest(best, wait.isNegative() ? Duration.ZERO : wait);
            }
            Duration open = breakers.retryAfter(id);
            if (!open.isZero()) {
                best = earliest(best, open);
            }
        }
        if (best == null && size == 0) {
            return SHED_RETRY_AFTER; // every instance a cold standby instance: one is warmed within a second
        }
        return best == null ? servers.get(views[0].id()).failover().healthCheckInterval() : best;
    }

    private static Duration earliest(Duration a, Duration b) {
        return a == null || b.compareTo(a) < 0 ? b : a;
    }
}
