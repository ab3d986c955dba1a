package dev.mcphealth.infrastructure.orchestrator;

import static dev.mcphealth.application.testkit.TestServers.aServer;

import dev.mcphealth.application.port.out.OrchestratorContract;
import dev.mcphealth.application.port.out.OrchestratorPort;
import dev.mcphealth.application.testkit.TestClock;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.infrastructure.config.Endpoint;
import dev.mcphealth.infrastructure.probe.McpProbe;
import dev.mcphealth.testkit.OrchestratorDoubleProcess;
import io.modelcontextprotocol.json.McpJsonDefaults;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real adapter over a real {@link McpProbe}'s kept stdio session to the orchestrator's test double as a process,
 * held to the contract its scripted fake keeps (ScriptedOrchestratorContractTest): unreachable is a command that does
 * not exist.
 */
class McpOrchestratorProcessContractIT extends OrchestratorContract {
    private static final ServerId ORCH = ServerId.of("orchestrator");
    /** The double is a JVM: its first answer includes its start-up. */
    private static final Duration CONNECT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final Map<ServerId, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final McpProbe probe = new McpProbe(id -> Optional.ofNullable(endpoints.get(id)), Clock.systemUTC(),
            System::nanoTime, McpJsonDefaults.getMapper(), "test");
    private final MonitoredServer server = aServer().named(ORCH.value()).withConnectTimeout(CONNECT).build();
    private final McpOrchestrator orchestrator = new McpOrchestrator(ORCH, () -> List.of(server), probe, id -> true,
            new TestClock(Instant.parse("2026-12-05T10:00:00Z")),
            new McpOrchestrator.Settings(Duration.ofSeconds(30), 3, Duration.ofSeconds(30), 1));

    @AfterEach
    void closeSessions() {
        probe.close();
    }

    @Override
    protected OrchestratorPort port() {
        return orchestrator;
    }

    @Override
    protected ServerId configured() {
        return ORCH;
    }

    @Override
    protected void answering() {
        List<String> cmd = OrchestratorDoubleProcess.withState(dir.resolve("orchestrator-state.json")).command();
        endpoints.put(ORCH, new Endpoint.Stdio(cmd.get(0), cmd.subList(1, cmd.size()), Map.of(), Optional.empty()));
    }

    @Override
    protected void unreachable() {
        // no session was opened before it in any clause: the next call must start the command, which does not exist
        endpoints.put(ORCH, new Endpoint.Stdio("mcp-health-no-such-orchestrator", List.of(), Map.of(),
                Optional.empty()));
    }
}
