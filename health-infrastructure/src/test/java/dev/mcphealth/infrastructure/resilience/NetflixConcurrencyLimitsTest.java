package dev.mcphealth.infrastructure.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.out.ConcurrencyLimitPort;
import dev.mcphealth.domain.model.ServerId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The Gradient2 limit per instance, on a test clock: admitted up to the limit, shed beyond, down when latency rises. */
class NetflixConcurrencyLimitsTest {
    private static final ServerId A = ServerId.of("a");
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Test
    void requestsBeyondTheLimitAreShedAndAReleasedOneMakesRoom() {
        NetflixConcurrencyLimits limits = new NetflixConcurrencyLimits(List.of(A),
                new NetflixConcurrencyLimits.Settings(NetflixConcurrencyLimits.Algorithm.GRADIENT2, 3, 1, 10), nanos::get);
        List<ConcurrencyLimitPort.Admission> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(limits.tryAcquire(A).orElseThrow());
        }
        assertEquals(Optional.empty(), limits.tryAcquire(A), "the fourth at a limit of 3");
        held.remove(0).ignored().run();
        assertTrue(limits.tryAcquire(A).isPresent(), "room again");
        assertEquals(OptionalInt.of(3), limits.limit(A));
        assertTrue(limits.tryAcquire(ServerId.of("unknown")).isPresent(), "an instance not configured: no limit");
    }

    @Test
    void theLimitComesDownWhenLatencyRisesWithLoadAndNeverBelowItsFloor() {
        NetflixConcurrencyLimits limits = new NetflixConcurrencyLimits(List.of(A),
                new NetflixConcurrencyLimits.Settings(NetflixConcurrencyLimits.Algorithm.GRADIENT2, 20, 2, 50), nanos::get);
        for (int i = 0; i < 300; i++) { // fast answers: 1 ms each
            ConcurrencyLimitPort.Admission a = limits.tryAcquire(A).orElseThrow();
            nanos.addAndGet(1_000_000L);
            a.answered().run();
        }
        int before = limits.limit(A).getAsInt();
        int lowest = before;
        for (int i = 0; i < 50; i++) { // then 20x slower, with the limit nearly used (Gradient2 learns nothing
            // from an instance running under half its limit: that latency is not the load's)
            List<ConcurrencyLimitPort.Admission> batch = new ArrayList<>();
            for (int k = 0; k < 15; k++) {
                limits.tryAcquire(A).ifPresent(batch::add);
            }
            nanos.addAndGet(20_000_000L);
            batch.forEach(a -> a.answered().run());
            lowest = Math.min(lowest, limits.limit(A).getAsInt());
        }
        assertTrue(lowest < before, "down from " + before + " to " + lowest + " while latency rose");
        assertTrue(lowest >= 2, "not below the floor: " + lowest);
    }

    @Test
    void badSettingsAreRefusedWithTheirValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NetflixConcurrencyLimits.Settings(NetflixConcurrencyLimits.Algorithm.GRADIENT2, 5, 10, 20));
        assertTrue(e.getMessage().contains("min 10, initial 5"), e.getMessage());
    }
}
