package dev.mcphealth.application.testkit;

import static dev.mcphealth.application.testkit.TestServers.aServer;

import dev.mcphealth.application.port.out.ProbeContract;
import dev.mcphealth.application.port.out.ProbePort;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.MonitoredServer;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/** {@link ScriptedProbe} held to the contract the real {@code McpProbe} keeps (McpProbeContractIT.ProbeAlone). */
class ScriptedProbeContractTest extends ProbeContract {
    private final TestClock clock = new TestClock(Instant.parse("2026-12-05T10:00:00Z"));
    private final ScriptedProbe probe = new ScriptedProbe(clock)
            .lists("up", Map.of("search", "h1"))
            .fails("down", FailureType.CONNECTION_ERROR, "connection refused");

    @Override
    protected ProbePort probe() {
        return probe;
    }

    @Override
    protected Clock clock() {
        return clock;
    }

    @Override
    protected MonitoredServer answeringServer() {
        return aServer().named("up").build();
    }

    @Override
    protected MonitoredServer unreachableServer() {
        return aServer().named("down").build();
    }
}
