package dev.mcphealth.bench;

import dev.mcphealth.application.port.in.CallToolUseCase;
import dev.mcphealth.domain.model.CallOutcome;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.infrastructure.probe.McpProbe;
import dev.mcphealth.infrastructure.config.Endpoint;
import dev.mcphealth.infrastructure.di.McpHealth;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The resilient client's overhead: the same tool call ({@code echo} on server-everything over stdio) through
 * {@link McpHealth#callTool} (pool routing, circuit breaker, recovery check, passive metrics, with the monitor probing
 * the server every second meanwhile) and through the bare SDK {@code McpSyncClient} (the baseline, its own server
 * process), interleaved in rounds so that both see the same machine noise. Reports the ratio of medians.
 * Run: mvn -B -Pbench -Dbench=client -pl health-infrastructure -am -DskipTests verify
 * Options (-Dbench.options="..."): rounds=10 per=500 warmup=1000
 */
public final class ClientBench {
    private ClientBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, Integer> o = new HashMap<>(Map.of("rounds", 10, "per", 500, "warmup", 1000));
        for (String a : args) {
            String[] kv = a.split("=", 2);
            if (kv.length != 2 || !o.containsKey(kv[0])) {
                throw new IllegalArgumentException("options are rounds=N per=N warmup=N, got " + a);
            }
            o.put(kv[0], Integer.parseInt(kv[1]));
        }
        int rounds = o.get("rounds");
        int per = o.get("per");
        System.out.println("MCP Health resilient client vs MCP Java SDK client, tools/call echo on server-everything"
                + " over stdio, " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version"));
        Path dir = Files.createTempDirectory("mcp-health-client-bench");
        Endpoint.Stdio ours = ProbeBench.everything("bench-client-ours-" + UUID.randomUUID());
        Path config = dir.resolve("mcp.json");
        Files.writeString(config, "{\"mcpServers\": {\"ours\": {\"command\": \"" + ours.command() + "\", \"args\": [\""
                + String.join("\", \"", ours.args()) + "\"]}}, \"health\": {\"servers\": {\"ours\":"
                + " {\"serverType\": \"echo\"}}}}");
        Map<String, Object> args1 = Map.of("message", "hi");
        McpSchema.CallToolRequest request = new McpSchema.CallToolRequest("echo", args1);
        try (McpHealth health = McpHealth.builder(config).database(dir.resolve("health.db"))
                .interval(Duration.ofSeconds(1)).start()) {
            McpProbe transport = ProbeBench.probeFor(ProbeBench.everything("bench-client-transport-"
                    + UUID.randomUUID()));
            MonitoredServer server = ProbeBench.server("transport", Duration.ofSeconds(10));
            McpSyncClient sdk = ProbeBench.sdkClient(ProbeBench.everything("bench-client-sdk-" + UUID.randomUUID()),
                    Duration.ofSeconds(10));
            sdk.initialize();
            for (int i = 0; i < o.get("warmup"); i++) {
                ProbeBench.check(health.callTool("echo", "echo", args1) instanceof CallToolUseCase.Served,
                        "our call is served");
                sdk.callTool(request);
                transport.callTool(server, "echo", args1, Duration.ofSeconds(10), true);
            }
            long[] ourTimes = new long[rounds * per];
            long[] sdkTimes = new long[rounds * per];
            long[] transportTimes = new long[rounds * per];
            int n = 0;
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < per; i++) {
                    long t0 = System.nanoTime();
                    CallToolUseCase.Result result = health.callTool("echo", "echo", args1);
                    ourTimes[n + i] = System.nanoTime() - t0;
                    ProbeBench.check(result instanceof CallToolUseCase.Served, "our call is served");
                }
                for (int i = 0; i < per; i++) {
                    long t0 = System.nanoTime();
                    McpSchema.CallToolResult result = sdk.callTool(request);
                    sdkTimes[n + i] = System.nanoTime() - t0;
                    ProbeBench.check(!Boolean.TRUE.equals(result.isError()), "the SDK call is served");
                }
                for (int i = 0; i < per; i++) {
                    long t0 = System.nanoTime();
                    CallOutcome result = transport.callTool(server, "echo", args1, Duration.ofSeconds(10), true);
                    transportTimes[n + i] = System.nanoTime() - t0;
                    ProbeBench.check(result instanceof CallOutcome.Replied, "the bare session call is served");
                }
                n += per;
            }
            sdk.closeGracefully();
            transport.close();
            Arrays.sort(transportTimes);
            Arrays.sort(ourTimes);
            Arrays.sort(sdkTimes);
            System.out.println();
            System.out.printf(Locale.ROOT, "tools/call echo, %d calls each, in %d interleaved rounds%n",
                    ourTimes.length, rounds);
            System.out.printf(Locale.ROOT, "   %-34s %9s %9s %9s%n", "", "p50 ms", "p90 ms", "p99 ms");
            ProbeBench.row("MCP Health McpHealth.callTool", ourTimes);
            ProbeBench.row("  of which our session (McpProbe)", transportTimes);
            ProbeBench.row("SDK McpSyncClient.callTool (baseline)", sdkTimes);
            double ratio = ProbeBench.pct(ourTimes, 50) / ProbeBench.pct(sdkTimes, 50);
            System.out.printf(Locale.ROOT, "   %-34s %9.3f %9.3f %9.3f%n", "ratio ours/baseline", ratio,
                    ProbeBench.pct(ourTimes, 90) / ProbeBench.pct(sdkTimes, 90),
                    ProbeBench.pct(ourTimes, 99) / ProbeBench.pct(sdkTimes, 99));
            System.out.printf(Locale.ROOT, "   overhead of the median call: %+.1f %% (%+.1f us)%n", (ratio - 1) * 100,
                    (ProbeBench.pct(ourTimes, 50) - ProbeBench.pct(sdkTimes, 50)) * 1000);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
