package dev.mcphealth.bench;

import dev.mcphealth.application.port.in.FlushMonitoringUseCase;
import dev.mcphealth.application.port.in.FlushReport;
import dev.mcphealth.application.port.in.PruneHistoryUseCase;
import dev.mcphealth.application.port.in.RunScheduledProbeUseCase;
import dev.mcphealth.application.port.out.MonitorEventPort;
import dev.mcphealth.application.port.out.ProbePort;
import dev.mcphealth.application.monitoring.Monitoring;
import dev.mcphealth.application.monitoring.MonitoringSettings;
import dev.mcphealth.application.history.PruneHistoryService;
import dev.mcphealth.domain.model.CheckDepth;
import dev.mcphealth.domain.model.FailoverConfig;
import dev.mcphealth.domain.model.FallbackStrategy;
import dev.mcphealth.domain.model.Handshake;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ProbeMethod;
import dev.mcphealth.domain.model.ProbeOutcome;
import dev.mcphealth.domain.model.ProbeReport;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerInfo;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.StatusSnapshot;
import dev.mcphealth.domain.model.Thresholds;
import dev.mcphealth.domain.model.TransportKind;
import dev.mcphealth.infrastructure.config.Endpoint;
import dev.mcphealth.infrastructure.persistence.JdbcAlertStore;
import dev.mcphealth.infrastructure.persistence.SqliteDatabase;
import dev.mcphealth.infrastructure.persistence.JdbcFailureStore;
import dev.mcphealth.infrastructure.persistence.JdbcMetricStore;
import dev.mcphealth.infrastructure.persistence.JdbcRetention;
import dev.mcphealth.infrastructure.persistence.JdbcStatusStore;
import dev.mcphealth.infrastructure.probe.McpProbe;
import dev.mcphealth.infrastructure.scheduler.MonitorScheduler;
import dev.mcphealth.testkit.EverythingServer;
import io.modelcontextprotocol.json.McpJsonDefaults;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * How many streamable-HTTP servers one process can watch at a 1 s interval with a probe-loop lag p99 under 50 ms, and
 * what it costs, side by side with a baseline in the same run (docs/benchmarks.md, "Watching many servers").
 *
 * <p>Each step of the plan is a target and a number N of servers. For each step, two phases run one after the other,
 * each against freshly started node processes of the target ({@code nodes}, N sessions spread round-robin over them,
 * every session its own {@link ServerId}, so N sessions):
 * <ul>
 *   <li><b>baseline</b>: one {@link McpProbe} and one {@link ScheduledThreadPoolExecutor} firing the bare
 *       {@code McpProbe.probe} for every server once a second (a run that fell a whole second behind is skipped and
 *       counted as missed) — what any 1 s watcher must do, nothing more: no engine, no database;</li>
 *   <li><b>engine</b>: the production wiring — {@link McpProbe}, SQLite stores on a temp file
 *       ({@link SqliteDatabase#open}), {@link Monitoring} with {@link MonitoringSettings#defaults()}, a no-op
 *       event port that counts, {@link MonitorScheduler} with hourly pruning — every server at a 1 s interval.</li>
 * </ul>
 * Targets: {@code everything} is the real {@code @modelcontextprotocol/server-everything} over streamable HTTP;
 * {@code lite} is {@code bench/lite-streamable-http-server.mjs}, the same wire format (SSE answers, session header,
 * open GET stream) at about a tenth of server-everything's CPU per request, so that the monitor's own limit shows;
 * {@code stub} probes nothing (an instant answer): what is left is the loop's own cost.
 *
 * <p>Each phase is warmed up (sessions open in it), then measured over a window: the probe-loop lag (start of each
 * probe minus its scheduled time, every probe of the window, measured around the use case the scheduler calls),
 * missed probes, probes per second, failed probes, the probe's round trip, this JVM's CPU (getProcessCpuTime), the node
 * servers' CPU (/proc/PID/stat), the rest of the machine's load ("others", from /proc/stat: another build on the
 * machine shows there), rows written, the write buffer's depth and drops, the longest flush, heap and threads. The
 * engine's own view (its {@code mcp-health} status row, last minute) is printed beside. Within a target, stepping stops
 * after the first step whose engine phase misses the bar (p99 lag under 50 ms, no missed and no failed probe).
 *
 * <p>Options, as {@code key=value} arguments or {@code -Dbench.options="..."}:
 * {@code plan=everything:250,everything:500,lite:1000,lite:2000} (or {@code steps=250,500} with
 * {@code target=everything}), {@code warmup=15} {@code measure=30} (seconds), {@code nodes=4} (node processes),
 * {@code baselineThreads=32}, {@code baseline=true}, {@code engine=true}, {@code keepGoing=false} (go on after a step
 * that misses the bar), {@code jvmWarmup=45} (seconds of an unmeasured engine run first: the JIT takes about a minute to
 * settle), {@code trace=false} (a line a second). The default run takes about 8 minutes.
 * Run: {@code mvn -B -Pbench -Dbench=watch -pl health-infrastructure -am -DskipTests verify}
 */
public final class WatchBench {
    /**
     * With fewer than 2, CompletableFuture's default executor starts a thread per task, and the JDK 17 HTTP client
     * completes every sendAsync on it: a new thread per HTTP response. The CLI's Main raises it to 2 on 2-core
     * machines; {@link Bench} does the same; {@code -Djava.util.concurrent.ForkJoinPool.common.parallelism=1} shows
     * the difference.
     */
    static final String COMMON_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final double LAG_BAR_MS = 50.0;
    private static final List<Target> RUNNING = new CopyOnWriteArrayList<>();

    private WatchBench() {
    }

    // ---- options ----------------------------------------------------------------------------------------------

    /** A bad option or plan: said in one line by {@link Bench}, with no stack trace. */
    static final class BadOption extends IllegalArgumentException {
        BadOption(String message) {
            super(message);
        }
    }

    /** One step: N sessions to servers of one kind. */
    record Step(String target, int n) {
        static Step parse(String s, String defaultTarget) {
            int colon = s.indexOf(':');
            Step step;
            try {
                step = colon < 0 ? new Step(defaultTarget, Integer.parseInt(s.trim()))
                        : new Step(s.substring(0, colon).trim(), Integer.parseInt(s.substring(colon + 1).trim()));
            } catch (NumberFormatException e) {
                throw new BadOption("a plan's step is [target:]N with N a whole number, got " + s);
            }
            if (!List.of("everything", "lite", "stub").contains(step.target())) {
                throw new BadOption("a target is everything, lite or stub, got " + step.target());
            }
            if (step.n() < 1) {
                throw new BadOption("a plan's step watches at least 1 server, got " + s);
            }
            return step;
        }

        @Override
        public String toString() {
            return target + ":" + n;
        }
    }

    /** The default run: the real server-everything as far as it goes, then the lite server towards 1,000 and past. */
    static final String DEFAULT_PLAN = "everything:250,everything:500,lite:1000,lite:2000";

    record Options(List<Step> plan, Duration warmup, Duration measure, int nodes, int baselineThreads,
                   boolean baseline, boolean engine, boolean keepGoing, Duration jvmWarmup, boolean trace) {
        static Options parse(String[] args) {
            Map<String, String> o = new HashMap<>();
            for (String a : args) {
                if (a.isBlank()) {
                    continue;
                }
                int eq = a.indexOf('=');
                if (eq < 1) {
                    throw new BadOption("options are key=value, got " + a);
                }
                o.put(a.substring(0, eq), a.substring(eq + 1));
            }
            String target = o.getOrDefault("target", "everything");
            String plan = o.containsKey("steps") ? o.get("steps") : o.getOrDefault("plan", DEFAULT_PLAN);
            Options r = new Options(
                    Arrays.stream(plan.split(",")).map(x -> Step.parse(x, target)).toList(),
                    Duration.ofSeconds(number(o, "warmup", 15, 0)),
                    Duration.ofSeconds(number(o, "measure", 30, 1)),
                    (int) number(o, "nodes", 4, 1),
                    (int) number(o, "baselineThreads", 32, 1),
                    Boolean.parseBoolean(o.getOrDefault("baseline", "true")),
                    Boolean.parseBoolean(o.getOrDefault("engine", "true")),
                    Boolean.parseBoolean(o.getOrDefault("keepGoing", "false")),
                    Duration.ofSeconds(number(o, "jvmWarmup", 45, 0)),
                    Boolean.parseBoolean(o.getOrDefault("trace", "false")));
            o.keySet().removeAll(List.of("plan", "steps", "target", "warmup", "measure", "nodes", "baselineThreads",
                    "baseline", "engine", "keepGoing", "jvmWarmup", "trace"));
            if (!o.isEmpty()) {
                throw new BadOption("unknown options " + o.keySet());
            }
            return r;
        }

        /** A whole number option (seconds, counts), at least {@code min}; one message naming the option if not. */
        private static long number(Map<String, String> o, String key, long fallback, long min) {
            String v = o.getOrDefault(key, Long.toString(fallback));
            try {
                long n = Long.parseLong(v.trim());
                if (n >= min && n <= Integer.MAX_VALUE) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // said below
            }
            throw new BadOption(key + " is a whole number of at least " + min + " (seconds for times), got " + v);
        }

        Options times(Duration warm, Duration window) {
            return new Options(plan, warm, window, nodes, baselineThreads, baseline, engine, keepGoing, jvmWarmup,
                    trace);
        }
    }

    // ---- main -------------------------------------------------------------------------------------------------

    public static void main(String[] args) throws Exception {
        Options opt = Options.parse(args);
        Thread cleanup = new Thread(WatchBench::stopAllServers, "watch-bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        Path dir = Files.createTempDirectory("mcp-health-watch-bench");
        List<Phase> results = new ArrayList<>();
        try {
            System.out.println("MCP Health watching N streamable-HTTP servers at a 1 s interval: engine vs baseline");
            System.out.println(machine());
            System.out.printf(Locale.ROOT, "options: plan=%s jvmWarmup=%ds warmup=%ds measure=%ds nodes=%d"
                            + " baselineThreads=%d%n", opt.plan(), opt.jvmWarmup().toSeconds(),
                    opt.warmup().toSeconds(), opt.measure().toSeconds(), opt.nodes(), opt.baselineThreads());
            if (!opt.jvmWarmup().isZero()) {
                // JIT: the SDK, Reactor, the JDK HTTP client and Jackson are still being compiled for about a minute
                Step first = opt.plan().get(0);
                int n = Math.min(200, first.n());
                System.out.println("JVM warm-up: the engine with " + first.target() + ":" + n + " for "
                        + opt.jvmWarmup().toSeconds() + " s, not measured");
                runPhase("engine", new Step(first.target(), n), opt.times(opt.jvmWarmup(), Duration.ofSeconds(1)),
                        dir);
            }
            System.out.println();
            Phase.header();
            java.util.Set<String> failed = new java.util.HashSet<>();
            for (Step step : opt.plan()) {
                if (failed.contains(step.target()) && !opt.keepGoing()) {
                    System.out.println("   (skipping " + step + ": a smaller N of " + step.target()
                            + " missed the bar)");
                    continue;
                }
                Phase base = null;
                if (opt.baseline()) {
                    base = runPhase("baseline", step, opt, dir);
                    results.add(base);
                    base.print();
                }
                Phase engine = null;
                if (opt.engine()) {
                    engine = runPhase("engine", step, opt, dir);
                    results.add(engine);
                    engine.print();
                }
                if (base != null && engine != null) {
                    System.out.printf(Locale.ROOT, "   %s ratio engine/baseline: JVM CPU per probe %.2f, lag p99 %.2f ms"
                                    + " vs %.2f ms%n", step, engine.cpuPerProbeMicros() / base.cpuPerProbeMicros(),
                            engine.lagMs(99), base.lagMs(99));
                }
                Phase judged = engine != null ? engine : base;
                if (judged != null && !judged.meetsBar()) {
                    failed.add(step.target());
                }
            }
        } finally {
            stopAllServers();
            deleteTree(dir);
        }
        summary(results);
    }

    private static void summary(List<Phase> results) {
        System.out.println();
        System.out.println("Summary (bar: probe-loop lag p99 < " + LAG_BAR_MS + " ms, no missed and no failed probe)");
        for (String target : results.stream().map(p -> p.target).distinct().toList()) {
            for (String name : List.of("baseline", "engine")) {
                List<Phase> of = results.stream().filter(p -> p.target.equals(target) && p.name.equals(name)).toList();
                if (of.isEmpty()) {
                    continue;
                }
                of.stream().filter(Phase::meetsBar).max(Comparator.comparingInt(p -> p.n)).ifPresentOrElse(
                        p -> System.out.printf(Locale.ROOT, "   %-10s %-8s largest N meeting the bar: %d (lag p99 %.2f"
                                        + " ms, JVM %.1f%% of one core = %.1f%% of the machine, node %.1f%% of one"
                                        + " core)%n", target, name, p.n, p.lagMs(99), p.jvmCoresPct(),
                                p.jvmCoresPct() / Runtime.getRuntime().availableProcessors(), p.nodeCoresPct()),
                        () -> System.out.printf(Locale.ROOT, "   %-10s %-8s no N met the bar%n", target, name));
            }
        }
        Map<String, List<Phase>> bySteps = results.stream()
                .collect(Collectors.groupingBy(p -> p.target + ":" + p.n, java.util.LinkedHashMap::new,
                        Collectors.toList()));
        bySteps.forEach((step, ps) -> {
            Optional<Phase> b = ps.stream().filter(p -> p.name.equals("baseline")).findFirst();
            Optional<Phase> e = ps.stream().filter(p -> p.name.equals("engine")).findFirst();
            if (b.isPresent() && e.isPresent()) {
                System.out.printf(Locale.ROOT, "   %-16s engine/baseline: JVM CPU per probe %.2f (%.0f vs %.0f us),"
                                + " lag p50 %.2f vs %.2f ms, p99 %.2f vs %.2f ms%n", step,
                        e.get().cpuPerProbeMicros() / b.get().cpuPerProbeMicros(), e.get().cpuPerProbeMicros(),
                        b.get().cpuPerProbeMicros(), e.get().lagMs(50), b.get().lagMs(50), e.get().lagMs(99),
                        b.get().lagMs(99));
            }
        });
    }

    // ---- one phase --------------------------------------------------------------------------------------------

    private static Phase runPhase(String name, Step step, Options opt, Path dir) throws Exception {
        System.gc();
        int n = step.n();
        boolean stub = step.target().equals("stub");
        List<Target> nodes = stub ? List.of() : startServers(step.target(), opt.nodes());
        try {
            Map<ServerId, Endpoint> endpoints = new HashMap<>();
            List<MonitoredServer> servers = new ArrayList<>();
            ServerType type = ServerType.of("everything");
            FailoverConfig failover = new FailoverConfig(type, FallbackStrategy.GRACEFUL_DEGRADATION,
                    Optional.empty(), true, FailoverConfig.DEFAULT_MAX_RETRY_ATTEMPTS, FailoverConfig.DEFAULT_RETRY_DELAY,
                    INTERVAL, Optional.empty());
            for (int i = 0; i < n; i++) {
                ServerId id = ServerId.of(String.format(Locale.ROOT, "everything-%05d", i));
                if (!stub) {
                    Target node = nodes.get(i % nodes.size());
                    endpoints.put(id, new Endpoint.Http(URI.create(node.url()), Map.of(), false));
                }
                servers.add(new MonitoredServer(id, type, TransportKind.STREAMABLE_HTTP, MonitoredServer.DEFAULT_TIMEOUT,
                        MonitoredServer.DEFAULT_CONNECT_TIMEOUT, Thresholds.DEFAULTS, failover));
            }
            Window w = new Window(n, opt.measure());
            GcPauses.into(w);
            McpProbe mcp = new McpProbe(id -> Optional.ofNullable(endpoints.get(id)), Clock.systemUTC(),
                    System::nanoTime, McpJsonDefaults.getMapper(), "bench");
            CountingProbe probe = new CountingProbe(stub ? new StubProbe() : mcp, w);
            try {
                Phase p = name.equals("engine") ? engine(n, servers, probe, w, opt, dir, nodes)
                        : baseline(n, servers, probe, w, opt, nodes);
                p.target = step.target();
                return p;
            } finally {
                mcp.close();
            }
        } finally {
            nodes.forEach(Target::close);
            RUNNING.removeAll(nodes);
        }
    }

    private static Phase baseline(int n, List<MonitoredServer> servers, ProbePort probe, Window w, Options opt,
                                  List<Target> nodes) throws Exception {
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(opt.baselineThreads(), r -> {
            Thread t = new Thread(r, "baseline-probe");
            t.setDaemon(true);
            return t;
        });
        long period = INTERVAL.toNanos();
        long start = System.nanoTime() + 50_000_000L;
        for (int i = 0; i < servers.size(); i++) {
            MonitoredServer s = servers.get(i);
            long first = start + period * i / servers.size();
            AtomicLong k = new AtomicLong();
            ex.scheduleAtFixedRate(() -> {
                long due = first + k.getAndIncrement() * period;
                long lag = System.nanoTime() - due;
                if (lag >= period) {
                    // a run that fell a whole interval behind: skipped and counted, as the engine does
                    w.started(-1, 1);
                    return;
                }
                w.started(lag / 1_000, 0);
                try {
                    probe.probe(s, CheckDepth.BASIC);
                } catch (RuntimeException e) {
                    if (w.on) {
                        w.failed.increment(); // a probe never throws for a server's failure: this would be a bug
                    }
                }
            }, first - System.nanoTime(), period, TimeUnit.NANOSECONDS);
        }
        try {
            return measure("baseline", n, w, opt, nodes);
        } finally {
            ex.shutdownNow();
            ex.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static Phase engine(int n, List<MonitoredServer> servers, ProbePort probe, Window w, Options opt, Path dir,
                                List<Target> nodes) throws Exception {
        Path file = dir.resolve("watch-" + n + "-" + System.nanoTime() + ".db");
        Clock clock = Clock.systemUTC();
        try (SqliteDatabase db = SqliteDatabase.open(file)) {
            MonitorEventPort events = e -> w.events.increment();
            // the catalog as the production wiring makes it (ConfigModule): servers found by id, not by a scan of all
            // each store's write (a transaction) timed, for the window's database-write percentiles
            JdbcMetricStore metrics = new JdbcMetricStore(db);
            JdbcFailureStore failures = new JdbcFailureStore(db);
            JdbcAlertStore alerts = new JdbcAlertStore(db);
            JdbcStatusStore statuses = new JdbcStatusStore(db);
            Monitoring m = new Monitoring(new dev.mcphealth.application.catalog.LiveServerCatalog(() -> servers), probe,
                    rows -> w.timedWrite("metrics", rows.size(), () -> metrics.append(rows)),
                    rows -> w.timedWrite("failures", rows.size(), () -> failures.record(rows)),
                    rows -> w.timedWrite("alerts", rows.size(), () -> alerts.save(rows)),
                    rows -> w.timedWrite("statuses", rows.size(), () -> statuses.save(rows)), events, clock,
                    MonitoringSettings.defaults());
            RunScheduledProbeUseCase timed = c -> {
                Instant now = clock.instant();
                w.started(Math.max(0, Duration.between(c.scheduledAt(), now).toNanos() / 1_000), c.missedBefore());
                return m.intake().probe(c);
            };
            FlushMonitoringUseCase flush = new FlushMonitoringUseCase() {
                @Override
                public FlushReport flush() {
                    return m.flusher().flush();
                }

                @Override
                public FlushReport flushDue() { // the scheduler's periodic flush, as in production
                    long t0 = System.nanoTime();
                    FlushReport r = m.flusher().flushDue();
                    long t1 = System.nanoTime();
                    w.flushed(r, t1 - t0);
                    if (w.on) {
                        w.flushSpans.add(new long[] {t0, t1});
                    }
                    return r;
                }
            };
            MonitorScheduler scheduler = new MonitorScheduler(m.schedule(), timed, flush, m.flusher(),
                    Optional.of(new PruneHistoryService(new JdbcRetention(db), clock)),
                    PruneHistoryUseCase.Command.DEFAULTS, r -> { });
            scheduler.start();
            try {
                Phase p = measure("engine", n, w, opt, nodes);
                List<StatusSnapshot> all = m.board().snapshot();
                StatusSnapshot self = all.get(all.size() - 1);
                p.selfView = self.details().entrySet().stream()
                        .filter(e -> List.of("lagP50Ms", "lagP99Ms", "missedProbes", "bufferDepth", "droppedRows",
                                "dbWriteP99Ms").contains(e.getKey()))
                        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
                return p;
            } finally {
                scheduler.stop(Duration.ofSeconds(10));
            }
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(Path.of(file + "-wal"));
            Files.deleteIfExists(Path.of(file + "-shm"));
        }
    }

    /** Waits out the warm-up, then measures the window; the phase keeps running meanwhile. */
    private static Phase measure(String name, int n, Window w, Options opt, List<Target> nodes)
            throws InterruptedException {
        Thread tracer = null;
        if (opt.trace()) {
            tracer = new Thread(() -> trace(name, n, w), "watch-bench-trace");
            tracer.setDaemon(true);
            tracer.start();
        }
        try {
            return measured(name, n, w, opt, nodes);
        } finally {
            if (tracer != null) {
                tracer.interrupt();
            }
        }
    }

    /** Once a second, what the last second looked like (trace=true). */
    private static void trace(String name, int n, Window w) {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long t0 = System.nanoTime();
        long cpu = os.getProcessCpuTime();
        try {
            while (true) {
                Thread.sleep(1000);
                long c = os.getProcessCpuTime();
                System.out.printf(Locale.ROOT, "   trace %s N=%d t=%3ds started=%4d missed=%4d probed=%4d lagMax=%7.1fms"
                                + " rttMax=%7.1fms JVM=%3.0f%% threads=%d%s%n", name, n,
                        (System.nanoTime() - t0) / 1_000_000_000L, w.tStarted.sumThenReset(), w.tMissed.sumThenReset(),
                        w.tProbes.sumThenReset(), w.tMaxLag.getThenReset() / 1e3, w.tMaxRtt.getThenReset() / 1e3,
                        (c - cpu) / 1e7, ManagementFactory.getThreadMXBean().getThreadCount(), w.on ? " *" : "");
                cpu = c;
            }
        } catch (InterruptedException done) {
            // phase over
        }
    }

    private static Phase measured(String name, int n, Window w, Options opt, List<Target> nodes)
            throws InterruptedException {
        Thread.sleep(opt.warmup().toMillis());
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long node0 = nodes.stream().mapToLong(s -> cpuTicks(s.pid())).sum();
        long[] machine0 = machineTicks();
        long gc0 = gcMillis();
        Map<Long, long[]> threads0 = threadCpu();
        long wall0 = System.nanoTime();
        w.on = true;
        long end = wall0 + opt.measure().toNanos();
        long maxHeap = 0;
        int maxThreads = 0;
        while (System.nanoTime() < end) {
            Thread.sleep(Math.max(1, Math.min(1000, (end - System.nanoTime()) / 1_000_000)));
            maxHeap = Math.max(maxHeap, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
            maxThreads = Math.max(maxThreads, ManagementFactory.getThreadMXBean().getThreadCount());
        }
        w.on = false;
        double seconds = (System.nanoTime() - wall0) / 1e9;
        long cpu1 = os.getProcessCpuTime();
        Map<String, Long> byGroup = cpuByThreadGroup(threads0);
        long node1 = nodes.stream().mapToLong(s -> cpuTicks(s.pid())).sum();
        long[] machine1 = machineTicks();
        Phase p = new Phase(name, n, seconds, w);
        p.jvmCpuSec = (cpu1 - cpu0) / 1e9;
        p.nodeCpuSec = (node1 - node0) / (double) CLK_TCK;
        p.machineBusySec = ((machine1[0] - machine0[0]) / (double) CLK_TCK);
        p.gcMs = gcMillis() - gc0;
        p.maxHeap = maxHeap;
        p.maxThreads = maxThreads;
        p.nodeRssMb = nodes.stream().mapToLong(s -> rssKb(s.pid())).sum() / 1024.0;
        long accounted = byGroup.values().stream().mapToLong(Long::longValue).sum();
        byGroup.put("threads gone since", Math.max(0, (cpu1 - cpu0) - accounted));
        p.threadCpu = byGroup.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .filter(e -> e.getValue() / 1e9 / seconds >= 0.005)
                .map(e -> String.format(Locale.ROOT, "%s %.0f%%", e.getKey(), 100 * e.getValue() / 1e9 / seconds))
                .collect(Collectors.joining(", "));
        Map<String, Integer> counts = new HashMap<>();
        for (java.lang.management.ThreadInfo info : ManagementFactory.getThreadMXBean().getThreadInfo(
                ManagementFactory.getThreadMXBean().getAllThreadIds())) {
            if (info != null) {
                counts.merge(group(info.getThreadName()), 1, Integer::sum);
            }
        }
        p.threadCounts = counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(12)
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        return p;
    }

    // ---- what a phase records ---------------------------------------------------------------------------------

    /** Counts while {@link #on}: the measured window. */
    static final class Window {
        volatile boolean on;
        final AtomicLongArray lags;
        /** When each of {@link #lags}' probes started (nanoTime): its due time is that minus its lag. */
        final AtomicLongArray startedAt;
        final AtomicInteger lagCount = new AtomicInteger();
        /** The window's GC pauses and database writes, as [start, end] nanoTime pairs: what a late probe ran into. */
        final java.util.Queue<long[]> gcPauses = new java.util.concurrent.ConcurrentLinkedQueue<>();
        final java.util.Queue<long[]> writeSpans = new java.util.concurrent.ConcurrentLinkedQueue<>();
        final java.util.Queue<long[]> flushSpans = new java.util.concurrent.ConcurrentLinkedQueue<>();
        final AtomicLongArray rtts;
        final AtomicInteger rttCount = new AtomicInteger();
        final LongAdder probes = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder missed = new LongAdder();
        final LongAdder events = new LongAdder();
        final LongAdder rows = new LongAdder();
        final LongAdder flushes = new LongAdder();
        final LongAccumulator maxPending = new LongAccumulator(Math::max, 0);
        final LongAccumulator maxFlushNanos = new LongAccumulator(Math::max, 0);
        final AtomicLong droppedAtStart = new AtomicLong(-1);
        final AtomicLong droppedLast = new AtomicLong();

        Window(int n, Duration measure) {
            int capacity = (int) Math.min(Integer.MAX_VALUE - 8, (long) n * (measure.toSeconds() + 5) * 2);
            lags = new AtomicLongArray(capacity);
            startedAt = new AtomicLongArray(capacity);
            rtts = new AtomicLongArray(capacity);
        }

        final LongAdder tStarted = new LongAdder();
        final LongAdder tMissed = new LongAdder();
        final LongAdder tProbes = new LongAdder();
        final LongAccumulator tMaxLag = new LongAccumulator(Math::max, 0);
        final LongAccumulator tMaxRtt = new LongAccumulator(Math::max, 0);

        void started(long lagMicros, int missedBefore) {
            tMissed.add(missedBefore);
            if (lagMicros >= 0) {
                tStarted.increment();
                tMaxLag.accumulate(lagMicros);
            }
            if (!on) {
                return;
            }
            missed.add(missedBefore);
            if (lagMicros < 0) {
                return; // skipped: missed, no lag of its own
            }
            int i = lagCount.getAndIncrement();
            if (i < lags.length()) {
                lags.set(i, lagMicros);
                startedAt.set(i, System.nanoTime());
            }
        }

        void probed(long rttMicros, boolean ok) {
            tProbes.increment();
            tMaxRtt.accumulate(rttMicros);
            if (!on) {
                return;
            }
            probes.increment();
            if (!ok) {
                failed.increment();
            }
            int i = rttCount.getAndIncrement();
            if (i < rtts.length()) {
                rtts.set(i, rttMicros);
            }
        }

        /** Database writes (transactions) timed in the window. */
        final AtomicLongArray writes = new AtomicLongArray(1 << 16);
        final java.util.concurrent.atomic.AtomicInteger writeCount = new java.util.concurrent.atomic.AtomicInteger();

        /** Per kind of write: {count, rows, longest nanos, rows of the longest}. */
        final Map<String, long[]> writesByKind = new java.util.concurrent.ConcurrentHashMap<>();

        void timedWrite(String kind, int rows, Runnable write) {
            long t0 = System.nanoTime();
            write.run();
            if (on) {
                long t1 = System.nanoTime();
                writesByKind.compute(kind, (k, v) -> {
                    long[] x = v == null ? new long[4] : v;
                    x[0]++;
                    x[1] += rows;
                    if (t1 - t0 > x[2]) {
                        x[2] = t1 - t0;
                        x[3] = rows;
                    }
                    return x;
                });
                writeSpans.add(new long[] {t0, t1});
                int i = writeCount.getAndIncrement();
                if (i < writes.length()) {
                    writes.set(i, t1 - t0);
                }
            }
        }

        void flushed(FlushReport r, long nanos) {
            if (!on) {
                droppedAtStart.compareAndSet(-1, r.dropped());
                return;
            }
            droppedAtStart.compareAndSet(-1, r.dropped());
            flushes.increment();
            rows.add(r.written());
            maxPending.accumulate(r.pending());
            maxFlushNanos.accumulate(nanos);
            droppedLast.set(r.dropped());
        }

        static long[] sorted(AtomicLongArray a, int count) {
            int n = Math.min(count, a.length());
            long[] s = new long[n];
            for (int i = 0; i < n; i++) {
                s[i] = a.get(i);
            }
            Arrays.sort(s);
            return s;
        }
    }

    /** The probe, timed and counted: both phases go through it. */
    static final class CountingProbe implements ProbePort {
        private final ProbePort delegate;
        private final Window w;

        CountingProbe(ProbePort delegate, Window w) {
            this.delegate = delegate;
            this.w = w;
        }

        @Override
        public ProbeReport probe(MonitoredServer server, CheckDepth depth) {
            long t0 = System.nanoTime();
            ProbeReport r = delegate.probe(server, depth);
            w.probed((System.nanoTime() - t0) / 1_000, r.outcome() instanceof ProbeOutcome.Answered);
            return r;
        }
    }

    /**
     * target=stub: answers at once as a kept session would (a 2 ms ping), no network, no node: what is left of a
     * phase's CPU is the loop around the probe — for the engine, its own cost.
     */
    static final class StubProbe implements ProbePort {
        private static final Handshake HANDSHAKE = new Handshake(Duration.ofMillis(20), "2025-11-25",
                new ServerInfo("stub", "1"));
        private final Map<ServerId, Boolean> opened = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public ProbeReport probe(MonitoredServer server, CheckDepth depth) {
            boolean first = opened.putIfAbsent(server.id(), Boolean.TRUE) == null;
            return new ProbeReport(server.id(), Instant.now(), Optional.of(HANDSHAKE), first,
                    new ProbeOutcome.Answered(Duration.ofMillis(2), ProbeMethod.PING, Optional.empty()));
        }
    }

    static final class Phase {
        final String name;
        final int n;
        final double seconds;
        final long[] lags;
        final long[] rtts;
        final long probes;
        final long failed;
        final long missed;
        final long rows;
        final long events;
        final long maxPending;
        final long dropped;
        final double flushMaxMs;
        /** The window's database writes, each a transaction, in nanoseconds, sorted. */
        final long[] writes;
        /** Probes late by more than {@link #LATE_MICROS}: all, those whose wait overlapped a GC pause, a write. */
        final long late;
        final long lateInGc;
        final long lateInWrite;
        final long lateInFlush;
        final String writeKinds;
        double jvmCpuSec;
        double nodeCpuSec;
        double machineBusySec;
        double nodeRssMb;
        long gcMs;
        long maxHeap;
        int maxThreads;
        String selfView = "";
        String target = "";
        String threadCpu = "";
        String threadCounts = "";

        Phase(String name, int n, double seconds, Window w) {
            this.name = name;
            this.n = n;
            this.seconds = seconds;
            this.lags = Window.sorted(w.lags, w.lagCount.get());
            this.rtts = Window.sorted(w.rtts, w.rttCount.get());
            this.probes = w.probes.sum();
            this.failed = w.failed.sum();
            this.missed = w.missed.sum();
            this.rows = w.rows.sum();
            this.events = w.events.sum();
            this.maxPending = w.maxPending.get();
            this.dropped = w.droppedAtStart.get() < 0 ? 0 : w.droppedLast.get() - w.droppedAtStart.get();
            this.flushMaxMs = w.maxFlushNanos.get() / 1e6;
            this.writes = Window.sorted(w.writes, Math.min(w.writeCount.get(), w.writes.length()));
            long[] gc = spans(w.gcPauses);
            long[] wr = spans(w.writeSpans);
            long[] fl = spans(w.flushSpans);
            long inFlush = 0;
            long all = 0;
            long inGc = 0;
            long inWrite = 0;
            for (int i = 0, m = Math.min(w.lagCount.get(), w.lags.length()); i < m; i++) {
                long lag = w.lags.get(i);
                if (lag <= LATE_MICROS) {
                    continue;
                }
                all++;
                long startedAt = w.startedAt.get(i);
                long due = startedAt - lag * 1_000;
                if (overlaps(gc, due, startedAt)) {
                    inGc++;
                } else if (overlaps(wr, due, startedAt)) {
                    inWrite++;
                } else if (overlaps(fl, due, startedAt)) {
                    inFlush++;
                }
            }
            this.late = all;
            this.lateInGc = inGc;
            this.lateInWrite = inWrite;
            this.lateInFlush = inFlush;
            this.writeKinds = w.writesByKind.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .map(e -> String.format(Locale.ROOT, "%s %d (%.0f rows each, longest %.1f ms of %d rows)", e.getKey(),
                            e.getValue()[0], e.getValue()[1] / (double) e.getValue()[0], e.getValue()[2] / 1e6,
                            e.getValue()[3]))
                    .collect(Collectors.joining(", "));
        }

        /** Late: the lag a probe is counted late past when its wait is traced to a GC pause or a write. */
        static final long LATE_MICROS = 500;

        private static long[] spans(java.util.Queue<long[]> q) {
            long[] flat = new long[q.size() * 2];
            int k = 0;
            for (long[] span : q) {
                if (k + 1 < flat.length) {
                    flat[k++] = span[0];
                    flat[k++] = span[1];
                }
            }
            return flat;
        }

        private static boolean overlaps(long[] spans, long from, long to) {
            for (int i = 0; i + 1 < spans.length; i += 2) {
                if (spans[i] < to && spans[i + 1] > from) {
                    return true;
                }
            }
            return false;
        }

        double lagMs(int p) {
            return pct(lags, p) / 1e3;
        }

        double lagMaxMs() {
            return lags.length == 0 ? Double.NaN : lags[lags.length - 1] / 1e3;
        }

        double jvmCoresPct() {
            return 100 * jvmCpuSec / seconds;
        }

        double nodeCoresPct() {
            return 100 * nodeCpuSec / seconds;
        }

        double cpuPerProbeMicros() {
            return probes == 0 ? Double.NaN : jvmCpuSec * 1e6 / probes;
        }

        boolean meetsBar() {
            return lags.length > 0 && lagMs(99) < LAG_BAR_MS && missed == 0 && failed == 0;
        }

        static void header() {
            System.out.printf(Locale.ROOT, "%-19s %5s %7s %8s %8s %8s %6s %5s %8s %8s %7s %6s %7s %6s %7s %6s %7s %6s"
                            + " %6s %5s%n", "phase@target", "N", "probe/s", "lag p50", "lag p99", "lag max", "missed", "fail",
                    "rtt p50", "rtt p99", "JVM %1c", "us/prb", "node %1c", "others", "rows/s", "buf", "flushmx",
                    "heapMB", "gc ms", "thr");
        }

        void print() {
            System.out.printf(Locale.ROOT, "%-19s %5d %7.1f %8.2f %8.2f %8.1f %6d %5d %8.2f %8.2f %7.1f %6.0f %7.1f"
                            + " %6.2f %7.0f %6d %7.1f %6.0f %6d %5d%n", name + "@" + target, n, probes / seconds, lagMs(50), lagMs(99),
                    lagMaxMs(), missed, failed, pct(rtts, 50) / 1e3, pct(rtts, 99) / 1e3, jvmCoresPct(),
                    cpuPerProbeMicros(), 100 * nodeCpuSec / seconds,
                    (machineBusySec - jvmCpuSec - nodeCpuSec) / seconds, rows / seconds, maxPending, flushMaxMs,
                    maxHeap / 1048576.0, gcMs, maxThreads);
            System.out.println("         JVM CPU by thread (% of one core): " + threadCpu);
            if (writes.length > 0) {
                System.out.printf(Locale.ROOT, "         database writes in the window (each a transaction): %d, p50 %.1f ms,"
                        + " p99 %.1f ms, max %.1f ms%n", writes.length, pct(writes, 50) / 1e6, pct(writes, 99) / 1e6,
                        writes[writes.length - 1] / 1e6);
                System.out.println("           by kind: " + writeKinds);
            }
            if (lags.length > 0) {
                System.out.printf(Locale.ROOT, "         probes started over %.1f ms late: %d (%.2f %%): while a GC paused the"
                                + " JVM %d, else while a database write ran %d, else in the rest of a flush %d, none of these"
                                + " %d%n", LATE_MICROS / 1e3, late, 100.0 * late / lags.length, lateInGc, lateInWrite,
                        lateInFlush, late - lateInGc - lateInWrite - lateInFlush);
            }
            System.out.println("         threads at the end, by kind: " + threadCounts);
            if (!selfView.isEmpty()) {
                System.out.println("         engine's own view (mcp-health row, last minute): " + selfView
                        + (dropped > 0 ? " dropped in window=" + dropped : "") + " events=" + events
                        + String.format(Locale.ROOT, " nodeRSS=%.0fMB", nodeRssMb));
            }
        }

        private static double pct(long[] sorted, int p) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
            return sorted[Math.max(0, i)];
        }
    }

    // ---- node servers -----------------------------------------------------------------------------------------

    /** One MCP server process over streamable HTTP on a loopback port. */
    interface Target {
        String url();

        long pid();

        void close();
    }

    private static List<Target> startServers(String kind, int count) {
        List<Target> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Target t = kind.equals("lite") ? lite() : everything();
            RUNNING.add(t);
            started.add(t);
        }
        return started;
    }

    private static Target everything() {
        EverythingServer s = EverythingServer.streamableHttp();
        return new Target() {
            @Override
            public String url() {
                return s.mcpUrl();
            }

            @Override
            public long pid() {
                return s.pid();
            }

            @Override
            public void close() {
                s.close();
            }
        };
    }

    /** bench/lite-streamable-http-server.mjs: server-everything's wire format without its per-request cost. */
    private static Target lite() {
        Path script;
        try {
            script = Path.of(WatchBench.class.getResource("/bench/lite-streamable-http-server.mjs").toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        int port = EverythingServer.freeLoopbackPort();
        ProcessBuilder pb = new ProcessBuilder("node", script.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.PIPE);
        pb.environment().put("PORT", Integer.toString(port));
        Process p;
        try {
            p = pb.start();
            var err = new java.io.BufferedReader(new java.io.InputStreamReader(p.getErrorStream(),
                    StandardCharsets.UTF_8));
            // "bench-lite listening on port N", or the reason it did not start
            String line;
            try {
                line = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return err.readLine();
                    } catch (IOException e) {
                        return null;
                    }
                }).get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                line = null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                line = null;
            }
            if (line == null || !line.contains("listening on port")) {
                p.destroyForcibly();
                throw new IllegalStateException("the lite server did not start: " + line);
            }
            Thread drain = new Thread(() -> {
                try {
                    while (err.readLine() != null) {
                        // discard
                    }
                } catch (IOException ignored) {
                    // closed
                }
            }, "lite-stderr");
            drain.setDaemon(true);
            drain.start();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new Target() {
            @Override
            public String url() {
                return "http://127.0.0.1:" + port + "/mcp";
            }

            @Override
            public long pid() {
                return p.pid();
            }

            @Override
            public void close() {
                p.destroyForcibly();
                try {
                    p.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    private static void stopAllServers() {
        for (Target s : RUNNING) {
            try {
                s.close();
            } catch (RuntimeException ignored) {
                // already gone
            }
        }
        RUNNING.clear();
    }

    // ---- /proc ------------------------------------------------------------------------------------------------

    private static final long CLK_TCK = clockTicks();

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(5, TimeUnit.SECONDS);
            return Long.parseLong(out);
        } catch (IOException | RuntimeException | InterruptedException e) {
            return 100;
        }
    }

    /** utime + stime of one process, in clock ticks. */
    private static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long rssKb(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                    .filter(l -> l.startsWith("VmRSS:")).findFirst()
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).orElse(0L);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The whole machine's busy ticks (all cores) and total ticks, from /proc/stat. */
    private static long[] machineTicks() {
        try {
            String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = cpu.trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    /** The JVM's collector pauses, as the GC's notifications report them (to the millisecond), into a window. */
    static final class GcPauses {
        private static volatile Window current;
        private static boolean listening;

        static synchronized void into(Window w) {
            current = w;
            if (listening) {
                return;
            }
            listening = true;
            long jvmStart = System.nanoTime() - ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000L;
            for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof javax.management.NotificationEmitter emitter) {
                    emitter.addNotificationListener((notification, handback) -> {
                        Window now = current;
                        if (now == null || !now.on || !com.sun.management.GarbageCollectionNotificationInfo
                                .GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                            return;
                        }
                        var info = com.sun.management.GarbageCollectionNotificationInfo.from(
                                (javax.management.openmbean.CompositeData) notification.getUserData());
                        String name = info.getGcName();
                        if (name.contains("Cycles") || name.contains("Concurrent") || name.equals("ZGC")) {
                            return; // a concurrent collector's cycle or marking (JDK 20+'s "G1 Concurrent GC"), no pause
                        }
                        // times to the millisecond since the JVM's start: widened by one each way
                        now.gcPauses.add(new long[] {jvmStart + (info.getGcInfo().getStartTime() - 1) * 1_000_000L,
                                jvmStart + (info.getGcInfo().getEndTime() + 1) * 1_000_000L});
                    }, null, null);
                }
            }
        }
    }

    /** CPU time of every live thread: id to {cpu nanos}, named by {@link #group}. */
    private static Map<Long, long[]> threadCpu() {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<Long, long[]> m = new HashMap<>();
        for (long id : mx.getAllThreadIds()) {
            long c = mx.getThreadCpuTime(id);
            if (c >= 0) {
                m.put(id, new long[] {c});
            }
        }
        return m;
    }

    /** CPU spent since {@code before} by the live threads, summed by kind of thread (the name without numbers). */
    private static Map<String, Long> cpuByThreadGroup(Map<Long, long[]> before) {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> groups = new HashMap<>();
        for (long id : mx.getAllThreadIds()) {
            long c = mx.getThreadCpuTime(id);
            java.lang.management.ThreadInfo info = mx.getThreadInfo(id);
            if (c < 0 || info == null) {
                continue;
            }
            long[] b = before.get(id);
            groups.merge(group(info.getThreadName()), c - (b == null ? 0 : b[0]), Long::sum);
        }
        return groups;
    }

    static String group(String thread) {
        String g = thread.replaceAll("[0-9]+", "N");
        if (g.startsWith("HttpClient-N-Worker")) {
            return "HTTP client workers";
        }
        if (g.startsWith("HttpClient-N-SelectorManager")) {
            return "HTTP client selector";
        }
        if (g.startsWith("ForkJoinPool.commonPool")) {
            return "common pool";
        }
        if (g.startsWith("mcp-health-probe-slow")) {
            return "slow-lane probe workers";
        }
        if (g.startsWith("mcp-health-probe") || g.startsWith("baseline-probe")) {
            return "probe workers";
        }
        if (g.startsWith("mcp-health-writer")) {
            return "writer";
        }
        if (g.startsWith("mcp-health-timer")) {
            return "timer";
        }
        if (g.startsWith("C2 CompilerThread") || g.startsWith("C1 CompilerThread")) {
            return "JIT";
        }
        if (g.startsWith("GC Thread") || g.startsWith("G1 ")) {
            return "GC";
        }
        if (g.startsWith("parallel-")) {
            return "reactor timers";
        }
        return g;
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }

    private static String machine() {
        String model = "?";
        try {
            model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        } catch (IOException ignored) {
            // not Linux
        }
        String load = "?";
        try {
            load = Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException ignored) {
            // not Linux
        }
        String node = "?";
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            node = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException ignored) {
            // reported as ?
        }
        boolean threadPerTask = java.util.concurrent.ForkJoinPool.getCommonPoolParallelism() < 2;
        return String.format(Locale.ROOT, "machine: %d cores (%s), Java %s, node %s, max heap %d MB, load average %s%n"
                        + "common pool parallelism %d: CompletableFuture async tasks %s",
                Runtime.getRuntime().availableProcessors(), model, System.getProperty("java.version"), node,
                Runtime.getRuntime().maxMemory() / 1048576, load,
                java.util.concurrent.ForkJoinPool.getCommonPoolParallelism(),
                threadPerTask ? "get a new thread each (so does every HTTP response)" : "run on the common pool");
    }

    private static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
