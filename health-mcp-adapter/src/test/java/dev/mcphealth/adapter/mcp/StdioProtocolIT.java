package dev.mcphealth.adapter.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.json.McpJsonDefaults;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over stdio, stdout carries nothing but JSON-RPC (the monitor's and the servers' output goes to stderr), and closing
 * stdin stops the server, its monitoring and the MCP servers it started.
 */
class StdioProtocolIT {
    @TempDir
    Path dir;

    @Test
    void stdoutIsProtocolOnlyAndEndOfInputStopsEverything() throws Exception {
        Process p = new ProcessBuilder(ServerProcess.command(List.of("--config", ServerProcess.config(dir).toString(),
                "--db", dir.resolve("health.db").toString(), "--interval", "1")))
                .redirectError(dir.resolve("stderr.txt").toFile()).start();
        OutputStream in = p.getOutputStream();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        send(in, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}");
        assertJsonRpc(out.readLine(), 1);
        send(in, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        send(in, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":"
                + "\"orchestrator_integration_monitor\",\"arguments\":{\"action\":\"health_check\"}}}");
        // the health check probes both servers; notifications may come first, and all of it must be JSON-RPC
        while (!assertJsonRpc(out.readLine(), 2)) {
            // a notification: read on
        }
        long before = children();
        assertTrue(before >= 2, "the two MCP servers run as children: " + before);

        in.close();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "end of input stops the server");
        assertEquals(0, p.exitValue());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (children() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50); // waiting on other processes' exit, which no test clock controls
        }
        assertEquals(0, children(), "the MCP servers it started are stopped with it");
        String rest;
        while ((rest = out.readLine()) != null) {
            assertJsonRpc(rest, -1);
        }
    }

    private long children() {
        return ProcessHandle.current().descendants()
                .filter(h -> h.info().commandLine().orElse("").contains("server-")).count();
    }

    private static void send(OutputStream in, String line) throws Exception {
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** The line is one JSON-RPC message; true when it is the response with {@code id}. */
    @SuppressWarnings("unchecked")
    private static boolean assertJsonRpc(String line, int id) throws Exception {
        assertTrue(line != null, "a line on stdout");
        Map<String, Object> m = McpJsonDefaults.getMapper().readValue(line, Map.class);
        assertEquals("2.0", m.get("jsonrpc"), line);
        return m.containsKey("id") && ((Number) m.get("id")).intValue() == id;
    }
}
