package dev.mcphealth.application.routing;

import dev.mcphealth.application.monitoring.InstanceLoads;
import dev.mcphealth.domain.model.CallOutcome;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.routing.Balancing;
import dev.mcphealth.domain.routing.InstanceLoad;
import dev.mcphealth.domain.routing.InstanceView;
import dev.mcphealth.domain.routing.PowerOfTwoChoices;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The balancer of {@link ResilientCallService}: each instance's load ({@link InstanceLoad}, fed by every call sent to
 * it), the power of two choices over the usable primaries ({@link Balancing#P2C}) and each pool's turn
 * ({@link Balancing#ROUND_ROBIN}).
 */
final class Balancer {
    /** Every server of the catalog, fixed at construction: reads need no lock. */
    private final Map<ServerId, InstanceLoad> loads;

    /** Each pool's turn ({@link Balancing#ROUND_ROBIN}), counted on its first instance. */
    private final Map<ServerId, AtomicLong> turns;

    Balancer(Collection<ServerId> servers) {
        Map<ServerId, InstanceLoad> m = new LinkedHashMap<>();
        Map<ServerId, AtomicLong> t = new LinkedHashMap<>();
        servers.forEach(id -> {
            m.put(id, new InstanceLoad());
            t.put(id, new AtomicLong());
        });
        this.loads = Map.copyOf(m);
        this.turns = Map.copyOf(t);
    }

    /**
     * {@code order} with the instance the power of two choices picks put first: among the usable primary instances
     * of {@code views}, by each one's load at {@code now}. With fewer than two usable primaries the order stands
     * (failover and fallbacks are {@code FailoverPolicy}'s either way).
     */
    List<ServerId> firstByLoad(List<ServerId> order, List<InstanceView> views, Instant now) {
        List<ServerId> usable = usablePrimaries(views);
        if (usable.size() < 2) {
            return order;
        }
        long at = nanos(now);
        ServerId pick = usable.get(PowerOfTwoChoices.pick(usable.size(), i -> loads.get(usable.get(i)).cost(at),
                ThreadLocalRandom.current()));
        return first(pick, order);
    }

    /**
     * {@code order} with the next usable primary in turn put first ({@link Balancing#ROUND_ROBIN}): the pool's turn
     * is counted on its first instance.
     */
    List<ServerId> firstInTurn(List<ServerId> order, List<InstanceView> views) {
        List<ServerId> usable = usablePrimaries(views);
        if (usable.size() < 2) {
            return order;
        }
        long turn = turns.get(views.get(0).id()).getAndIncrement();
        return first(usable.get((int) Math.floorMod(turn, (long) usable.size())), order);
    }

    /** The least loaded of {@code candidates} at {@code now}, if there is one. */
    Optional<ServerId> cheapest(List<ServerId> candidates, Instant now) {
        long at = nanos(now);
        ServerId best = null;
        double cost = Double.MAX_VALUE;
        for (ServerId id : candidates) {
            double c = loads.get(id).cost(at);
            if (best == null || c < cost) {
                best = id;
                cost = c;
            }
        }
        return Optional.ofNullable(best);
    }

    private static List<ServerId> usablePrimaries(List<InstanceView> views) {
        List<ServerId> usable = new ArrayList<>(views.size());
        for (InstanceView v : views) {
            if (!v.fallback() && v.usable()) {
                usable.add(v.id());
            }
        }
        return usable;
    }

    /** {@code order} with {@code pick} first. */
    private static List<ServerId> first(ServerId pick, List<ServerId> order) {
        if (order.isEmpty() || order.get(0).equals(pick)) {
            return order;
        }
        List<ServerId> out = new ArrayList<>(order.size());
        out.add(pick);
        for (ServerId id : order) {
            if (!id.equals(pick)) {
                out.add(id);
            }
        }
        return out;
    }

    /** Sends one request to {@code server} with {@code send}, counting it in flight and its outcome in its load. */
    CallOutcome measured(ServerId server, Supplier<CallOutcome> send, Clock clock) {
        InstanceLoad load = loads.get(server);
        int before = load.started();
        CallOutcome outcome = null;
        try {
            outcome = send.get();
        } finally {
            if (outcome == null) {
                load.abandoned(); // it threw (an exception or an error): nothing was learned of the instance
            }
        }
        long ended = nanos(clock.instant());
        if (outcome instanceof CallOutcome.Cancelled) {
            // stopped before it answered (its caller cancelled it, or it lost a hedged race): the instance took at
            // least this long, a lower bound that keeps a slow instance whose copies always lose from looking fast
            load.lasted(ended, outcome.elapsed().minus(outcome.setup()).toNanos());
        } else if (outcome instanceof CallOutcome.Failed) {
            load.failed(ended, outcome.elapsed().toNanos());
        } else {
            // the round trip only: a first request that had to start the server and open its session would
            // otherwise set the peak for half a minute and keep a fast instance from its calls
            load.answered(ended, outcome.elapsed().minus(outcome.setup()).toNanos(), before);
        }
        return outcome;
    }

    Optional<InstanceLoad> load(ServerId server) {
        return Optional.ofNullable(loads.get(server));
    }

    /**
     * What the balancer sees of {@code server} at {@code now}, for its status; its pool ({@code pool}, the primaries
     * of its type) is balanced as said.
     */
    Optional<InstanceLoads.Figures> figures(ServerId server, Collection<ServerId> pool, Balancing balancing,
                                            java.util.OptionalInt limit, Instant now) {
        long all = 0;
        for (ServerId id : pool) {
            all += loads.get(id).calls();
        }
        long total = all;
        return load(server).map(l -> new InstanceLoads.Figures(balancing.code(), l.latencyNanos(nanos(now)) / 1e6,
                l.inFlight(), l.calls(), total == 0 ? 0 : l.calls() / (double) total, limit));
    }

    /** {@code t} as nanoseconds on the caller's time line (the balancer's and the budget's). */
    static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
