package dev.mcphealth.infrastructure.di;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.in.CallToolUseCase;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.StandbyChanged;
import dev.mcphealth.domain.model.StandbyTransition;
import dev.mcphealth.domain.model.StatusSnapshot;
import dev.mcphealth.testkit.EverythingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pool of two real server-everything instances, the second on standby, through the library: the standby's process
 * is not started while its pool's active instance serves; when that one dies and cannot start again the standby is
 * started, probed and serves the calls; once the active one is back and the standby has served its stay, the standby
 * is cooled and its process stopped. Real processes on real time: every wait is bounded and ends at the event it
 * waits for.
 */
class StandbyIT {
    static final Duration WAIT = OutagesIT.WAIT;

    @TempDir
    Path dir;

    private static List<ProcessHandle> everything() {
        return OutagesIT.everything();
    }

    private static <T extends MonitorEvent> T await(BlockingQueue<MonitorEvent> events, Class<T> kind,
                                                    Predicate<T> which) throws InterruptedException {
        return OutagesIT.await(events, kind, which);
    }

    private static Predicate<StandbyChanged> change(StandbyTransition t) {
        return e -> e.server().equals(ServerId.of("b")) && e.change() == t;
    }

    private static String servedBy(CallToolUseCase.Result r) {
        return r instanceof CallToolUseCase.Served s ? s.servedBy().value() : r.toString();
    }

    private static StatusSnapshot status(McpHealth health, String name) {
        return health.monitor().snapshot().stream().filter(s -> s.server().equals(ServerId.of(name))).findFirst()
                .orElseThrow();
    }

    @Test
    void theStandbyStartsOnlyWhenThePoolsActiveInstanceCannotServeAndStopsOnceItIsBack() throws Exception {
        Path down = dir.resolve("down");
        Path script = dir.resolve("a.sh");
        // the active instance: server-everything, unless the file "down" exists (then it cannot start)
        Files.writeString(script, "#!/bin/sh\n[ -f '" + down + "' ] && exit 1\nexec node '"
                + EverythingServer.entryPoint() + "' stdio\n");
        Path config = dir.resolve("mcp.json");
        Files.writeString(config, "{\"mcpServers\": {"
                + "\"a\": {\"command\": \"sh\", \"args\": [\"" + script + "\"]},"
                + "\"b\": {\"command\": \"node\", \"args\": [\"" + EverythingServer.entryPoint() + "\", \"stdio\"]}},"
                + "\"health\": {\"servers\": {"
                + "\"a\": {\"serverType\": \"everything\", \"retryDelaySeconds\": 1, \"maxRetryAttempts\": 10},"
                + "\"b\": {\"serverType\": \"everything\", \"standby\": true}},"
                + "\"prewarm\": {\"staySeconds\": 5}}}");
        BlockingQueue<MonitorEvent> events = new LinkedBlockingQueue<>();
        try (McpHealth health = McpHealth.builder(config).database(dir.resolve("health.db"))
                .interval(Duration.ofSeconds(1)).onEvent(events::add).start()) {
            await(events, MonitorEvent.StatusChanged.class, c -> c.server().equals(ServerId.of("a"))
                    && c.to() == HealthStatus.HEALTHY);
            for (int i = 0; i < 3; i++) {
                health.probeAll(); // rounds probe every server now: a cold standby is skipped
                assertEquals("a", servedBy(health.callTool("everything", "echo", Map.of("message", "hi"))));
            }
            List<ProcessHandle> running = everything();
            assertEquals(1, running.size(), "only the active instance runs: " + running);
            ProcessHandle a = running.get(0);
            assertEquals("cold", status(health, "b").details().get("standby"));
            assertTrue(status(health, "b").status().isEmpty(), "a cold standby is never probed");

            Files.writeString(down, "");
            java.time.Instant killed = java.time.Instant.now();
            a.destroyForcibly();
            StandbyChanged warm = await(events, StandbyChanged.class, change(StandbyTransition.WARM_UP));
            assertEquals("no active instance of the pool is usable", warm.reason());
            StandbyChanged ready = await(events, StandbyChanged.class, change(StandbyTransition.READY));
            assertTrue(Duration.between(warm.at(), ready.at()).compareTo(Duration.ofSeconds(15)) < 0,
                    "started and probed within 15 s: " + warm.at() + " .. " + ready.at());
            assertEquals("b", servedBy(health.callTool("everything", "echo", Map.of("message", "hi"))));
            System.out.printf("StandbyIT: active killed; standby warmed after %d ms, serving after %d ms%n",
                    Duration.between(killed, warm.at()).toMillis(), Duration.between(killed, ready.at()).toMillis());
            List<ProcessHandle> now = everything();
            assertEquals(1, now.size(), "the standby's process, the active one cannot start: " + now);
            ProcessHandle b = now.get(0);
            assertNotEquals(a.pid(), b.pid());
            assertEquals("warm", status(health, "b").details().get("standby"));

            Files.delete(down);
            await(events, MonitorEvent.StatusChanged.class, c -> c.server().equals(ServerId.of("a"))
                    && c.to() == HealthStatus.HEALTHY);
            StandbyChanged cooled = await(events, StandbyChanged.class, change(StandbyTransition.COOL));
            assertTrue(!cooled.at().isBefore(ready.at().plusSeconds(5)), "served its stay first");
            b.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals("cold", status(health, "b").details().get("standby"));
            for (int i = 0; i < 3; i++) {
                health.probeAll();
                assertEquals("a", servedBy(health.callTool("everything", "echo", Map.of("message", "hi"))));
            }
            assertEquals(1, everything().size(), "the standby stays stopped: " + everything());
        }
    }
}
