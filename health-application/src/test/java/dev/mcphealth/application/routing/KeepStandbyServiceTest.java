package dev.mcphealth.application.routing;

import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.catalog.StandbyRegistry;
import dev.mcphealth.application.monitoring.CooledInstances;
import dev.mcphealth.application.monitoring.InstanceLoads;
import dev.mcphealth.application.monitoring.InstanceViews;
import dev.mcphealth.application.port.in.ReadUsageProfilesUseCase;
import dev.mcphealth.application.testkit.FakeBreakers;
import dev.mcphealth.application.testkit.FakeFleet;
import dev.mcphealth.application.testkit.FixedCatalog;
import dev.mcphealth.application.testkit.TestClock;
import dev.mcphealth.domain.learning.Prewarm;
import dev.mcphealth.domain.model.BreakerState;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.StandbyTransition;
import dev.mcphealth.domain.routing.InstanceView;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Taking a standby instance out of service fails no call: its session closes once the calls out to it are answered. */
class KeepStandbyServiceTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final ServerId B = ServerId.of("b");
    private final MonitoredServer a = aServer().named("a").ofType("search").build();
    private final MonitoredServer b = aServer().named("b").ofType("search").build();
    private final TestClock clock = new TestClock(T0);
    private final FakeFleet fleet = new FakeFleet(clock, List.of(a, b));
    private final StandbyRegistry standby = new StandbyRegistry(List.of(B), T0);
    private final List<ServerId> cooled = new ArrayList<>();
    private final List<MonitorEvent> events = new ArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();

    /** Test double of the status board: every instance healthy since T0; remembers what was cooled. */
    private final class Board implements InstanceViews, CooledInstances {
        @Override
        public InstanceView view(ServerId id, boolean fallback, BreakerState breaker) {
            return new InstanceView(id, fallback, Optional.of(HealthStatus.HEALTHY), Optional.of(T0), breaker);
        }

        @Override
        public boolean cooled(ServerId server, java.util.function.BooleanSupplier leave) {
            boolean left = leave.getAsBoolean();
            if (left) {
                cooled.add(server);
            }
            return left;
        }
    }

    private KeepStandbyService keeper() {
        InstanceLoads loads = (server, now) -> Optional.of(new InstanceLoads.Figures("p2c", 5, server.equals(B)
                ? inFlight.get() : 0, 10, 0.5, OptionalInt.empty()));
        return new KeepStandbyService(new FixedCatalog(a, b), standby, new Board(),
                new FakeBreakers(clock, 3, Duration.ofSeconds(30)), fleet, ReadUsageProfilesUseCase.NONE,
                events::add, clock, ZoneOffset.UTC, Prewarm.Timing.DEFAULT, loads, Duration.ofSeconds(30),
                id -> Optional.empty());
    }

    /** b warm since T0, its session open, and its stay over: the next call cools it. */
    private KeepStandbyService warmAndDue() {
        standby.move(B, StandbyTransition.WARM_UP, T0);
        standby.move(B, StandbyTransition.READY, T0);
        fleet.connected("b");
        clock.advance(Prewarm.STAY);
        return keeper();
    }

    @Test
    void aCooledInstanceKeepsItsSessionUntilItsCallsUnderWayAreAnswered() {
        KeepStandbyService keeper = warmAndDue();
        inFlight.set(2);
        assertEquals(List.of(StandbyTransition.COOL), keeper.keep().stream().map(e -> e.change()).toList());
        assertEquals(List.of(B), cooled, "out of service at once: no new call goes to it");
        assertTrue(fleet.isOpen(B), "not in the same call: one routed just before may not be counted yet");
        clock.advance(Duration.ofSeconds(1));
        keeper.keep();
        assertTrue(fleet.isOpen(B), "2 calls still out");
        inFlight.set(0);
        clock.advance(Duration.ofSeconds(1));
        keeper.keep();
        assertFalse(fleet.isOpen(B), "closed once they were answered");
    }

    @Test
    void aCallThatNeverEndsHoldsTheSessionOnlyUntilTheLongestACallWaits() {
        KeepStandbyService keeper = warmAndDue();
        inFlight.set(1);
        keeper.keep();
        clock.advance(Duration.ofSeconds(29));
        keeper.keep();
        assertTrue(fleet.isOpen(B));
        clock.advance(Duration.ofSeconds(1));
        keeper.keep();
        assertFalse(fleet.isOpen(B), "closed at the deadline");
    }

    @Test
    void aColdInstanceThatGotASessionAnywayHasItClosed() {
        KeepStandbyService keeper = keeper();
        fleet.connected("b"); // as a recovery asked for by hand would
        assertTrue(keeper.keep().isEmpty());
        clock.advance(Duration.ofSeconds(1));
        keeper.keep();
        assertFalse(fleet.isOpen(B), "closed at the next call, no call being out to it");
    }
}
