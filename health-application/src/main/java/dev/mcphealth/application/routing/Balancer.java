package dev.mcphealth.application.routing;

import dev.mcphealth.application.monitoring.InstanceLoads;
import dev.mcphealth.domain.model.CallOutcome;
import dev.mcphealth.domain.model.MonitoredServer;
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
import java.util.function.BiFunction;

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
     * Puts first in {@code order[0..n)} (indices into {@code views[0..size)}) the instance the power of two choices
     * picks among the usable primary instances of {@code views}, by each one's load at {@code at}. With fewer than two
     * usable primaries the order stands (failover and fallbacks are {@code FailoverPolicy}'s either way). Without
     * allocating.
     */
    void firstByLoad(InstanceView[] views, int size, int[] order, int n, long at) {
        int usable = usablePrimaries(views, size);
        if (usable < 2) {
            return;
        }
        long two = PowerOfTwoChoices.draw(usable, ThreadLocalRandom.current());
        int a = nthUsablePrimary(views, size, PowerOfTwoChoices.first(two));
        int b = nthUsablePrimary(views, size, PowerOfTwoChoices.second(two));
        int pick = loads.get(views[b].id()).cost(at) < loads.get(views[a].id()).cost(at) ? b : a;
        putFirst(pick, order, n);
    }

    /**
     * Puts the next usable primary in turn first in {@code order[0..n)} ({@link Balancing#ROUND_ROBIN}): the pool's
     * turn is counted on its first instance, {@code views[0]}.
     */
    void firstInTurn(InstanceView[] views, int size, int[] order, int n) {
        int usable = usablePrimaries(views, size);
        if (usable < 2) {
            return;
        }
        long turn = turns.get(views[0].id()).getAndIncrement();
        putFirst(nthUsablePrimary(views, size, (int) Math.floorMod(turn, (long) usable)), order, n);
    }

    /** The least loaded at {@code at} of the usable primaries of {@code views} other than {@code busy}, or null. */
    ServerId cheapest(InstanceView[] views, int size, ServerId busy, long at) {
        ServerId best = null;
        double cost = Double.MAX_VALUE;
        for (int i = 0; i < size; i++) {
            InstanceView v = views[i];
            if (v.fallback() || !v.usable() || v.id().equals(busy)) {
                continue;
            }
            double c = loads.get(v.id()).cost(at);
            if (best == null || c < cost) {
                best = v.id();
                cost = c;
            }
        }
        return best;
    }

    private static int usablePrimaries(InstanceView[] views, int size) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (!views[i].fallback() && views[i].usable()) {
                n++;
            }
        }
        return n;
    }

    /** The index in {@code views} of its {@code k}-th (from 0) usable primary. */
    private static int nthUsablePrimary(InstanceView[] views, int size, int k) {
        for (int i = 0, seen = 0; i < size; i++) {
            if (!views[i].fallback() && views[i].usable() && seen++ == k) {
                return i;
            }
        }
        throw new IllegalStateException("fewer usable primaries than counted");
    }

    /** Moves {@code pick} to the front of {@code order[0..n)}, the others' order kept; absent, nothing changes. */
    private static void putFirst(int pick, int[] order, int n) {
        for (int k = 0; k < n; k++) {
            if (order[k] == pick) {
                System.arraycopy(order, 0, order, 1, k);
                order[0] = pick;
                return;
            }
        }
    }

    /**
     * Sends one request to {@code server} ({@code id}) with {@code send}, counting it in flight and its outcome in its
     * load.
     */
    CallOutcome measured(ServerId id, MonitoredServer server, boolean mayConnect,
                         BiFunction<MonitoredServer, Boolean, CallOutcome> send, Clock clock) {
        InstanceLoad load = loads.get(id);
        int before = load.started();
        CallOutcome outcome = null;
        try {
            outcome = send.apply(server, mayConnect);
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
