package dev.mcphealth.adapter.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.json.McpJsonDefaults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A config that lists mcp-health-server itself (as a Claude Desktop config would, once the server is added to it):
 * the copy MCP Health starts refuses to run instead of starting the config's servers again, recursively.
 */
class SelfEntryIT {
    @TempDir
    Path dir;

    @Test
    void theServerItselfInItsConfigFailsFastInsteadOfRecursing() throws Exception {
        Path config = dir.resolve("mcp.json");
        List<String> self = ServerProcess.command(List.of("--config", config.toString(), "--db",
                dir.resolve("child.db").toString()));
        Files.writeString(config, "{\"mcpServers\": {\"health\": {\"command\": "
                + McpJsonDefaults.getMapper().writeValueAsString(self.get(0)) + ", \"args\": "
                + McpJsonDefaults.getMapper().writeValueAsString(self.subList(1, self.size())) + "}},"
                + "\"health\": {\"defaults\": {\"timeoutMs\": 20000, \"connectTimeoutMs\": 20000}}}");
        Process p = new ProcessBuilder(ServerProcess.command(List.of("--config", config.toString(), "--db",
                dir.resolve("parent.db").toString()))).redirectError(dir.resolve("err.txt").toFile()).start();
        try {
            String init = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                    + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}\n"
                    + "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n"
                    + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":"
                    + "\"orchestrator_integration_monitor\",\"arguments\":{\"action\":\"health_check\","
                    + "\"auto_recovery\":false}}}\n";
            p.getOutputStream().write(init.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            p.getOutputStream().flush();
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8));
            String line;
            String reply = null;
            while ((line = out.readLine()) != null) {
                if (line.contains("\"id\":2")) {
                    reply = line;
                    break;
                }
            }
            assertTrue(reply != null, "the health check answered");
            assertTrue(reply.contains("\"overall\":\"offline\""), reply);
            assertTrue(reply.contains("refusing to watch recursively"), "the child's reason is shown: " + reply);
            long copies = ProcessHandle.current().descendants()
                    .filter(h -> h.info().commandLine().orElse("").contains("child.db")).count();
            assertTrue(copies <= 1, "no recursion: " + copies + " copies");
            p.getOutputStream().close();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void mcpHealthChecksAnMcpHealthServerLikeAnyServer() throws Exception {
        Path watched = ServerProcess.config(dir);
        Path config = dir.resolve("check.json");
        List<String> server = ServerProcess.command(List.of("--config", watched.toString(), "--db",
                dir.resolve("server.db").toString()));
        Files.writeString(config, "{\"mcpServers\": {\"health-server\": {\"command\": "
                + McpJsonDefaults.getMapper().writeValueAsString(server.get(0)) + ", \"args\": "
                + McpJsonDefaults.getMapper().writeValueAsString(server.subList(1, server.size())) + "}},"
                + "\"health\": {\"defaults\": {\"timeoutMs\": 20000, \"connectTimeoutMs\": 30000}}}");
        try (dev.mcphealth.infrastructure.di.McpHealth health = dev.mcphealth.infrastructure.di.McpHealth
                .builder(config).database(dir.resolve("checker.db")).depth(dev.mcphealth.domain.model.CheckDepth
                        .COMPREHENSIVE).open()) {
            health.probeAll();
            dev.mcphealth.domain.model.StatusSnapshot s = health.monitor().snapshot().stream()
                    .filter(x -> x.server().value().equals("health-server")).findFirst().orElseThrow();
            assertEquals(java.util.Optional.of(dev.mcphealth.domain.model.HealthStatus.HEALTHY), s.status(),
                    String.valueOf(s));
            assertTrue(s.details().containsKey("toolsHash"), "the comprehensive probe listed its tools: " + s);
        }
    }
}
