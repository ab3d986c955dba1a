package dev.mcphealth.infrastructure.probe;

import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.out.FleetContract;
import dev.mcphealth.application.port.out.ProbePort;
import dev.mcphealth.application.port.out.SessionPort;
import dev.mcphealth.application.port.out.ToolCallPort;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.infrastructure.config.Endpoint;
import dev.mcphealth.testkit.EverythingServer;
import io.modelcontextprotocol.json.McpJsonDefaults;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;

/**
 * The real {@link McpProbe} held to the contract its fakes keep ({@code FakeFleetContractTest}): server-everything over
 * stdio as the answering server, a command that does not exist as the one that cannot start.
 */
class McpProbeContractIT extends FleetContract {
    private final Map<ServerId, Endpoint> endpoints = new HashMap<>();
    private final McpProbe probe = new McpProbe(id -> Optional.ofNullable(endpoints.get(id)), Clock.systemUTC(),
            System::nanoTime, McpJsonDefaults.getMapper(), "test");
    private final String marker = "contract-" + UUID.randomUUID();
    private final MonitoredServer everything = stdio("everything", "node", everythingArgs());
    private final MonitoredServer missing = stdio("missing", "mcp-health-no-such-command-" + marker, List.of());

    @AfterEach
    void closeSessions() {
        probe.close();
    }

    private List<String> everythingArgs() {
        List<String> args = new ArrayList<>(EverythingServer.stdioCommand().subList(1, 3));
        args.add(marker); // ignored by the server; lets the test find its process
        return args;
    }

    private MonitoredServer stdio(String name, String command, List<String> args) {
        MonitoredServer server = aServer().named(name).withTimeout(Duration.ofSeconds(10)).build();
        endpoints.put(server.id(), new Endpoint.Stdio(command, args, Map.of(), Optional.empty()));
        return server;
    }

    @Override
    protected ProbePort probes() {
        return probe;
    }

    @Override
    protected SessionPort sessions() {
        return probe;
    }

    @Override
    protected ToolCallPort calls() {
        return probe;
    }

    @Override
    protected MonitoredServer answering() {
        return everything;
    }

    @Override
    protected MonitoredServer unreachable() {
        return missing;
    }

    @Override
    protected String tool() {
        return "echo";
    }

    @Override
    protected Map<String, Object> arguments() {
        return Map.of("message", "contract");
    }

    @Override
    protected void kill(MonitoredServer server) {
        ProcessHandle.current().descendants()
                .filter(h -> h.info().commandLine().orElse("").contains(marker))
                .forEach(ProcessHandle::destroyForcibly);
    }

    @Override
    protected void awaitUntil(BooleanSupplier done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            // the transport's thread tells of the death; a real process exits in real time
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        assertTrue(done.getAsBoolean(), "within 15 s");
    }

    /** The probe alone, held to what every probe double keeps (ScriptedProbeContractTest, FakeFleetContractTest). */
    @org.junit.jupiter.api.Nested
    class ProbeAlone extends dev.mcphealth.application.port.out.ProbeContract {
        @Override
        protected ProbePort probe() {
            return probe;
        }

        @Override
        protected Clock clock() {
            return Clock.systemUTC();
        }

        @Override
        protected MonitoredServer answeringServer() {
            return everything;
        }

        @Override
        protected MonitoredServer unreachableServer() {
            return missing;
        }
    }
}
