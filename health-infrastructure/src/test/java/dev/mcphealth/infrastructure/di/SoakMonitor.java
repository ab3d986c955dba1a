package dev.mcphealth.infrastructure.di;

import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.StatusSnapshot;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.json.JsonMapper;

/**
 * The monitor of {@link SoakIT}, in a JVM of its own so that what is measured is the monitor's alone (not the test
 * JVM's other tests): {@link McpHealth} embedded as an application embeds it, watching a configuration at a 1 s
 * interval for a given time. It samples itself every so often, after a {@code System.gc()}: live threads (and those
 * reading stdio servers), child processes, open file descriptors, heap used, resident memory, and the monitor's own view (probes started and missed, rows written and
 * dropped, buffer depth, loop lag), and prints each sample and each recovery event of the crash-looping server as one
 * JSON line on stdout. Arguments: {@code CONFIG DB SECONDS SAMPLE_EVERY_SECONDS CRASHING_SERVER}.
 */
public final class SoakMonitor {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SoakMonitor() {
    }

    public static void main(String[] args) throws Exception {
        // what the CLI and the MCP server do first (ProcessDefaults), as an application embedding the library should
        ProcessDefaults.asyncPool(Runtime.getRuntime().availableProcessors());
        ProcessDefaults.logging("error");
        Path config = Path.of(args[0]);
        Path db = Path.of(args[1]);
        long seconds = Long.parseLong(args[2]);
        long every = Long.parseLong(args[3]);
        ServerId crashing = ServerId.of(args[4]);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        AtomicInteger restarts = new AtomicInteger();
        long began = System.nanoTime();
        try (McpHealth health = McpHealth.builder(config).database(db).interval(Duration.ofSeconds(1))
                .onEvent(e -> event(e, crashing, restarts, began, out)).start()) {
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "soak-sampler");
                t.setDaemon(true);
                return t;
            });
            sampler.scheduleAtFixedRate(() -> sample(health, crashing, restarts, began, out), every, every,
                    TimeUnit.SECONDS);
            // the soak runs on real time: that is what it is about
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds) + 200);
            sampler.shutdown();
            sampler.awaitTermination(30, TimeUnit.SECONDS);
        }
        out.println("{\"kind\":\"done\"}");
    }

    private static void event(MonitorEvent e, ServerId crashing, AtomicInteger restarts, long began,
                              PrintStream out) {
        if (e instanceof MonitorEvent.RecoveryStarted s && s.server().equals(crashing)) {
            restarts.incrementAndGet();
            print(out, Map.of("kind", "recovery_started", "attempt", s.attempt(), "at", s.at().toEpochMilli()));
        } else if (e instanceof MonitorEvent.RecoveryExhausted x && x.server().equals(crashing)) {
            print(out, Map.of("kind", "recovery_exhausted", "attempts", x.attempts(), "at", x.at().toEpochMilli(),
                    "nextRetryAt", x.nextRetryAt().toEpochMilli()));
        } else if (e instanceof MonitorEvent.StatusChanged c && !c.server().equals(crashing)
                && c.from().isPresent()) {
            // a watched server that was not the crash loop changed its status after its first one: worth knowing
            print(out, Map.of("kind", "status_changed", "server", c.server().value(), "from", c.from().get().code(),
                    "to", c.to().code(), "at", c.at().toEpochMilli(), "elapsedS",
                    Math.round((System.nanoTime() - began) / 1e9)));
        }
    }

    private static void sample(McpHealth health, ServerId crashing, AtomicInteger restarts, long began,
                               PrintStream out) {
        try {
            System.gc();
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("kind", "sample");
            s.put("elapsedS", Math.round((System.nanoTime() - began) / 1e9));
            s.put("threads", ManagementFactory.getThreadMXBean().getThreadCount());
            // what each start of a stdio server adds, and must take away when it ends: its two reader threads, the
            // process itself
            s.put("stdioThreads", Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive()
                    && (t.getName().startsWith("mcp-stdout-") || t.getName().startsWith("mcp-stderr-"))).count());
            s.put("children", ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count());
            try (var fds = Files.list(Path.of("/proc/self/fd"))) {
                s.put("fds", fds.count());
            }
            s.put("heapKiB", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 10);
            s.put("rssKiB", status("VmRSS"));
            int healthy = 0;
            int servers = 0;
            for (StatusSnapshot snap : health.monitor().snapshot()) {
                if (snap.server().equals(McpHealth.SELF)) {
                    for (String k : new String[] {"probesStarted", "missedProbes", "rowsWritten", "droppedRows",
                        "bufferDepth", "lagP99Ms"}) {
                        s.put(k, snap.details().getOrDefault(k, "0"));
                    }
                } else if (!snap.server().equals(crashing)) {
                    servers++;
                    healthy += snap.status().filter(HealthStatus.HEALTHY::equals).isPresent() ? 1 : 0;
                }
            }
            s.put("servers", servers);
            s.put("healthy", healthy);
            s.put("restarts", restarts.get());
            print(out, s);
        } catch (IOException | RuntimeException e) {
            print(out, Map.of("kind", "sample_failed", "why", String.valueOf(e)));
        }
    }

    private static long status(String field) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith(field + ":")) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static synchronized void print(PrintStream out, Map<String, ?> line) {
        out.println(JSON.writeValueAsString(line));
    }
}
