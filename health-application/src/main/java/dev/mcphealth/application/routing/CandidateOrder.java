package dev.mcphealth.application.routing;

import dev.mcphealth.application.catalog.StandbyInstances;
import dev.mcphealth.application.monitoring.InstanceViews;
import dev.mcphealth.application.port.out.BreakerPort;
import dev.mcphealth.domain.model.FailoverConfig;
import dev.mcphealth.domain.model.FallbackStrategy;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.routing.Balancing;
import dev.mcphealth.domain.routing.FailoverPolicy;
import dev.mcphealth.domain.routing.InstanceView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The instances a request to a pool may go to, in the order it tries them, for {@link PoolRouter}: what the monitor
 * and the breakers say of each (the primaries in configuration order, then with the alternative_server strategy the
 * fallback type's), ordered by {@link FailoverPolicy}, the first of them chosen by the pool's {@link Balancing}. All
 * of it in arrays each thread owns ({@link Candidates}): a call allocates neither its candidates nor their views.
 */
final class CandidateOrder {
    private final Map<ServerType, List<MonitoredServer>> pools;
    private final InstanceViews monitor;
    private final BreakerPort breakers;
    private final Balancer balancer;
    private final Duration failbackAfter;
    private final StandbyInstances standby;
    /** The most instances one type's calls may go to: its pool and the pool it falls back to. */
    private final int widest;
    private final ThreadLocal<Candidates> own;

    /** One request's candidates: their views and the order to try them in; one request at a time on one thread. */
    static final class Candidates implements AutoCloseable {
        final InstanceView[] views;
        /** How many of {@link #views} are the request's. */
        int size;
        /** How many instances the request may try, in turn: {@link #at}(0 .. count-1). */
        int count;
        /** The views as ranked after a move by hand. */
        private final InstanceView[] ranked;
        private final int[] order;
        /** The one instance the request goes to (a hedge, or a pool in manual mode), or null. */
        private ServerId only;
        private boolean busy;

        private Candidates(int widest) {
            views = new InstanceView[widest];
            ranked = new InstanceView[widest];
            order = new int[widest];
        }

        /** The {@code k}-th instance to try. */
        ServerId at(int k) {
            return only != null ? only : views[order[k]].id();
        }

        @Override
        public void close() {
            busy = false;
        }
    }

    CandidateOrder(Map<ServerType, List<MonitoredServer>> pools, InstanceViews monitor, BreakerPort breakers,
                   Balancer balancer, Duration failbackAfter, StandbyInstances standby) {
        this.pools = pools;
        this.standby = standby;
        this.monitor = monitor;
        this.breakers = breakers;
        this.balancer = balancer;
        this.failbackAfter = failbackAfter;
        int most = 1;
        for (List<MonitoredServer> pool : pools.values()) {
            most = Math.max(most, pool.size() + fallbackPool(pool.get(0).failover()).size());
        }
        this.widest = most;
        this.own = ThreadLocal.withInitial(() -> new Candidates(widest));
    }

    /**
     * The candidates of a request to the pool {@code primary} (configured by {@code config}), with the view of each
     * now, not yet ordered; close them when the request is done.
     */
    Candidates open(List<MonitoredServer> primary, FailoverConfig config) {
        return open(primary, fallbackPool(config));
    }

    private Candidates open(List<MonitoredServer> primary, List<MonitoredServer> fallbacks) {
        Candidates c = taken();
        int n = 0;
        for (int i = 0; i < primary.size(); i++) {
            ServerId id = primary.get(i).id();
            if (standby.serves(id)) { // a standby instance takes calls only while warm
                c.views[n++] = monitor.view(id, false, breakers.state(id));
            }
        }
        for (int i = 0; i < fallbacks.size(); i++) {
            ServerId id = fallbacks.get(i).id();
            if (standby.serves(id)) {
                c.views[n++] = monitor.view(id, true, breakers.state(id));
            }
        }
        c.size = n;
        c.count = 0;
        c.only = null;
        return c;
    }

    /** The request goes to {@code id} alone. */
    void only(Candidates c, ServerId id) {
        c.only = id;
        c.count = 1;
    }

    /**
     * Orders the candidates: by {@link FailoverPolicy} ({@code sticky}: the instance now serving, kept first while
     * usable if the calls {@code stay}), then, if they do not stay, the one the pool's {@code balancing} picks first.
     * After a move by hand at {@code byHand} (null: none), an instance must have been healthy for failbackAfter since
     * the move to take the calls back: else the next call would undo the move whenever the old one looks healthy.
     */
    void order(Candidates c, ServerId sticky, Instant byHand, boolean stays, Balancing balancing, Instant now,
               long at) {
        InstanceView[] ranked = c.views;
        if (byHand != null) {
            ranked = c.ranked;
            for (int i = 0; i < c.size; i++) {
                InstanceView v = c.views[i];
                ranked[i] = v.statusSince().filter(since -> since.isBefore(byHand)).isEmpty() ? v
                        : new InstanceView(v.id(), v.fallback(), v.status(), Optional.of(byHand), v.breaker());
            }
        }
        c.count = FailoverPolicy.order(ranked, c.size, stays ? sticky : null, failbackAfter, now, c.order);
        if (!stays && balancing == Balancing.P2C) {
            balancer.firstByLoad(c.views, c.size, c.order, c.count, at);
        } else if (!stays && balancing == Balancing.ROUND_ROBIN) {
            balancer.firstInTurn(c.views, c.size, c.order, c.count);
        }
    }

    /** Where a hedge goes: the least loaded usable primary of {@code type} other than {@code busy}, or null. */
    ServerId hedgeTarget(ServerType type, ServerId busy, long at) {
        try (Candidates c = open(pools.get(type), List.of())) {
            return balancer.cheapest(c.views, c.size, busy, at);
        }
    }

    /** This thread's candidates, or new ones for a request routed from within one under way on this thread. */
    private Candidates taken() {
        Candidates c = own.get();
        if (c.busy) {
            c = new Candidates(widest);
        }
        c.busy = true;
        return c;
    }

    /** The instances of the type {@code config} falls back to, if it falls back to another type. */
    private List<MonitoredServer> fallbackPool(FailoverConfig config) {
        if (config.fallbackStrategy() != FallbackStrategy.ALTERNATIVE_SERVER
                || config.fallbackServerType().isEmpty()) {
            return List.of();
        }
        return pools.getOrDefault(config.fallbackServerType().get(), List.of());
    }
}
