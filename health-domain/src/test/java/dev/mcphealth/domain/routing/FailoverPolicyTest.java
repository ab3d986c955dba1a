package dev.mcphealth.domain.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.model.BreakerState;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.ServerId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The order in which a call tries a pool's instances, rule by rule, and the properties that hold for any pool. */
class FailoverPolicyTest {
    static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");
    static final Duration FAILBACK = Duration.ofSeconds(60);

    static InstanceView view(String id, HealthStatus status, Duration since, BreakerState breaker, boolean fallback) {
        return new InstanceView(ServerId.of(id), fallback, Optional.ofNullable(status),
                status == null ? Optional.empty() : Optional.of(NOW.minus(since)), breaker);
    }

    static InstanceView healthy(String id, Duration since) {
        return view(id, HealthStatus.HEALTHY, since, BreakerState.CLOSED, false);
    }

    static InstanceView healthy(String id) {
        return healthy(id, Duration.ofHours(1));
    }

    static InstanceView status(String id, HealthStatus s) {
        return view(id, s, Duration.ofHours(1), BreakerState.CLOSED, false);
    }

    static InstanceView unknown(String id) {
        return view(id, null, Duration.ZERO, BreakerState.CLOSED, false);
    }

    static InstanceView breaker(String id, HealthStatus s, BreakerState b) {
        return view(id, s, Duration.ofHours(1), b, false);
    }

    static InstanceView fallback(String id, HealthStatus s) {
        return view(id, s, Duration.ofHours(1), BreakerState.CLOSED, true);
    }

    private static List<String> order(List<InstanceView> pool, String current) {
        List<String> out = new ArrayList<>();
        FailoverPolicy.candidates(pool, Optional.ofNullable(current).map(ServerId::of), FAILBACK, NOW)
                .forEach(id -> out.add(id.value()));
        return out;
    }

    private static List<String> order(InstanceView... pool) {
        return order(List.of(pool), null);
    }

    @Example
    void healthyComesBeforeWarningAndUnknownThenConfigurationOrder() {
        assertEquals(List.of("a", "b", "c"), order(healthy("a"), healthy("b"), healthy("c")));
        assertEquals(List.of("b", "a"), order(status("a", HealthStatus.WARNING), healthy("b")));
        assertEquals(List.of("c", "a", "b"), order(unknown("a"), status("b", HealthStatus.WARNING), healthy("c")),
                "unknown ranks with warning, in configuration order");
        assertEquals(List.of("c", "a", "b"), order(status("a", HealthStatus.WARNING), unknown("b"), healthy("c")));
    }

    @Example
    void unusableInstancesAreLeftOutWhileAnyIsUsable() {
        assertEquals(List.of("b"), order(status("a", HealthStatus.CRITICAL), status("b", HealthStatus.WARNING),
                status("c", HealthStatus.OFFLINE)));
        assertEquals(List.of("b"), order(breaker("a", HealthStatus.HEALTHY, BreakerState.OPEN), healthy("b")));
        assertEquals(List.of("a", "b"), order(breaker("a", HealthStatus.HEALTHY, BreakerState.HALF_OPEN),
                healthy("b")), "a half-open breaker lets trial calls through");
    }

    @Example
    void theWholePoolIsNeverEjected() {
        assertEquals(List.of("b", "a"), order(status("a", HealthStatus.OFFLINE), status("b", HealthStatus.CRITICAL)),
                "no usable instance: the not-open ones are still tried, critical before offline");
        assertEquals(List.of("c"), order(breaker("a", HealthStatus.CRITICAL, BreakerState.OPEN),
                breaker("b", HealthStatus.HEALTHY, BreakerState.OPEN), status("c", HealthStatus.OFFLINE)));
        assertEquals(List.of("b"), order(breaker("a", HealthStatus.CRITICAL, BreakerState.OPEN),
                breaker("b", HealthStatus.CRITICAL, BreakerState.HALF_OPEN)));
    }

    @Example
    void onlyEveryBreakerOpenGivesNoCandidate() {
        assertEquals(List.of(), order(breaker("a", HealthStatus.HEALTHY, BreakerState.OPEN),
                breaker("b", HealthStatus.OFFLINE, BreakerState.OPEN)));
        assertEquals(List.of(), order(List.of(), "a"), "an empty pool");
    }

    @Example
    void theCurrentInstanceStaysFirstWhileUsable() {
        List<InstanceView> pool = List.of(status("a", HealthStatus.WARNING), healthy("b", Duration.ofSeconds(5)),
                status("c", HealthStatus.WARNING));
        assertEquals(List.of("c", "b", "a"), order(pool, "c"), "sticky even when a healthier one exists");
        assertEquals(List.of("b", "a", "c"), order(pool, "b"));
        assertEquals(List.of("b", "a", "c"), order(pool, "zzz"), "an unknown current changes nothing");
        List<InstanceView> down = List.of(healthy("a", Duration.ofSeconds(1)), status("b", HealthStatus.CRITICAL));
        assertEquals(List.of("a"), order(down, "b"), "a current that is down loses its place at once");
    }

    @Example
    void anEarlierInstanceTakesOverOnlyOnceHealthyForFailbackAfter() {
        List<InstanceView> fresh = List.of(healthy("a", Duration.ofSeconds(59)), healthy("b"));
        assertEquals(List.of("b", "a"), order(fresh, "b"), "one good minute is not yet enough");
        List<InstanceView> ready = List.of(healthy("a", Duration.ofSeconds(60)), healthy("b"));
        assertEquals(List.of("a", "b"), order(ready, "b"), "healthy for failbackAfter: fail back");
        List<InstanceView> warning = List.of(status("a", HealthStatus.WARNING), healthy("b"));
        assertEquals(List.of("b", "a"), order(warning, "b"), "a warning primary does not take over");
        List<InstanceView> later = List.of(healthy("a", Duration.ofSeconds(5)), healthy("b"),
                healthy("c", Duration.ofHours(2)));
        assertEquals(List.of("b", "a", "c"), order(later, "b"), "a later instance never takes over");
        List<InstanceView> middle = List.of(healthy("a", Duration.ofSeconds(5)), healthy("b"),
                status("c", HealthStatus.WARNING));
        assertEquals(List.of("b", "a", "c"), order(middle, "c"), "the first earlier one healthy long enough");
    }

    @Example
    void fallbackInstancesComeAfterThePrimaries() {
        assertEquals(List.of("p", "f"), order(healthy("p"), fallback("f", HealthStatus.HEALTHY)));
        assertEquals(List.of("p", "f"), order(fallback("f", HealthStatus.HEALTHY), healthy("p")),
                "whatever the order of the list");
        assertEquals(List.of("p", "f"), order(status("p", HealthStatus.WARNING), fallback("f", HealthStatus.HEALTHY)),
                "a usable primary, even in warning, comes before the fallback type");
        assertEquals(List.of("f"), order(status("p", HealthStatus.CRITICAL), fallback("f", HealthStatus.WARNING)));
        assertEquals(List.of("p", "f"), order(status("p", HealthStatus.CRITICAL), fallback("f", HealthStatus.CRITICAL)),
                "nothing usable: the primaries are still tried first");
    }

    @Example
    void aFallbackServingNowStaysUntilThePrimaryIsHealthyForFailbackAfter() {
        List<InstanceView> fresh = List.of(healthy("p", Duration.ofSeconds(10)), fallback("f", HealthStatus.HEALTHY));
        assertEquals(List.of("f", "p"), order(fresh, "f"));
        List<InstanceView> ready = List.of(healthy("p", Duration.ofMinutes(2)), fallback("f", HealthStatus.HEALTHY));
        assertEquals(List.of("p", "f"), order(ready, "f"));
    }

    @Example
    void anInstanceViewIsUsableUnlessDownOrOpen() {
        assertTrue(healthy("a").usable());
        assertTrue(unknown("a").usable());
        assertTrue(status("a", HealthStatus.WARNING).usable());
        assertFalse(status("a", HealthStatus.CRITICAL).usable());
        assertFalse(status("a", HealthStatus.OFFLINE).usable());
        assertFalse(breaker("a", HealthStatus.HEALTHY, BreakerState.OPEN).usable());
        assertTrue(breaker("a", HealthStatus.HEALTHY, BreakerState.HALF_OPEN).usable());
        assertTrue(healthy("a", Duration.ofSeconds(60)).healthyFor(FAILBACK, NOW));
        assertFalse(healthy("a", Duration.ofSeconds(59)).healthyFor(FAILBACK, NOW));
        assertFalse(status("a", HealthStatus.WARNING).healthyFor(FAILBACK, NOW));
        assertFalse(new InstanceView(ServerId.of("a"), false, Optional.of(HealthStatus.HEALTHY), Optional.empty(),
                BreakerState.CLOSED).healthyFor(Duration.ZERO, NOW), "healthy since an unknown time");
        assertThrows(NullPointerException.class, () -> new InstanceView(ServerId.of("a"), false, null,
                Optional.empty(), BreakerState.CLOSED));
        assertThrows(NullPointerException.class, () -> new InstanceView(ServerId.of("a"), false, Optional.empty(),
                Optional.empty(), null));
    }

    @Example
    void theOrderIsComputedWithoutAllocating() {
        InstanceView[] pool = {status("a", HealthStatus.WARNING), healthy("b", Duration.ofSeconds(5)),
            fallback("f", HealthStatus.HEALTHY), healthy("c", Duration.ofHours(2)),
            breaker("d", HealthStatus.HEALTHY, BreakerState.OPEN)};
        int[] out = new int[pool.length];
        ServerId current = ServerId.of("c");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)
                java.lang.management.ManagementFactory.getThreadMXBean();
        long me = Thread.currentThread().getId();
        FailoverPolicy.order(pool, pool.length, current, FAILBACK, NOW, out);
        threads.getThreadAllocatedBytes(me);
        int calls = 10_000;
        long written = 0;

        long before = threads.getThreadAllocatedBytes(me);
        for (int i = 0; i < calls; i++) {
            written += FailoverPolicy.order(pool, pool.length, current, FAILBACK, NOW, out);
        }
        long allocated = threads.getThreadAllocatedBytes(me) - before;

        assertEquals(4L * calls, written);
        assertEquals(List.of("c", "b", "a", "f"), java.util.Arrays.stream(out, 0, 4).mapToObj(i -> pool[i].id().value())
                .toList(), "sticky c, then by health, the fallback last, the open breaker left out");
        assertTrue(allocated < calls, "under a byte per call (what measuring costs), got " + allocated + " bytes for "
                + calls + " calls: the order runs on every call and allocates nothing");
    }

    // ---- properties over any pool ----

    @Provide
    Arbitrary<List<InstanceView>> pools() {
        Arbitrary<Optional<HealthStatus>> statuses = Arbitraries.of(HealthStatus.class).optional(0.85);
        Arbitrary<Integer> ages = Arbitraries.integers().between(0, 200);
        Arbitrary<BreakerState> breakers = Arbitraries.of(BreakerState.CLOSED, BreakerState.CLOSED,
                BreakerState.HALF_OPEN, BreakerState.OPEN);
        Arbitrary<Boolean> fallbacks = Arbitraries.of(false, false, true);
        return Combinators.combine(statuses, ages, breakers, fallbacks).as((s, age, b, f) -> new Object[] {s, age, b, f})
                .list().ofMaxSize(6).map(rows -> {
                    List<InstanceView> pool = new ArrayList<>();
                    for (int i = 0; i < rows.size(); i++) {
                        Object[] r = rows.get(i);
                        @SuppressWarnings("unchecked")
                        Optional<HealthStatus> s = (Optional<HealthStatus>) r[0];
                        pool.add(new InstanceView(ServerId.of("i" + i), (Boolean) r[3], s,
                                s.map(x -> NOW.minusSeconds((Integer) r[1])), (BreakerState) r[2]));
                    }
                    return pool;
                });
    }

    @Property(tries = 2000)
    void theCandidatesFollowTheRules(@ForAll("pools") List<InstanceView> pool,
                                     @ForAll @IntRange(min = -1, max = 5) int currentIndex) {
        Optional<ServerId> current = currentIndex < 0 || currentIndex >= pool.size() ? Optional.empty()
                : Optional.of(pool.get(currentIndex).id());
        List<ServerId> got = FailoverPolicy.candidates(pool, current, FAILBACK, NOW);
        assertEquals(got.size(), new HashSet<>(got).size(), "no instance twice: " + got);
        boolean anyUsable = pool.stream().anyMatch(InstanceView::usable);
        boolean allOpen = pool.stream().allMatch(i -> i.breaker() == BreakerState.OPEN);
        assertEquals(allOpen, got.isEmpty(), "empty exactly when every breaker is open");
        Set<ServerId> expected = new HashSet<>();
        pool.stream().filter(i -> anyUsable ? i.usable() : i.breaker() != BreakerState.OPEN)
                .forEach(i -> expected.add(i.id()));
        assertEquals(expected, new HashSet<>(got), "the usable ones, or else every one whose breaker is not open");
        // primaries before fallbacks, but for the first place when a usable instance serves now: that one is either
        // the current instance (sticky) or the one it fails back to, checked below
        boolean seenFallback = false;
        boolean currentUsable = current.flatMap(id -> pool.stream().filter(i -> i.id().equals(id)).findFirst())
                .filter(InstanceView::usable).isPresent();
        List<ServerId> rest = currentUsable ? got.subList(1, got.size()) : got;
        for (ServerId id : rest) {
            boolean fb = pool.stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow().fallback();
            assertFalse(seenFallback && !fb, "a primary after a fallback: " + got);
            seenFallback |= fb;
        }
        // a usable current instance is first unless an earlier primary has been healthy for failbackAfter
        current.flatMap(id -> pool.stream().filter(i -> i.id().equals(id)).findFirst()).filter(InstanceView::usable)
                .ifPresent(c -> {
                    boolean failBack = pool.stream().filter(InstanceView::usable)
                            .anyMatch(i -> earlier(i, c, pool) && i.healthyFor(FAILBACK, NOW));
                    if (!failBack) {
                        assertEquals(c.id(), got.get(0), "sticky: " + got);
                    } else {
                        InstanceView first = pool.stream().filter(i -> i.id().equals(got.get(0))).findFirst()
                                .orElseThrow();
                        assertTrue(first.healthyFor(FAILBACK, NOW) && earlier(first, c, pool), "fail-back " + got);
                    }
                });
    }

    /** Before {@code b} in the primaries-then-fallbacks configuration order. */
    private static boolean earlier(InstanceView a, InstanceView b, List<InstanceView> pool) {
        if (a.fallback() != b.fallback()) {
            return !a.fallback();
        }
        return pool.indexOf(a) < pool.indexOf(b);
    }
}
