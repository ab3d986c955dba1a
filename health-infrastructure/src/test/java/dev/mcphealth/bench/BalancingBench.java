package dev.mcphealth.bench;

import dev.mcphealth.application.port.in.CallToolUseCase;
import dev.mcphealth.infrastructure.di.McpHealth;
import dev.mcphealth.testkit.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How the pool's balancing spreads calls over instances of unequal speed, and what a failing pool sends upstream:
 * real MCP server processes (a test double whose only fake is its injected latency or failure,
 * doubles/latency-server-double.mjs) called through {@link McpHealth#callTool} by concurrent callers, each mode in
 * its own fresh McpHealth, one after the other in one run. Breakers are set not to trip on slow calls here, and
 * the balancing scenarios send no hedges, so the balancing alone is compared.
 * <ul>
 *   <li>{@code slow}: two instances, one 5x slower (10 ms vs 2 ms), 1 and then 4 callers: the slow one's share of
 *   calls and p50/p99 under p2c, round robin and sticky (the slow one configured first), against the fast instance
 *   alone;</li>
 *   <li>{@code tower}: ten instances of 1, 4 x 10, 4 x 100 and 1000 ms at 50 calls in flight (tower's balance
 *   benchmark): p50/p99/p99.9 under p2c and round robin;</li>
 *   <li>{@code hedge}: two instances of a read-only tool of 2 ms whose 1 % of calls take 50x as long, 4 callers:
 *   p50/p99/p99.9 and the extra requests sent, with hedging off and on;</li>
 *   <li>{@code limit}: one instance that runs 20 calls at once and queues the rest, offered 80 callers: goodput,
 *   calls shed and the p50/p99 of admitted calls, without a concurrency limit and with Gradient2's;</li>
 *   <li>{@code budget}: three instances that fail every call (a JSON-RPC internal error, on a read-only tool, so a
 *   call may be replayed on the next): requests the instances received per call, with the default retry budget and
 *   with one too large to bind.</li>
 * </ul>
 * Run: mvn -B -Pbench -Dbench=balancing -pl health-infrastructure -am -DskipTests verify
 * Options (-Dbench.options="..."): seconds=15 (measured per mode) warmup=3 scenarios=slow,tower,hedge,budget
 * calls=600
 */
public final class BalancingBench {
    /**
     * The balancing scenarios compare balancers alone: no hedge sent and no concurrency limit (the hedge and limit
     * scenarios measure those).
     */
    private static final String NO_HEDGING = ", \"hedging\": false, \"concurrencyLimit\": {\"enabled\": false}";

    private BalancingBench() {
    }

    /** One instance of a pool: its name and the double's options. */
    record Instance(String name, String... options) {
    }

    /** What one mode's run measured: latencies of the served calls (sorted, ns), calls per instance, failures. */
    record Measured(long[] sorted, Map<String, Long> byInstance, long failed) {
        long calls() {
            return sorted.length + failed;
        }

        double share(String instance) {
            return byInstance.getOrDefault(instance, 0L) / (double) Math.max(1, sorted.length);
        }

        double pct(double p) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
            return sorted[Math.max(0, i)] / 1e6;
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>(Map.of("seconds", "15", "warmup", "3", "scenarios",
                "slow,tower,hedge,limit,budget", "calls", "600"));
        for (String a : args) {
            String[] kv = a.split("=", 2);
            if (kv.length != 2 || !o.containsKey(kv[0])) {
                throw new IllegalArgumentException("options are seconds=N warmup=N"
                        + " scenarios=slow,tower,hedge,limit,budget calls=N, got " + a);
            }
            o.put(kv[0], kv[1]);
        }
        Duration measure = Duration.ofSeconds(Long.parseLong(o.get("seconds")));
        Duration warmup = Duration.ofSeconds(Long.parseLong(o.get("warmup")));
        System.out.println("MCP Health balancing, real processes (latency-server-double) through McpHealth.callTool, "
                + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version"));
        for (String scenario : o.get("scenarios").split(",")) {
            switch (scenario.trim()) {
                case "slow" -> slow(measure, warmup);
                case "tower" -> tower(measure, warmup);
                case "budget" -> budget(Integer.parseInt(o.get("calls")));
                case "hedge" -> hedge(measure, warmup);
                case "limit" -> limit(measure, warmup);
                default -> throw new IllegalArgumentException("no scenario " + scenario
                        + ": slow, tower, hedge, limit, budget");
            }
        }
    }

    private static void slow(Duration measure, Duration warmup) throws Exception {
        List<Instance> pool = List.of(new Instance("slow", "--delay", "10"), new Instance("fast", "--delay", "2"));
        for (int callers : new int[] {1, 4}) {
            System.out.printf(Locale.ROOT, "%nslow: two instances, slow 10 ms and fast 2 ms (5x; the slow one"
                    + " configured first), %d caller(s), %d s per mode%n", callers, measure.toSeconds());
            Measured alone = run(List.of(pool.get(1)), "p2c", callers, measure, warmup, NO_HEDGING);
            System.out.printf(Locale.ROOT, "   %-22s %8s %10s %8s %8s %14s%n", "mode", "calls", "to slow",
                    "p50 ms", "p99 ms", "p99/fast alone");
            row("fast alone (baseline)", alone, alone, "slow");
            for (String mode : List.of("p2c", "round_robin", "sticky")) {
                row(mode, run(pool, mode, callers, measure, warmup, NO_HEDGING), alone, "slow");
            }
        }
    }

    private static void row(String mode, Measured m, Measured baseline, String slow) {
        System.out.printf(Locale.ROOT, "   %-22s %8d %9.1f%% %8.2f %8.2f %14.2f%n", mode, m.calls(),
                m.share(slow) * 100, m.pct(50), m.pct(99), m.pct(99) / baseline.pct(99));
    }

    private static void tower(Duration measure, Duration warmup) throws Exception {
        List<Instance> pool = new ArrayList<>();
        pool.add(new Instance("i1ms", "--delay", "1"));
        for (int i = 0; i < 4; i++) {
            pool.add(new Instance("i10ms-" + i, "--delay", "10"));
        }
        for (int i = 0; i < 4; i++) {
            pool.add(new Instance("i100ms-" + i, "--delay", "100"));
        }
        pool.add(new Instance("i1000ms", "--delay", "1000"));
        System.out.printf(Locale.ROOT, "%ntower: ten instances of 1, 4 x 10, 4 x 100 and 1000 ms, 50 calls in"
                + " flight, %d s per mode%n", measure.toSeconds());
        System.out.printf(Locale.ROOT, "   %-14s %8s %9s %9s %9s %10s %10s%n", "mode", "calls", "p50 ms", "p99 ms",
                "p99.9 ms", "to 1000ms", "to 100ms");
        Map<String, Measured> by = new LinkedHashMap<>();
        for (String mode : List.of("p2c", "round_robin")) {
            Measured m = run(pool, mode, 50, measure, warmup, NO_HEDGING);
            by.put(mode, m);
            double to100 = 0;
            for (int i = 0; i < 4; i++) {
                to100 += m.share("i100ms-" + i);
            }
            System.out.printf(Locale.ROOT, "   %-14s %8d %9.1f %9.1f %9.1f %9.2f%% %9.1f%%%n", mode, m.calls(),
                    m.pct(50), m.pct(99), m.pct(99.9), m.share("i1000ms") * 100, to100 * 100);
        }
        Measured p2c = by.get("p2c");
        Measured rr = by.get("round_robin");
        System.out.printf(Locale.ROOT, "   ratio p2c/round robin: p50 %.3f, p99 %.3f, p99.9 %.3f%n",
                p2c.pct(50) / rr.pct(50), p2c.pct(99) / rr.pct(99), p2c.pct(99.9) / rr.pct(99.9));
    }

    private static void hedge(Duration measure, Duration warmup) throws Exception {
        System.out.printf(Locale.ROOT, "%nhedge: two instances of a read-only tool taking 2 ms, 1 %% of its calls 50x"
                + " slower (100 ms), 4 callers, %d s per mode%n", measure.toSeconds());
        System.out.printf(Locale.ROOT, "   %-22s %8s %8s %8s %9s %14s%n", "hedging", "calls", "p50 ms", "p99 ms",
                "p99.9 ms", "extra requests");
        Map<Boolean, Measured> by = new LinkedHashMap<>();
        for (boolean on : new boolean[] {false, true}) {
            Path dir = Files.createTempDirectory("mcp-health-hedge-bench");
            try {
                List<Instance> pool = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    pool.add(new Instance("tailed-" + i, "--delay", "2", "--tail-every", "100", "--tail-factor", "50",
                            "--count", dir.resolve("count-" + i).toString()));
                }
                long[] sent = new long[2];
                Measured m = drive(pool, "p2c", 4, ", \"hedging\": " + on, (mcp, record) -> {
                    mcp.listTools("pool"); // the annotations: echo is read-only, so it may be hedged
                    loop(mcp, 4, warmup, null);
                    sent[0] = requests(dir, 2);
                    loop(mcp, 4, measure, record);
                    sent[1] = requests(dir, 2);
                });
                by.put(on, m);
                System.out.printf(Locale.ROOT, "   %-22s %8d %8.2f %8.2f %9.2f %13.2f%%%n", on ? "on (after p95)" : "off",
                        m.calls(), m.pct(50), m.pct(99), m.pct(99.9), 100.0 * (sent[1] - sent[0] - m.calls())
                                / m.calls());
            } finally {
                delete(dir);
            }
        }
        System.out.printf(Locale.ROOT, "   ratio on/off: p50 %.3f, p99 %.3f, p99.9 %.3f%n",
                by.get(true).pct(50) / by.get(false).pct(50), by.get(true).pct(99) / by.get(false).pct(99),
                by.get(true).pct(99.9) / by.get(false).pct(99.9));
    }

    private static void limit(Duration measure, Duration warmup) throws Exception {
        int capacity = 20;
        int callers = 4 * capacity;
        System.out.printf(Locale.ROOT, "%nlimit: one instance that runs %d calls at once (20 ms each; the rest queue),"
                + " offered %d callers; a shed call's caller waits 5 ms before its next; %d s per mode%n", capacity,
                callers, measure.toSeconds());
        System.out.printf(Locale.ROOT, "   %-28s %12s %10s %12s %12s %8s%n", "concurrency limit", "goodput /s",
                "shed /s", "p50 adm. ms", "p99 adm. ms", "limit");
        for (Map.Entry<String, String> mode : List.of(
                Map.entry("none", ", \"concurrencyLimit\": {\"enabled\": false}"),
                Map.entry("Gradient2 (defaults 20..200)", ""),
                Map.entry("Vegas (initial 20, max 200)", ", \"concurrencyLimit\": {\"algorithm\": \"vegas\"}"))) {
            List<Instance> pool = List.of(new Instance("queueing", "--delay", "20", "--capacity",
                    Integer.toString(capacity)));
            int[] limitSeen = new int[1];
            Measured m = drive(pool, "p2c", callers, ", \"hedging\": false" + mode.getValue(), (mcp, record) -> {
                loop(mcp, callers, warmup, null, true);
                loop(mcp, callers, measure, record, true);
                limitSeen[0] = mcp.monitor().snapshot().stream().filter(st -> st.server().value()
                        .equals("queueing")).findFirst().map(st -> st.details().getOrDefault("concurrencyLimit",
                        "-")).map(v -> v.equals("-") ? -1 : Integer.parseInt(v)).orElse(-1);
            });
            System.out.printf(Locale.ROOT, "   %-28s %12.1f %10.1f %12.2f %12.2f %8s%n", mode.getKey(),
                    m.sorted().length / (double) measure.toSeconds(), m.failed() / (double) measure.toSeconds(),
                    m.pct(50), m.pct(99), limitSeen[0] < 0 ? "-" : Integer.toString(limitSeen[0]));
        }
    }

    /** The requests the instances of a pool received so far, by their count files. */
    private static long requests(Path dir, int instances) throws IOException {
        long sent = 0;
        for (int i = 0; i < instances; i++) {
            Path f = dir.resolve("count-" + i);
            sent += Files.exists(f) ? Files.size(f) : 0;
        }
        return sent;
    }

    private static void budget(int calls) throws Exception {
        System.out.printf(Locale.ROOT, "%nbudget: three instances failing every call (read-only tool: replayable),"
                + " %d calls by 4 callers%n", calls);
        System.out.printf(Locale.ROOT, "   %-38s %8s %10s %16s%n", "retry budget", "calls", "failed", "sent per call");
        for (Map.Entry<String, String> budget : List.of(
                Map.entry("default (20 % + 10/s over 10 s)", ""),
                Map.entry("unbound (10,000/s floor)", ", \"retryBudget\": {\"minPerSecond\": 10000}"))) {
            Path dir = Files.createTempDirectory("mcp-health-budget-bench");
            try {
                List<Instance> pool = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    pool.add(new Instance("failing-" + i, "--fail", "true", "--delay", "1", "--count",
                            dir.resolve("count-" + i).toString()));
                }
                Measured m = runCalls(pool, "p2c", 4, calls, budget.getValue());
                long sent = requests(dir, 3);
                System.out.printf(Locale.ROOT, "   %-38s %8d %10d %16.3f%n", budget.getKey(), m.calls(), m.failed(),
                        sent / (double) m.calls());
            } finally {
                delete(dir);
            }
        }
    }

    /** A fresh McpHealth over {@code pool} balanced as {@code mode}; {@code callers} call for {@code measure}. */
    private static Measured run(List<Instance> pool, String mode, int callers, Duration measure, Duration warmup,
                                String health) throws Exception {
        return drive(pool, mode, callers, health, (mcp, record) -> {
            loop(mcp, callers, warmup, null); // sessions open, estimates learned: not measured
            loop(mcp, callers, measure, record);
        });
    }

    /** A fresh McpHealth over {@code pool}; {@code callers} make {@code calls} calls in all. */
    private static Measured runCalls(List<Instance> pool, String mode, int callers, int calls, String health)
            throws Exception {
        return drive(pool, mode, callers, health, (mcp, record) -> {
            mcp.listTools("pool"); // as the gateway does at its start: what the tools' annotations say is known
            AtomicLong left = new AtomicLong(calls);
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                threads.add(started(() -> {
                    while (left.getAndDecrement() > 0) {
                        call(mcp, record);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
        });
    }

    interface Session {
        void drive(McpHealth mcp, Recorder record) throws Exception;
    }

    /** Latencies of served calls, per caller thread (no contention while measuring), and who served them. */
    static final class Recorder {
        final Map<Thread, long[]> times = new ConcurrentHashMap<>();
        final Map<Thread, int[]> counts = new ConcurrentHashMap<>();
        final Map<String, AtomicLong> byInstance = new ConcurrentHashMap<>();
        final AtomicLong failed = new AtomicLong();

        void served(String by, long nanos) {
            Thread t = Thread.currentThread();
            long[] a = times.computeIfAbsent(t, k -> new long[1 << 16]);
            int[] n = counts.computeIfAbsent(t, k -> new int[1]);
            if (n[0] == a.length) {
                a = Arrays.copyOf(a, a.length * 2);
                times.put(t, a);
            }
            a[n[0]++] = nanos;
            byInstance.computeIfAbsent(by, k -> new AtomicLong()).incrementAndGet();
        }

        Measured measured() {
            int total = counts.values().stream().mapToInt(n -> n[0]).sum();
            long[] all = new long[total];
            int at = 0;
            for (Map.Entry<Thread, long[]> e : times.entrySet()) {
                int n = counts.get(e.getKey())[0];
                System.arraycopy(e.getValue(), 0, all, at, n);
                at += n;
            }
            Arrays.sort(all);
            Map<String, Long> by = new LinkedHashMap<>();
            byInstance.forEach((k, v) -> by.put(k, v.get()));
            return new Measured(all, by, failed.get());
        }
    }

    private static Measured drive(List<Instance> pool, String mode, int callers, String health, Session session)
            throws Exception {
        Path dir = Files.createTempDirectory("mcp-health-balancing-bench");
        Path script = RepoPaths.root().resolve("health-infrastructure/src/test/resources/doubles"
                + "/latency-server-double.mjs");
        StringBuilder servers = new StringBuilder();
        StringBuilder types = new StringBuilder();
        for (Instance i : pool) {
            servers.append(servers.isEmpty() ? "" : ", ").append('"').append(i.name()).append("\": {\"command\":"
                    + " \"node\", \"args\": [\"").append(script).append('"');
            for (String a : i.options()) {
                servers.append(", \"").append(a).append('"');
            }
            servers.append("]}");
            types.append(types.isEmpty() ? "" : ", ").append('"').append(i.name())
                    .append("\": {\"serverType\": \"pool\"}");
        }
        Path config = dir.resolve("mcp.json");
        Files.writeString(config, "{\"mcpServers\": {" + servers + "}, \"health\": {\"defaults\": {\"balancing\": \""
                + mode + "\", \"autoRecovery\": false, \"timeoutMs\": 10000}, \"servers\": {" + types + "},"
                + " \"breaker\": {\"slowCallMs\": 60000, \"consecutiveFailures\": 1000, \"minimumCalls\": 1000,"
                + " \"failureRate\": 1.0}" + health + "}}");
        Recorder record = new Recorder();
        try (McpHealth mcp = McpHealth.builder(config).database(dir.resolve("health.db"))
                .interval(Duration.ofSeconds(1)).start()) {
            session.drive(mcp, record);
        } finally {
            delete(dir);
        }
        return record.measured();
    }

    /** {@code callers} threads calling for {@code d}; recorded when {@code record} is not null. */
    private static void loop(McpHealth mcp, int callers, Duration d, Recorder record) throws InterruptedException {
        loop(mcp, callers, d, record, false);
    }

    /** ... and when {@code backOff}, a caller whose call was not served waits 5 ms before its next, as a client told
     * to retry later would (shortened), instead of spinning. */
    private static void loop(McpHealth mcp, int callers, Duration d, Recorder record, boolean backOff)
            throws InterruptedException {
        long end = System.nanoTime() + d.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            threads.add(started(() -> {
                while (System.nanoTime() < end) {
                    boolean served;
                    if (record == null) {
                        served = mcp.callTool("pool", "echo", Map.of("message", "bench"))
                                instanceof CallToolUseCase.Served;
                    } else {
                        served = call(mcp, record);
                    }
                    if (!served && backOff) {
                        java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private static Thread started(Runnable caller) {
        Thread t = new Thread(caller, "bench-caller");
        t.start();
        return t;
    }

    private static boolean call(McpHealth mcp, Recorder record) {
        long t0 = System.nanoTime();
        CallToolUseCase.Result r = mcp.callTool("pool", "echo", Map.of("message", "bench"));
        long took = System.nanoTime() - t0;
        if (r instanceof CallToolUseCase.Served s && !s.reply().error()) {
            record.served(s.servedBy().value(), took);
            return true;
        }
        record.failed.incrementAndGet();
        return false;
    }

    private static void delete(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
