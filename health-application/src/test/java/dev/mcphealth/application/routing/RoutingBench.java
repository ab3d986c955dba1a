package dev.mcphealth.application.routing;

import static dev.mcphealth.application.testkit.TestServers.aServer;

import dev.mcphealth.application.port.in.CallToolUseCase;
import dev.mcphealth.application.port.out.ConcurrencyLimitPort;
import dev.mcphealth.application.port.out.ToolCallPort;
import dev.mcphealth.application.testkit.FailoverRig;
import dev.mcphealth.domain.model.CallOutcome;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.ToolReply;
import dev.mcphealth.domain.routing.Balancing;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the routing layer itself costs a call (issue 15, item 4): {@link ResilientCallService#call} over a pool of
 * three instances whose tool call answers at once (a port that returns a ready answer: no transport, no server),
 * against calling that port directly, interleaved in rounds in one run. The rest of the path is the real application
 * code (the monitor's windows fed by every call, recovery's gate, the balancer, the retry budget, the tool's latency);
 * the breakers are the test double of the application's tests (Resilience4j's cost is the infrastructure's). Reports
 * the median and p99 of the extra nanoseconds per call, and the bytes allocated per call on the calling thread.
 * Run: mvn -B -Pbench -pl health-application -am -DskipTests verify
 * Options (-Dbench.options="..."): calls=200000 (per round) rounds=5 balancing=p2c
 */
public final class RoutingBench {
    private RoutingBench() {
    }

    public static void main(String[] args) {
        Map<String, String> o = new HashMap<>(Map.of("calls", "200000", "rounds", "5", "balancing", "p2c"));
        String options = System.getProperty("bench.options", "").trim();
        for (String a : options.isEmpty() ? args : options.split("\\s+")) {
            String[] kv = a.split("=", 2);
            if (kv.length != 2 || !o.containsKey(kv[0])) {
                throw new IllegalArgumentException("options are calls=N rounds=N balancing=p2c|sticky|priority"
                        + "|round_robin, got " + a);
            }
            o.put(kv[0], kv[1]);
        }
        int calls = Integer.parseInt(o.get("calls"));
        int rounds = Integer.parseInt(o.get("rounds"));
        Balancing balancing = Balancing.fromCode(o.get("balancing"));
        CallOutcome answer = new CallOutcome.Replied(new ToolReply(false, List.of("ok"), "{}"), Duration.ofMillis(1));
        ToolCallPort instant = new ToolCallPort() {
            @Override
            public CallOutcome callTool(MonitoredServer server, String tool, Map<String, Object> arguments,
                                        Duration timeout, boolean mayConnect) {
                return answer;
            }

            @Override
            public CallOutcome listTools(MonitoredServer server, Duration timeout, boolean mayConnect) {
                throw new UnsupportedOperationException("not listed here");
            }

            @Override
            public CallOutcome request(MonitoredServer server, dev.mcphealth.domain.model.UpstreamRequest what,
                                       Map<String, Object> params, Duration timeout, boolean mayConnect) {
                throw new UnsupportedOperationException("not asked here");
            }
        };
        MonitoredServer[] servers = new MonitoredServer[3];
        for (int i = 0; i < servers.length; i++) {
            servers[i] = aServer().named("r" + i).ofType("search").every(Duration.ofSeconds(1)).build();
        }
        FailoverRig rig = new FailoverRig(ResilienceSettings.DEFAULTS.withBalancing(Map.of(), balancing), 3,
                Hedger.NONE, fleet -> instant, ConcurrencyLimitPort.NONE, servers).started();
        CallToolUseCase.Command command = new CallToolUseCase.Command(ServerType.of("search"), "search",
                Map.of("q", "x"));
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)
                ManagementFactory.getThreadMXBean();
        long me = Thread.currentThread().getId();
        System.out.println("MCP Health routing layer, " + balancing.code() + " pool of 3, a port answering at once, "
                + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version"));
        for (int i = 0; i < calls; i++) { // warm up both paths
            rig.client.call(command);
            instant.callTool(servers[0], "search", command.arguments(), Duration.ofSeconds(1), true);
        }
        long[] routed = new long[calls * rounds];
        long[] direct = new long[calls * rounds];
        long routedBytes = 0;
        long directBytes = 0;
        int n = 0;
        for (int r = 0; r < rounds; r++) {
            long b0 = threads.getThreadAllocatedBytes(me);
            for (int i = 0; i < calls; i++) {
                long t0 = System.nanoTime();
                CallToolUseCase.Result result = rig.client.call(command);
                routed[n + i] = System.nanoTime() - t0;
                if (!(result instanceof CallToolUseCase.Served)) {
                    throw new IllegalStateException("benchmark invariant broken: " + result);
                }
            }
            long b1 = threads.getThreadAllocatedBytes(me);
            for (int i = 0; i < calls; i++) {
                long t0 = System.nanoTime();
                CallOutcome result = instant.callTool(servers[i % 3], "search", command.arguments(),
                        Duration.ofSeconds(1), true);
                direct[n + i] = System.nanoTime() - t0;
                if (result != answer) {
                    throw new IllegalStateException("benchmark invariant broken");
                }
            }
            long b2 = threads.getThreadAllocatedBytes(me);
            routedBytes += b1 - b0;
            directBytes += b2 - b1;
            n += calls;
        }
        Arrays.sort(routed);
        Arrays.sort(direct);
        System.out.printf(Locale.ROOT, "%n%d calls each, in %d interleaved rounds%n", routed.length, rounds);
        System.out.printf(Locale.ROOT, "   %-36s %10s %10s %12s%n", "", "p50 ns", "p99 ns", "bytes/call");
        System.out.printf(Locale.ROOT, "   %-36s %10d %10d %12.0f%n", "ResilientCallService.call", pct(routed, 50),
                pct(routed, 99), routedBytes / (double) routed.length);
        System.out.printf(Locale.ROOT, "   %-36s %10d %10d %12.0f%n", "the port directly (baseline)", pct(direct, 50),
                pct(direct, 99), directBytes / (double) direct.length);
        System.out.printf(Locale.ROOT, "   routing adds %.2f us at the median, %.2f us at p99; ratio of medians %.1f%n",
                (pct(routed, 50) - pct(direct, 50)) / 1000.0, (pct(routed, 99) - pct(direct, 99)) / 1000.0,
                pct(routed, 50) / (double) Math.max(1, pct(direct, 50)));
    }

    private static long pct(long[] sorted, int p) {
        int i = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, i)];
    }
}
