package dev.mcphealth.adapter.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.testkit.RepoPaths;
import io.modelcontextprotocol.json.McpJsonDefaults;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client nobody here wrote: the MCP Inspector's CLI ({@code @modelcontextprotocol/inspector}, from npm) lists the
 * five tools over stdio, with its schema portability check, and calls each one over HTTP with the bearer token.
 */
class InspectorIT {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
        @SuppressWarnings("unchecked")
        Map<String, Object> json() throws IOException {
            int start = out.indexOf('{');
            assertTrue(start >= 0, "JSON on stdout: " + out + "\nstderr: " + err);
            Map<String, Object> m = McpJsonDefaults.getMapper().readValue(out.substring(start), Map.class);
            assertTrue(m.get("result") instanceof Map, "a result: " + out + "\nstderr: " + err);
            return (Map<String, Object>) m.get("result");
        }
    }

    private Run inspector(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("node",
                RepoPaths.nodeModule("@modelcontextprotocol/inspector/clients/launcher/build/index.js").toString(),
                "--cli", "--format", "json"));
        cmd.addAll(args);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the inspector did not finish in 120 s: " + cmd);
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theInspectorListsTheFiveToolsOverStdio() throws Exception {
        List<String> args = new ArrayList<>(List.of("--method", "tools/list", "--strict", "--"));
        args.addAll(ServerProcess.command(List.of("--config", ServerProcess.config(dir).toString(), "--db",
                dir.resolve("stdio.db").toString())));
        Run r = inspector(args);
        assertEquals(0, r.exit(), "exit 0 (6 would be a schema portability error): " + r.err());
        List<Map<String, Object>> tools = (List<Map<String, Object>>) r.json().get("tools");
        assertEquals(ToolCalls.TOOLS, tools.stream().map(t -> (String) t.get("name")).collect(Collectors.toSet()));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theInspectorCallsEachToolOverHttp() throws Exception {
        String token = "inspector-" + Long.toHexString(System.nanoTime()) + "-0123456789";
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, token);
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        try (ServerProcess server = ServerProcess.start(List.of("--config", ServerProcess.config(dir).toString(),
                "--db", dir.resolve("http.db").toString(), "--http", "0", "--token-file", tokenFile.toString()))) {
            String url = server.url();
            List<List<String>> calls = List.of(
                    List.of("--tool-name", IntegrationMonitorTool.NAME, "--tool-arg", "action=health_check"),
                    List.of("--tool-name", FailoverCoordinatorTool.NAME, "--tool-arg", "server_type=demo",
                            "failure_type=timeout", "recovery_strategy=manual"),
                    List.of("--tool-name", PerformanceOptimizerTool.NAME, "--tool-arg",
                            "optimization_target=reliability"),
                    List.of("--tool-name", HealthDashboardsTool.NAME, "--tool-arg", "view=overview"),
                    List.of("--tool-name", RecoverySystemTool.NAME, "--tool-arg", "action=status"));
            Set<String> called = new java.util.TreeSet<>();
            for (List<String> call : calls) {
                List<String> args = new ArrayList<>(List.of(url, "--transport", "http", "--header",
                        "Authorization: Bearer " + token, "--method", "tools/call"));
                args.addAll(call);
                Run r = inspector(args);
                assertEquals(0, r.exit(), call + ": " + r.out() + r.err());
                Map<String, Object> result = r.json();
                assertNotEquals(Boolean.TRUE, result.get("isError"), call + ": " + result);
                assertTrue(result.get("structuredContent") instanceof Map, call + ": " + result);
                called.add(call.get(1));
            }
            assertEquals(ToolCalls.TOOLS, called);

            Run refused = inspector(List.of(url, "--transport", "http", "--method", "tools/list"));
            assertNotEquals(0, refused.exit(), "without the token the inspector is turned away");
        }
    }
}
