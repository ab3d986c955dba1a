package dev.mcphealth.application.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.model.BreakerState;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.routing.InstanceView;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The balancer's choice among a pool's instances, made in place in the order a call tries them. */
class BalancerTest {
    private static final long NOW = Balancer.nanos(Instant.parse("2026-12-05T12:00:00Z"));

    private static InstanceView view(String id, HealthStatus status, BreakerState breaker, boolean fallback) {
        return new InstanceView(ServerId.of(id), fallback, Optional.of(status), Optional.empty(), breaker);
    }

    /** a, b (slow), c (critical), f (a fallback), e (breaker open): only a and b may be picked. */
    private static final InstanceView[] POOL = {view("a", HealthStatus.HEALTHY, BreakerState.CLOSED, false),
        view("b", HealthStatus.HEALTHY, BreakerState.CLOSED, false),
        view("c", HealthStatus.CRITICAL, BreakerState.CLOSED, false),
        view("f", HealthStatus.HEALTHY, BreakerState.CLOSED, true),
        view("e", HealthStatus.HEALTHY, BreakerState.OPEN, false)};

    private static Balancer balancer() {
        Balancer balancer = new Balancer(Arrays.stream(POOL).map(InstanceView::id).toList());
        balancer.load(ServerId.of("a")).orElseThrow().answered(NOW, 1_000_000, 0);
        balancer.load(ServerId.of("b")).orElseThrow().answered(NOW, 50_000_000, 0);
        return balancer;
    }

    @Test
    void theCheaperUsablePrimaryIsPutFirstAndTheRestKeepTheirOrder() {
        Balancer balancer = balancer();
        int[] order = {1, 0, 3}; // as the failover policy ordered them: b, a, then the fallback
        balancer.firstByLoad(POOL, POOL.length, order, 3, NOW);
        assertEquals(List.of(0, 1, 3), Arrays.stream(order).boxed().toList(), "a (1 ms) before b (50 ms)");

        int[] turns = {0, 1, 3};
        balancer.firstInTurn(POOL, POOL.length, turns, 3);
        assertEquals(0, turns[0]);
        balancer.firstInTurn(POOL, POOL.length, turns, 3);
        assertEquals(List.of(1, 0, 3), Arrays.stream(turns).boxed().toList(), "round robin: b's turn");
        assertEquals(ServerId.of("b"), balancer.cheapest(POOL, POOL.length, ServerId.of("a"), NOW),
                "a hedge goes to the cheapest usable primary other than the busy one");
        assertEquals(null, balancer.cheapest(POOL, 1, ServerId.of("a"), NOW), "none other: no hedge");
    }

    @Test
    void choosingAllocatesNothing() {
        Balancer balancer = balancer();
        int[] order = {1, 0, 3};
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)
                java.lang.management.ManagementFactory.getThreadMXBean();
        long me = Thread.currentThread().getId();
        balancer.firstByLoad(POOL, POOL.length, order, 3, NOW);
        balancer.firstInTurn(POOL, POOL.length, order, 3);
        threads.getThreadAllocatedBytes(me);
        int calls = 10_000;

        long before = threads.getThreadAllocatedBytes(me);
        for (int i = 0; i < calls; i++) {
            balancer.firstByLoad(POOL, POOL.length, order, 3, NOW);
            balancer.firstInTurn(POOL, POOL.length, order, 3);
        }
        long allocated = threads.getThreadAllocatedBytes(me) - before;

        assertTrue(allocated < calls, "under a byte per call (what measuring costs), got " + allocated + " bytes for "
                + calls + " calls");
        assertEquals(3, order[2], "the fallback stays last");
    }
}
