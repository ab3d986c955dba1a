package dev.mcphealth.adapter.cli.di;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.model.Printable;
import dev.mcphealth.testkit.ChaosFigures;
import dev.mcphealth.testkit.EverythingServer;
import dev.mcphealth.testkit.HostileHttpDouble;
import dev.mcphealth.testkit.RepoPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hostile servers against a running monitor: {@code mcp-health watch} as a real process ({@link WatchProcess}),
 * watching, beside the real server-everything, servers that misbehave the way broken and hostile ones do: over stdio
 * (a flood of garbage lines, stdout closed, a hang, a 20 MB line, 100 MB of stderr without a newline) and over HTTP
 * (a redirect off this machine, an HTML page, a 503, an answer one byte a second, a body that never ends), all of them
 * test doubles ({@code doubles/hostile-server-double.mjs}, {@code doubles/hostile-http-double.mjs}), since no real
 * server misbehaves on demand. For each: the status and the failure the monitor reports (one printable line, no Java
 * class), while the healthy server keeps being probed every second; for the memory ones, the monitor's peak resident
 * memory beside a baseline run with the healthy server alone. The campaign ({@code -Pchaos}) watches longer, and sends
 * a 50 MB line and 600 MB of stderr (the issue's sizes). Figures: {@code [chaos] hostile servers} lines.
 */
@Tag("serial")
class ChaosServersIT {
    /** Java's insides in a message or a log line: class names, exceptions, stack frames. */
    static final Pattern LEAK = Pattern.compile("stackTrace|[A-Za-z](?:Exception|Error)\\b|\\bjava\\.[a-z]"
            + "|io\\.modelcontextprotocol|tools\\.jackson|com\\.fasterxml|dev\\.mcphealth|reactor\\.core"
            + "|Cannot invoke|\\$[A-Z][a-z]|\\.java:\\d|\\n\\s*at [a-z]");
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** How long the mixed run is watched once every hostile server has been classified. */
    static final int WATCH_SECONDS = ChaosFigures.scale("mcphealth.chaos.hostileSeconds", 15, 120);
    static final int HUGE_LINE_MB = ChaosFigures.scale("mcphealth.chaos.hugeLineMb", 20, 50);
    static final int STDERR_MB = ChaosFigures.scale("mcphealth.chaos.stderrMb", 100, 600);
    /** How long each memory run goes on once its hostile server has done its worst (and the baseline as long). */
    static final int HOLD_SECONDS = ChaosFigures.scale("mcphealth.chaos.memoryHoldSeconds", 10, 30);
    /**
     * The most a hostile server may add to the monitor's peak resident memory over the baseline. A message is held up
     * to the 16 MiB limit, and the JVM touches heap for what is allocated between two collections: measured here, a
     * 20 MB line on every probe adds about 65 MiB to the bounded monitor (once 130 MiB: a collection came late) and
     * 335 MiB to one without the bound (a 50 MB line: 1.3 GB), so 192 MiB tells them apart with room for noise.
     */
    static final long MAX_EXTRA_RSS_MIB = 192;
    /**
     * The memory runs pin the monitor's initial heap. By default it is 1/64 of the machine's RAM, and a stream of
     * large allocations makes G1 touch up to about half of it before it collects: +150 MiB on this 24 GB machine for a
     * bounded monitor at 20 and 50 MB lines alike, and more on a larger machine, which would make the figure the
     * machine's rather than the monitor's. The maximum heap stays the JVM's default.
     */
    static final String[] MEMORY_RUN_JVM = {"-Xms64m"};

    /**
     * Logging is set up once per JVM, by whichever test makes the first logger (reading the database here does): set
     * it as Main does and as the other CLI tests do, so that the order the tests run in changes nothing.
     */
    @BeforeAll
    static void logAsMainDoes() {
        Main.configureLogging("info");
    }

    @TempDir
    Path dir;

    private static String hostileStdio() {
        return RepoPaths.root().resolve("health-infrastructure/src/test/resources/doubles/hostile-server-double.mjs")
                .toString();
    }

    private static String stdio(String... args) {
        StringBuilder json = new StringBuilder("{\"command\": \"node\", \"args\": [");
        for (int i = 0; i < args.length; i++) {
            json.append(i == 0 ? "" : ", ").append('"').append(args[i]).append('"');
        }
        return json.append("]}").toString();
    }

    private static String http(String url) {
        return "{\"type\": \"http\", \"url\": \"" + url + "\"}";
    }

    private Path config(String name, Map<String, String> servers, String perServer) throws Exception {
        StringBuilder json = new StringBuilder("{\"mcpServers\": {");
        String sep = "";
        for (Map.Entry<String, String> e : servers.entrySet()) {
            json.append(sep).append('"').append(e.getKey()).append("\": ").append(e.getValue());
            sep = ", ";
        }
        json.append("}, \"health\": {\"defaults\": {\"timeoutMs\": ").append(TIMEOUT.toMillis())
                .append(", \"connectTimeoutMs\": ").append(TIMEOUT.toMillis())
                .append(", \"retryDelaySeconds\": 1}, \"servers\": {").append(perServer).append("}}}");
        Path file = dir.resolve(name);
        Files.writeString(file, json.toString());
        return file;
    }

    /** What a hostile server must be reported as: its failure type and a pattern its message must match. */
    private record Expected(String type, Pattern message) {
        static Expected of(String type, String regex) {
            return new Expected(type, Pattern.compile(regex));
        }
    }

    private static boolean failureOf(JsonNode e, String server) {
        return server.equals(e.path("server").stringValue()) && "status_changed".equals(e.path("event").stringValue())
                && e.has("failure");
    }

    /** One printable line a person can read: no newline, no control character, no Java, not a wall of text. */
    static void assertOneClearLine(String message, String who) {
        assertTrue(!message.isBlank() && message.length() <= 300, who + ": " + message.length() + " chars: "
                + message);
        assertTrue(Printable.firstUnsafe(message) < 0, who + ": a control character in: " + message);
        assertTrue(!LEAK.matcher(message).find(), who + ": Java's insides in: " + message);
    }

    @Test
    void everyHostileServerIsNamedInOneLineWhileTheHealthyOneKeepsItsPace() throws Exception {
        try (HostileHttpDouble web = HostileHttpDouble.start()) {
            Map<String, String> servers = new LinkedHashMap<>();
            servers.put("healthy", stdio(EverythingServer.entryPoint().toString(), "stdio"));
            servers.put("garbage", stdio(hostileStdio(), "garbage", "1000"));
            servers.put("closed-stdout", stdio(hostileStdio(), "close-stdout"));
            servers.put("hang", stdio(hostileStdio(), "hang"));
            servers.put("redirect", http(web.url("/redirect")));
            servers.put("html", http(web.url("/html")));
            servers.put("error-503", http(web.url("/status/503")));
            servers.put("slowloris", http(web.url("/slowloris")));
            servers.put("endless", http(web.url("/endless")));
            // the endless body is given longer than it takes to pass the SDK's 16 MiB bound on an answer (4 s at 4 MiB/s)
            Path config = config("hostile.json", servers, "\"endless\": {\"timeoutMs\": 15000, \"connectTimeoutMs\":"
                    + " 15000}");
            Map<String, Expected> expected = new LinkedHashMap<>();
            expected.put("closed-stdout", Expected.of("timeout", "^no answer to ping within 2000 ms$"));
            expected.put("hang", Expected.of("timeout", "^no answer to ping within 2000 ms$"));
            expected.put("redirect", Expected.of("server_error",
                    "^HTTP 302 on connect: a redirect, which is not followed \\(set the url to the address it points"
                            + " to\\)$"));
            expected.put("html", Expected.of("server_error", "^the server answered connect with text/html, not MCP's"
                    + " JSON or event stream \\(is the URL its MCP endpoint\\?\\)$"));
            expected.put("error-503", Expected.of("server_error", "^HTTP 503 \\(server error\\) on connect$"));
            expected.put("slowloris", Expected.of("timeout", "^no answer to connect within 2000 ms$"));
            expected.put("endless", Expected.of("server_error", "^the server's answer to connect was over the limit"
                    + " of 16777216 bytes$"));
            Path db = dir.resolve("hostile.db");
            Map<String, String> reported = new LinkedHashMap<>();
            Instant from;
            Instant to;
            long peakKiB;
            String stderr;
            try (Watched watch = Watched.start(config, db)) {
                JsonNode healthy = watch.await(e -> "healthy".equals(e.path("server").stringValue())
                        && "healthy".equals(e.path("to").stringValue()), Duration.ofSeconds(60), "healthy server");
                for (Map.Entry<String, Expected> x : expected.entrySet()) {
                    JsonNode e = watch.await(ev -> failureOf(ev, x.getKey()), Duration.ofSeconds(60),
                            x.getKey() + "'s failure");
                    String type = e.get("failure").get("type").stringValue();
                    String message = e.get("failure").get("message").stringValue();
                    reported.put(x.getKey(), e.get("to").stringValue() + ", " + type + ": " + message);
                    assertEquals(x.getValue().type(), type, x.getKey() + ": " + message);
                    assertTrue(x.getValue().message().matcher(message).find(), x.getKey() + ": " + message);
                    assertOneClearLine(message, x.getKey());
                }
                watch.await(e -> "garbage".equals(e.path("server").stringValue())
                        && "healthy".equals(e.path("to").stringValue()), Duration.ofSeconds(30), "garbage healthy");
                from = Instant.parse(healthy.get("at").stringValue());
                // the healthy server is watched on, beside the hostile ones, for the run's length (real time)
                Instant until = Instant.now().plusSeconds(WATCH_SECONDS);
                while (Instant.now().isBefore(until)) {
                    Thread.sleep(Math.min(1000, Math.max(1, Duration.between(Instant.now(), until).toMillis())));
                }
                to = Instant.now();
                peakKiB = watch.peakRssKiB();
                assertEquals(0, watch.stop(), "the watch ends cleanly: " + watch.stderr());
                stderr = watch.stderr();
                for (JsonNode e : watch.of("healthy")) {
                    assertTrue(e.get("event").stringValue().equals("status_changed")
                            && e.get("to").stringValue().equals("healthy"), "the healthy server never wavered: " + e);
                }
                assertEquals(1, watch.of("healthy").size(), "one event for the healthy server: " + watch.of("healthy"));
                for (JsonNode e : watch.of("garbage")) {
                    assertTrue(!e.has("failure"), "garbage between answers is not a failure: " + e);
                }
                for (String line : watch.lines()) {
                    assertTrue(line.startsWith("{\"event\":"), "nothing but events on stdout: " + line);
                }
                for (JsonNode e : watch.events()) {
                    JsonNode failure = e.path("failure");
                    if (failure.has("message")) {
                        assertOneClearLine(failure.get("message").stringValue(), e.toString());
                    }
                }
            }
            List<String> logLines = stderr.lines().toList();
            assertEquals(List.of(), logLines.stream().filter(l -> LEAK.matcher(l).find()).toList(),
                    "no Java class, exception or stack frame in the monitor's log");
            assertTrue(logLines.size() < 60, "the log stays short (garbage is summed up): " + logLines.size()
                    + " lines\n" + stderr);

            List<Instant> probes = probesOf(db, "healthy", from, to);
            long maxGapMs = 0;
            for (int i = 1; i < probes.size(); i++) {
                maxGapMs = Math.max(maxGapMs, Duration.between(probes.get(i - 1), probes.get(i)).toMillis());
            }
            long windowS = Duration.between(from, to).toSeconds();
            Map<String, String> self = selfDetails(db);
            JsonNode stats = web.stats();
            reported.forEach((server, what) -> ChaosFigures.record("hostile servers", server + " -> " + what));
            ChaosFigures.record("hostile servers", String.format(Locale.ROOT, "healthy server beside 8 hostile ones:"
                            + " %d probes in %d s, longest gap between two %d ms; monitor probe-loop lag p99 %s ms,"
                            + " %s probes started, %s missed (a hostile server's probe still running), peak RSS %d MiB",
                    probes.size(), windowS, maxGapMs, self.get("lagP99Ms"), self.get("probesStarted"),
                    self.get("missedProbes"), peakKiB / 1024));
            ChaosFigures.record("hostile servers", String.format(Locale.ROOT, "HTTP double: %d connections open at"
                            + " most, %d at the end; %d MiB of endless body sent; %d log lines from the monitor in %d s",
                    stats.get("maxOpen").intValue(), stats.get("open").intValue(),
                    stats.path("sent").path("/endless").longValue() >> 20, logLines.size(), windowS));
            assertTrue(probes.size() >= windowS - 1, "the healthy server was probed every second: " + probes.size()
                    + " probes in " + windowS + " s");
            assertTrue(maxGapMs <= 1600, "no probe of the healthy server came late: longest gap " + maxGapMs + " ms");
            assertTrue(stats.get("maxOpen").intValue() <= 24, "hung connections are closed, not piled up: "
                    + stats);
        }
    }

    @Test
    void aHugeLineAndAStderrFloodCostTheMonitorNoMoreThanItsBound() throws Exception {
        String healthy = stdio(EverythingServer.entryPoint().toString(), "stdio");
        long baseline = peakRss("baseline", Map.of("healthy", healthy), null, null);
        long huge = peakRss("huge-line", Map.of("healthy", healthy,
                        "huge", stdio(hostileStdio(), "huge-line", Integer.toString(HUGE_LINE_MB))), "huge",
                Expected.of("server_error", "^the server wrote a message of \\d+ bytes on stdout, over the limit of"
                        + " 16777216 bytes$"));
        long flood = peakRss("stderr-flood", Map.of("healthy", healthy,
                "flood", stdio(hostileStdio(), "stderr-flood", Integer.toString(STDERR_MB))), "flood", null);
        ChaosFigures.record("hostile servers", String.format(Locale.ROOT, "peak RSS of the monitor (VmHWM): baseline"
                        + " %d MiB; a %d MB line on every probe %d MiB (x%.2f); %d MB of stderr without a newline %d MiB"
                        + " (x%.2f); each held %d s after the server's worst, initial heap 64 MiB", baseline >> 10,
                HUGE_LINE_MB, huge >> 10, (double) huge / baseline, STDERR_MB, flood >> 10, (double) flood / baseline,
                HOLD_SECONDS));
        assertTrue(huge - baseline <= MAX_EXTRA_RSS_MIB << 10, "a " + HUGE_LINE_MB + " MB line costs at most "
                + MAX_EXTRA_RSS_MIB + " MiB: " + (huge >> 10) + " MiB vs " + (baseline >> 10) + " MiB");
        assertTrue(flood - baseline <= MAX_EXTRA_RSS_MIB << 10, STDERR_MB + " MB of stderr cost at most "
                + MAX_EXTRA_RSS_MIB + " MiB: " + (flood >> 10) + " MiB vs " + (baseline >> 10) + " MiB");
    }

    /**
     * One watch of {@code servers}: once the healthy server is healthy and {@code hostile} has done its worst (its
     * failure reported as {@code expected}, or, with none expected, it is healthy: its flood is over), it is watched
     * {@link #HOLD_SECONDS} more; returns the peak resident memory in KiB.
     */
    private long peakRss(String run, Map<String, String> servers, String hostile, Expected expected)
            throws Exception {
        Path config = config(run + ".json", new LinkedHashMap<>(servers), "");
        try (Watched watch = Watched.start(config, dir.resolve(run + ".db"), MEMORY_RUN_JVM)) {
            watch.await(e -> "healthy".equals(e.path("server").stringValue())
                    && "healthy".equals(e.path("to").stringValue()), Duration.ofSeconds(60), "healthy server");
            if (hostile != null && expected != null) {
                JsonNode e = watch.await(ev -> failureOf(ev, hostile), Duration.ofSeconds(90), hostile
                        + "'s failure");
                String message = e.get("failure").get("message").stringValue();
                assertEquals(expected.type(), e.get("failure").get("type").stringValue(), message);
                assertTrue(expected.message().matcher(message).find(), message);
                assertOneClearLine(message, hostile);
                ChaosFigures.record("hostile servers", hostile + " (" + HUGE_LINE_MB + " MB line) -> "
                        + e.get("to").stringValue() + ", " + e.get("failure").get("type").stringValue() + ": "
                        + message);
            } else if (hostile != null) {
                watch.await(ev -> hostile.equals(ev.path("server").stringValue())
                        && "healthy".equals(ev.path("to").stringValue()), Duration.ofSeconds(120), hostile
                        + " healthy once its flood was read");
                ChaosFigures.record("hostile servers", hostile + " (" + STDERR_MB + " MB of stderr without a newline)"
                        + " -> healthy");
            }
            Instant until = Instant.now().plusSeconds(HOLD_SECONDS);
            while (Instant.now().isBefore(until)) {
                Thread.sleep(Math.min(1000, Math.max(1, Duration.between(Instant.now(), until).toMillis())));
            }
            long peak = watch.peakRssKiB();
            assertEquals(0, watch.stop(), watch.stderr());
            for (JsonNode e : watch.of("healthy")) {
                assertEquals("healthy", e.path("to").stringValue(), "the healthy server stayed healthy: " + e);
            }
            String stderr = watch.stderr();
            assertEquals(List.of(), stderr.lines().filter(l -> LEAK.matcher(l).find()).toList(), run);
            assertTrue(stderr.lines().allMatch(l -> l.length() <= 1000), run + ": no log line carries the flood");
            return peak;
        }
    }

    /** When the server's probes were made (its availability rows), between two instants. */
    private static List<Instant> probesOf(Path db, String server, Instant from, Instant to) throws Exception {
        List<Instant> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT measured_at FROM integration_health_metrics WHERE server_instance"
                     + " = '" + server + "' AND metric_type = 'availability' ORDER BY measured_at")) {
            while (rs.next()) {
                Instant at = LocalDateTime.parse(rs.getString(1).replace(' ', 'T')).toInstant(ZoneOffset.UTC);
                if (!at.isBefore(from) && !at.isAfter(to)) {
                    out.add(at);
                }
            }
        }
        return out;
    }

    /** The monitor's own row (server mcp-health): probes started, missed, loop lag. */
    private static Map<String, String> selfDetails(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT * FROM server_status WHERE server_instance = 'mcp-health'")) {
            assertTrue(rs.next(), "the monitor's own row");
            String json = null;
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                String v = rs.getString(i);
                if (v != null && v.startsWith("{")) {
                    json = v;
                }
            }
            JsonNode details = JsonMapper.builder().build().readTree(json).get("details");
            Map<String, String> out = new LinkedHashMap<>();
            details.properties().forEach(e -> out.put(e.getKey(), e.getValue().stringValue()));
            return out;
        }
    }

    /**
     * {@code mcp-health watch --json --interval 1} ({@link WatchProcess}: the packaged CLI as users run it) and its
     * events, one JSON object per stdout line; its peak resident memory from {@code /proc/<pid>/status}.
     */
    private static final class Watched implements AutoCloseable {
        private static final JsonMapper JSON = JsonMapper.builder().build();
        private final WatchProcess process;

        private Watched(WatchProcess process) {
            this.process = process;
        }

        /** With {@code jvmOptions}, or none: the JVM's defaults, as {@code bin/mcp-health} runs it. */
        static Watched start(Path config, Path db, String... jvmOptions) {
            return new Watched(WatchProcess.start(List.of(jvmOptions), "watch", "--config", config.toString(), "--db",
                    db.toString(), "--json", "--interval", "1"));
        }

        private static Optional<JsonNode> parse(String line) {
            try {
                return Optional.of(JSON.readTree(line));
            } catch (RuntimeException notJson) {
                return Optional.empty();
            }
        }

        /** The first event, come or to come within {@code within}, that {@code which} accepts. */
        JsonNode await(Predicate<JsonNode> which, Duration within, String what) throws InterruptedException {
            return parse(process.awaitOut(l -> parse(l).filter(which).isPresent(), within, what).text())
                    .orElseThrow();
        }

        List<String> lines() {
            return process.out().lines().toList();
        }

        List<JsonNode> events() {
            return lines().stream().map(Watched::parse).flatMap(Optional::stream).toList();
        }

        /** The events about one server. */
        List<JsonNode> of(String server) {
            return events().stream().filter(e -> server.equals(e.path("server").stringValue())).toList();
        }

        /** The process's peak resident set so far (VmHWM), in KiB. */
        long peakRssKiB() throws java.io.IOException {
            for (String l : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (l.startsWith("VmHWM:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
            throw new IllegalStateException("no VmHWM for " + process.pid());
        }

        /** SIGTERM, which the watch takes as Ctrl-C; its exit code. */
        int stop() throws InterruptedException {
            return process.terminate();
        }

        String stderr() {
            return process.err();
        }

        @Override
        public void close() {
            process.close();
        }
    }
}
