package dev.mcphealth.adapter.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.testkit.RepoPaths;
import io.modelcontextprotocol.json.McpJsonDefaults;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
        send(in, HttpServerIT.INITIALIZE);
        assertJsonRpc(out.readLine(), 1);
        send(in, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        send(in, "this line is not JSON"); // the SDK's reader would stop for good at it: answered, and skipped
        send(in, "{\"jsonrpc\":\"2.0\",\"id\":99,\"method\":\"ping\"}");
        boolean parseError = false;
        String answer;
        do {
            answer = out.readLine(); // notifications of the monitor may come between
            assertTrue(answer != null, "an answer to the ping after the line that is not JSON");
            parseError |= answer.contains("\"code\":-32700");
        } while (!answer.contains("\"id\":99"));
        assertTrue(parseError, "the line that is not JSON was answered with a parse error (id null) before the ping");
        // a level no RFC 5424 has, and a JSON-RPC 1.0 request: each refused with one error naming what was wrong
        send(in, "{\"jsonrpc\":\"2.0\",\"id\":97,\"method\":\"logging/setLevel\",\"params\":{\"level\":\"loud\"}}");
        send(in, "{\"jsonrpc\":\"1.0\",\"id\":98,\"method\":\"ping\"}");
        java.util.Map<Integer, String> refusals = new java.util.HashMap<>();
        while (refusals.size() < 2) {
            String line = out.readLine();
            assertTrue(line != null, "answers to 97 and 98");
            for (int id : new int[] {97, 98}) {
                if (line.contains("\"id\":" + id + ",")) {
                    refusals.put(id, line);
                }
            }
        }
        assertTrue(refusals.get(97).contains("-32602") && refusals.get(97).contains("params.level must be one of"),
                refusals.get(97));
        assertTrue(refusals.get(98).contains("-32600") && refusals.get(98).contains("jsonrpc must be"),
                refusals.get(98));

        send(in, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":"
                + "\"orchestrator_integration_monitor\",\"arguments\":{\"action\":\"health_check\"}}}");
        // the health check probes both servers; notifications may come first, and all of it must be JSON-RPC
        while (!assertJsonRpc(out.readLine(), 2)) {
            // a notification: read on
        }
        List<ProcessHandle> servers = servers();
        assertEquals(2, servers.size(), "the two MCP servers run under it: " + servers);

        in.close();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "end of input stops the server");
        assertEquals(0, p.exitValue());
        for (ProcessHandle h : servers) {
            // its exit is another process's doing, which no test clock controls: wait for it, bounded
            h.onExit().get(10, TimeUnit.SECONDS);
            assertTrue(!h.isAlive(), "the MCP server " + h.pid() + " it started is stopped with it");
        }
        String rest;
        while ((rest = out.readLine()) != null) {
            assertJsonRpc(rest, -1);
        }
    }

    /** The next line answering {@code id} (notifications of the monitor may come between). */
    private static String answerTo(BufferedReader out, int id) throws java.io.IOException {
        String line;
        do {
            line = out.readLine();
            assertTrue(line != null, "an answer to " + id);
        } while (!line.contains("\"id\":" + id + ","));
        return line;
    }

    @Test
    void aConnectionWhoseFirstRequestIsOfTheRevisionSpeaksItToTheEnd() throws Exception {
        Process p = new ProcessBuilder(ServerProcess.command(List.of("--config", ServerProcess.config(dir).toString(),
                "--db", dir.resolve("health.db").toString())))
                .redirectError(dir.resolve("stderr.txt").toFile()).start();
        String meta = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
                + "\"io.modelcontextprotocol/clientCapabilities\":{}}";
        try {
            OutputStream in = p.getOutputStream();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            send(in, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"server/discover\",\"params\":{" + meta + "}}");
            String discovered = answerTo(out, 1);
            assertTrue(discovered.contains("\"supportedVersions\":[\"2026-07-28\"]"), discovered);
            send(in, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":"
                    + "\"integration_health_dashboards\",\"arguments\":{\"view\":\"overview\"}," + meta + "}}");
            String called = answerTo(out, 2);
            assertTrue(called.contains("\"resultType\":\"complete\"") && called.contains("\"structuredContent\""),
                    called);
            send(in, HttpServerIT.INITIALIZE.replace("\"id\":1", "\"id\":3"));
            String refused = answerTo(out, 3);
            assertTrue(refused.contains("-32022") && refused.contains("\"supported\":[\"2026-07-28\"]"), refused);
            send(in, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"ping\",\"params\":{" + meta + "}}");
            assertTrue(answerTo(out, 4).contains("-32601"), "ping does not exist in the revision");
            in.close();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "end of input stops the server");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aThreadDumpOnSigquitGoesToStderrNotIntoTheProtocol() throws Exception {
        // the launcher users run: it points the JVM's own stdout (where SIGQUIT's thread dump goes) at stderr
        Process p = new ProcessBuilder(RepoPaths.root().resolve("bin/mcp-health-server").toString(), "--config",
                ServerProcess.config(dir).toString(), "--db", dir.resolve("health.db").toString())
                .redirectError(dir.resolve("stderr.txt").toFile()).start();
        try {
            OutputStream in = p.getOutputStream();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            send(in, HttpServerIT.INITIALIZE);
            assertJsonRpc(out.readLine(), 1);
            send(in, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            assertEquals(0, new ProcessBuilder("kill", "-QUIT", Long.toString(p.pid())).start().waitFor());
            // the dump is written by the JVM at once; the next answer must be the next line on stdout
            send(in, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}");
            while (!assertJsonRpc(out.readLine(), 2)) {
                // a notification: read on
            }
            in.close();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            String rest;
            while ((rest = out.readLine()) != null) {
                assertJsonRpc(rest, -1);
            }
        } finally {
            p.destroyForcibly();
        }
        assertTrue(Files.readString(dir.resolve("stderr.txt")).contains("Full thread dump"),
                "the dump went to stderr");
    }

    /** The node processes of server-everything and server-memory below this test (the server's children). */
    private List<ProcessHandle> servers() {
        return ProcessHandle.current().descendants().filter(h -> {
            String cmd = h.info().commandLine().orElse("");
            return !cmd.contains("java") && (cmd.contains("server-everything") || cmd.contains("server-memory"));
        }).toList();
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
        return m.get("id") instanceof Number n && n.intValue() == id;
    }
}
