package dev.mcphealth.bench;

import dev.mcphealth.domain.model.CheckDepth;
import dev.mcphealth.domain.model.FailoverConfig;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ProbeOutcome;
import dev.mcphealth.domain.model.ProbeReport;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.Thresholds;
import dev.mcphealth.domain.model.TransportKind;
import dev.mcphealth.infrastructure.config.Endpoint;
import dev.mcphealth.infrastructure.probe.McpProbe;
import dev.mcphealth.testkit.EverythingServer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Our probe side by side with the bare MCP Java SDK client (the baseline), against the real server-everything over
 * stdio, in one run: (1) the liveness round trip with a kept session, (2) how long until a SIGKILLed server is known,
 * (3) how long until a command that does not exist is known. Prints a table of figures and ratios.
 * Run: mvn -B -Pbench -pl health-infrastructure -am -DskipTests verify
 */
public final class ProbeBench {
    private static final int WARMUP = 300;
    private static final int ROUNDS = 10;
    private static final int PER_ROUND = 200;
    private static final int FAULT_ROUNDS = 3;
    private static final Duration SDK_TIMEOUT = Duration.ofSeconds(5);

    private ProbeBench() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("MCP Health probe vs MCP Java SDK client, server-everything over stdio, "
                + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version"));
        latency();
        killedServer();
        missingCommand();
    }

    static MonitoredServer server(String name, Duration timeout) {
        ServerType t = ServerType.of("bench");
        return new MonitoredServer(ServerId.of(name), t, TransportKind.STDIO, timeout, Duration.ofSeconds(30),
                Thresholds.DEFAULTS, FailoverConfig.defaultsFor(t));
    }

    static McpProbe probeFor(Endpoint endpoint) {
        return new McpProbe(id -> Optional.of(endpoint), Clock.systemUTC(), System::nanoTime,
                McpJsonDefaults.getMapper(), "bench");
    }

    static Endpoint.Stdio everything(String marker) {
        List<String> cmd = EverythingServer.stdioCommand();
        return new Endpoint.Stdio(cmd.get(0), List.of(cmd.get(1), cmd.get(2), marker), java.util.Map.of(),
                Optional.empty());
    }

    static McpSyncClient sdkClient(Endpoint.Stdio e, Duration timeout) {
        ServerParameters params = ServerParameters.builder(e.command()).args(e.args()).build();
        StdioClientTransport transport = new StdioClientTransport(params, McpJsonDefaults.getMapper());
        transport.setStdErrorHandler(line -> { });
        return McpClient.sync(transport).requestTimeout(timeout).initializationTimeout(timeout).build();
    }

    private static void latency() {
        MonitoredServer server = server("latency", Duration.ofSeconds(10));
        try (McpProbe ours = probeFor(everything("bench-ours-" + UUID.randomUUID()))) {
            McpSyncClient sdk = sdkClient(everything("bench-sdk-" + UUID.randomUUID()), Duration.ofSeconds(10));
            sdk.initialize();
            for (int i = 0; i < WARMUP; i++) {
                ours.probe(server, CheckDepth.BASIC);
                sdk.ping();
            }
            long[] o = new long[ROUNDS * PER_ROUND];
            long[] s = new long[ROUNDS * PER_ROUND];
            int n = 0;
            // interleaved rounds, so that both see the same machine noise
            for (int r = 0; r < ROUNDS; r++) {
                for (int i = 0; i < PER_ROUND; i++) {
                    ProbeReport report = ours.probe(server, CheckDepth.BASIC);
                    o[n + i] = ((ProbeOutcome.Answered) report.outcome()).responseTime().toNanos();
                }
                for (int i = 0; i < PER_ROUND; i++) {
                    long t0 = System.nanoTime();
                    sdk.ping();
                    s[n + i] = System.nanoTime() - t0;
                }
                n += PER_ROUND;
            }
            sdk.closeGracefully();
            Arrays.sort(o);
            Arrays.sort(s);
            System.out.println();
            System.out.printf(Locale.ROOT, "1. liveness round trip, kept session, %d probes each%n", o.length);
            System.out.printf(Locale.ROOT, "   %-34s %9s %9s %9s%n", "", "p50 ms", "p90 ms", "p99 ms");
            row("MCP Health probe (ping)", o);
            row("SDK McpSyncClient.ping (baseline)", s);
            System.out.printf(Locale.ROOT, "   %-34s %9.2f %9.2f %9.2f%n", "ratio ours/baseline",
                    pct(o, 50) / pct(s, 50), pct(o, 90) / pct(s, 90), pct(o, 99) / pct(s, 99));
        }
    }

    private static void killedServer() throws Exception {
        List<Long> ours = new ArrayList<>();
        List<Long> sdk = new ArrayList<>();
        for (int r = 0; r < FAULT_ROUNDS; r++) {
            String marker = "bench-kill-ours-" + UUID.randomUUID();
            MonitoredServer server = server("killed", SDK_TIMEOUT);
            try (McpProbe probe = probeFor(everything(marker))) {
                probe.probe(server, CheckDepth.BASIC);
                kill(marker);
                long t0 = System.nanoTime();
                ProbeReport report = probe.probe(server, CheckDepth.BASIC);
                ours.add(System.nanoTime() - t0);
                check(report.outcome() instanceof ProbeOutcome.Failed, "our probe saw the kill");
            }
            String sdkMarker = "bench-kill-sdk-" + UUID.randomUUID();
            McpSyncClient client = sdkClient(everything(sdkMarker), SDK_TIMEOUT);
            client.initialize();
            client.ping();
            kill(sdkMarker);
            long t0 = System.nanoTime();
            try {
                client.ping();
                check(false, "the SDK's ping to a killed server cannot succeed");
            } catch (RuntimeException expected) {
                sdk.add(System.nanoTime() - t0);
            }
            client.close();
        }
        faultRow("2. time to know a SIGKILLed stdio server is gone (request timeout " + SDK_TIMEOUT.toMillis()
                + " ms)", ours, sdk);
    }

    private static void missingCommand() {
        Endpoint.Stdio missing = new Endpoint.Stdio("mcp-health-bench-no-such-command", List.of(), java.util.Map.of(),
                Optional.empty());
        List<Long> ours = new ArrayList<>();
        List<Long> sdk = new ArrayList<>();
        for (int r = 0; r < FAULT_ROUNDS; r++) {
            try (McpProbe probe = probeFor(missing)) {
                long t0 = System.nanoTime();
                ProbeReport report = probe.probe(server("missing", SDK_TIMEOUT), CheckDepth.BASIC);
                ours.add(System.nanoTime() - t0);
                check(report.outcome() instanceof ProbeOutcome.Failed, "our probe reported the missing command");
            }
            McpSyncClient client = sdkClient(missing, SDK_TIMEOUT);
            long t0 = System.nanoTime();
            try {
                client.initialize();
                check(false, "the SDK cannot initialize a missing command");
            } catch (RuntimeException expected) {
                sdk.add(System.nanoTime() - t0);
            }
            client.close();
        }
        faultRow("3. time to know a command does not exist (initialization timeout " + SDK_TIMEOUT.toMillis()
                + " ms)", ours, sdk);
    }

    private static void kill(String marker) throws Exception {
        ProcessHandle h = ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains(marker)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no process " + marker));
        h.destroyForcibly();
        h.onExit().get();
    }

    private static void faultRow(String title, List<Long> ours, List<Long> sdk) {
        double o = ours.stream().mapToLong(Long::longValue).average().orElseThrow() / 1e6;
        double s = sdk.stream().mapToLong(Long::longValue).average().orElseThrow() / 1e6;
        System.out.println();
        System.out.println(title + ", mean of " + ours.size());
        System.out.printf(Locale.ROOT, "   %-34s %9.1f ms%n", "MCP Health probe", o);
        System.out.printf(Locale.ROOT, "   %-34s %9.1f ms%n", "SDK client (baseline)", s);
        System.out.printf(Locale.ROOT, "   %-34s %9.4f (baseline/ours %.0fx)%n", "ratio ours/baseline", o / s, s / o);
    }

    static void row(String name, long[] sorted) {
        System.out.printf(Locale.ROOT, "   %-34s %9.3f %9.3f %9.3f%n", name, pct(sorted, 50), pct(sorted, 90),
                pct(sorted, 99));
    }

    static double pct(long[] sorted, int p) {
        int i = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("benchmark invariant broken: " + what);
        }
    }
}
