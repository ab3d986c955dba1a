package dev.mcphealth.infrastructure.di;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.in.CallToolUseCase;
import dev.mcphealth.application.port.in.ListToolsUseCase;
import dev.mcphealth.application.port.in.UnknownServerTypeException;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.infrastructure.config.ConfigException;
import dev.mcphealth.testkit.EverythingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedding facade with two real server-everything instances over stdio: calls, tools, a kill, and close. */
class McpHealthIT {
    @TempDir
    Path dir;

    private Path config() throws Exception {
        String entry = EverythingServer.entryPoint().toString();
        Path file = dir.resolve("mcp.json");
        Files.writeString(file, "{\"mcpServers\": {"
                + "\"echo-a\": {\"command\": \"node\", \"args\": [\"--max-old-space-size=121\", \"" + entry
                + "\", \"stdio\"]},"
                + "\"echo-b\": {\"command\": \"node\", \"args\": [\"" + entry + "\", \"stdio\"]}},"
                + "\"health\": {\"defaults\": {\"timeoutMs\": 2000, \"retryDelaySeconds\": 1,"
                + " \"idempotentTools\": [\"echo\"]}, \"servers\": {\"echo-a\": {\"serverType\": \"echo\"},"
                + " \"echo-b\": {\"serverType\": \"echo\"}}}}");
        return file;
    }

    private static List<ProcessHandle> children(String marker) {
        List<ProcessHandle> out = new ArrayList<>();
        ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains(marker)).forEach(out::add);
        return out;
    }

    @Test
    void callsAndListsThroughThePoolAndSurvivesAKilledInstance() throws Exception {
        BlockingQueue<MonitorEvent> events = new LinkedBlockingQueue<>();
        try (McpHealth health = McpHealth.builder(config()).database(dir.resolve("health.db"))
                .interval(Duration.ofSeconds(1)).onEvent(events::add).start()) {
            CallToolUseCase.Result first = health.callTool("echo", "echo", Map.of("message", "hi"));
            CallToolUseCase.Served served = assertInstanceOf(CallToolUseCase.Served.class, first);
            assertTrue(List.of("echo-a", "echo-b").contains(served.servedBy().value()),
                    "an instance of the pool (balanced by two choices, the first call may go to either): " + served);
            assertEquals(List.of("Echo: hi"), served.reply().texts());
            assertFalse(served.reply().error());

            ListToolsUseCase.Listing tools = health.listTools("echo");
            assertFalse(tools.stale());
            assertTrue(tools.tools().stream().anyMatch(t -> t.name().equals("echo")), tools.toString());

            List<ProcessHandle> a = children("--max-old-space-size=121");
            assertEquals(1, a.size());
            a.get(0).destroyForcibly();
            MonitorEvent started = events.poll(10, TimeUnit.SECONDS);
            while (started != null && !(started instanceof MonitorEvent.RecoveryStarted)) {
                started = events.poll(10, TimeUnit.SECONDS);
            }
            assertInstanceOf(MonitorEvent.RecoveryStarted.class, started, "the listener hears the restart");
            for (int i = 0; i < 50; i++) {
                assertInstanceOf(CallToolUseCase.Served.class, health.callTool("echo", "echo",
                        Map.of("message", "again " + i)), "call " + i + " while echo-a restarts");
            }
            assertThrows(UnknownServerTypeException.class, () -> health.callTool("nope", "echo", Map.of()));
        }
        assertTrue(children("server-everything").isEmpty(), "close stopped the servers it started");
    }

    @Test
    void aConfigurationWithoutServersIsRefusedAndLeavesNothingOpen() throws Exception {
        Path file = dir.resolve("empty.json");
        Files.writeString(file, "{\"mcpServers\": {}}");
        ConfigException e = assertThrows(ConfigException.class,
                () -> McpHealth.builder(file).database(dir.resolve("h.db")).open());
        assertTrue(e.getMessage().contains("no enabled server"), e.getMessage());
    }
}
