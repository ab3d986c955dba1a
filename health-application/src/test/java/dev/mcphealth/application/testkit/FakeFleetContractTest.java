package dev.mcphealth.application.testkit;

import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.out.FleetContract;
import dev.mcphealth.application.port.out.ProbePort;
import dev.mcphealth.application.port.out.SessionPort;
import dev.mcphealth.application.port.out.ToolCallPort;
import dev.mcphealth.domain.model.MonitoredServer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** {@link FakeFleet} held to the contract the real {@code McpProbe} keeps (McpProbeContractIT). */
class FakeFleetContractTest extends FleetContract {
    private final MonitoredServer up = aServer().named("up").build();
    private final MonitoredServer down = aServer().named("down").build();
    private final TestClock clock = new TestClock(Instant.parse("2026-12-05T10:00:00Z"));
    private final FakeFleet fleet = new FakeFleet(clock, List.of(up, down)).kill("down");

    @Override
    protected ProbePort probes() {
        return fleet;
    }

    @Override
    protected SessionPort sessions() {
        return fleet;
    }

    @Override
    protected ToolCallPort calls() {
        return fleet;
    }

    @Override
    protected MonitoredServer answering() {
        return up;
    }

    @Override
    protected MonitoredServer unreachable() {
        return down;
    }

    @Override
    protected String tool() {
        return "search";
    }

    @Override
    protected Map<String, Object> arguments() {
        return Map.of("query", "x");
    }

    @Override
    protected void kill(MonitoredServer server) {
        fleet.kill(server.id().value());
    }

    @Override
    protected void awaitUntil(BooleanSupplier done) {
        assertTrue(done.getAsBoolean(), "the fake tells at once");
    }

    /** The fleet's probe alone, held to what every probe keeps. */
    @org.junit.jupiter.api.Nested
    class ProbeAlone extends dev.mcphealth.application.port.out.ProbeContract {
        @Override
        protected ProbePort probe() {
            return fleet;
        }

        @Override
        protected java.time.Clock clock() {
            return clock;
        }

        @Override
        protected MonitoredServer answeringServer() {
            return up;
        }

        @Override
        protected MonitoredServer unreachableServer() {
            return down;
        }
    }
}
