package dev.mcphealth.adapter.cli.di;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.adapter.cli.WatchCommand;
import dev.mcphealth.testkit.AlertReceivers;
import dev.mcphealth.testkit.EverythingServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code mcp-health watch} end to end against the real server-everything over streamable HTTP at a 1 s interval: a hung
 * server (SIGSTOP) and its recovery (SIGCONT), and a database locked by another process mid-watch.
 */
class WatchCommandIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Duration INTERVAL = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    @BeforeAll
    static void logAsMainDoes() {
        Main.configureLogging("info");
    }

    /** Lines the command prints, as they come. */
    static final class Lines extends Writer {
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final List<String> all = new ArrayList<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public synchronized void write(char[] buf, int off, int len) {
            for (int i = off; i < off + len; i++) {
                if (buf[i] == '\n') {
                    lines.add(partial.toString());
                    all.add(partial.toString());
                    partial.setLength(0);
                } else {
                    partial.append(buf[i]);
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        /** The next event line matching {@code wanted}, skipping others; fails after {@code within}. */
        JsonNode await(Predicate<JsonNode> wanted, Duration within, String what) throws InterruptedException {
            long deadline = System.nanoTime() + within.toNanos();
            while (true) {
                String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new AssertionError("no " + what + " within " + within + "; printed so far: " + all);
                }
                JsonNode e = JSON.readTree(line);
                if (wanted.test(e)) {
                    return e;
                }
            }
        }

        synchronized List<JsonNode> events(String kind) {
            List<JsonNode> out = new ArrayList<>();
            for (String l : all) {
                JsonNode e = JSON.readTree(l);
                if (e.get("event").stringValue().equals(kind)) {
                    out.add(e);
                }
            }
            return out;
        }
    }

    /** A watch running in the background, stopped by the test as Ctrl-C would stop it. */
    static final class RunningWatch {
        final Lines out = new Lines();
        final StringWriter err = new StringWriter();
        final CompletableFuture<Integer> exit;
        volatile Runnable stop;

        RunningWatch(String... args) {
            WatchCommand.Stopper stopper = (stopCallback, finished) -> {
                this.stop = stopCallback;
                return () -> { };
            };
            exit = CompletableFuture.supplyAsync(() -> Main.commandLine(stopper)
                    .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args));
        }

        int stop() throws Exception {
            assertNotNull(stop, "the watch installed its interrupt hook");
            stop.run();
            return exit.get(30, TimeUnit.SECONDS);
        }
    }

    private Path config(EverythingServer server) throws IOException {
        return config(server, "");
    }

    /** {@code health} members besides the servers' settings, e.g. {@code "alerts": {...}}, if not empty. */
    private Path config(EverythingServer server, String moreHealth) throws IOException {
        Path file = dir.resolve("mcp.json");
        Files.writeString(file, "{\"mcpServers\": {\"everything\": {\"type\": \"http\", \"url\": \"" + server.mcpUrl()
                + "\"}}, \"health\": {" + (moreHealth.isEmpty() ? "" : moreHealth + ", ")
                + "\"servers\": {\"everything\": {\"intervalSeconds\": " + INTERVAL.toSeconds()
                + ", \"timeoutMs\": " + TIMEOUT.toMillis() + ", \"connectTimeoutMs\": " + TIMEOUT.toMillis() + "}}}}");
        return file;
    }

    private static Predicate<JsonNode> statusTo(String... statuses) {
        return e -> e.get("event").stringValue().equals("status_changed")
                && List.of(statuses).contains(e.get("to").stringValue());
    }

    @Test
    void aHungServerGoesCriticalWithinTheTimeoutPlusTwoIntervalsAndRecoversWithOneAlert() throws Exception {
        Path db = dir.resolve("health.db");
        try (EverythingServer server = EverythingServer.streamableHttp();
             AlertReceivers targets = AlertReceivers.in(dir)) {
            RunningWatch watch = new RunningWatch("watch", "--config", config(server, targets.json()).toString(),
                    "--db", db.toString(), "--json");
            watch.out.await(statusTo("healthy"), Duration.ofSeconds(30), "healthy status");

            Instant stopped = Instant.now();
            server.pause();
            JsonNode down;
            try {
                down = watch.out.await(statusTo("critical", "offline"), Duration.ofSeconds(30),
                        "critical or offline status");
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nstderr: " + watch.err + "\nrows: "
                        + rows(db, "SELECT count(*) FROM integration_health_metrics"), e);
            }
            Duration took = Duration.between(stopped, Instant.parse(down.get("at").stringValue()));
            assertEquals("timeout", down.get("failure").get("type").stringValue(), down.toString());
            assertTrue(took.compareTo(TIMEOUT.plus(INTERVAL.multipliedBy(2))) <= 0,
                    "critical " + took.toMillis() + " ms after SIGSTOP; allowed: timeout + 2 intervals");
            watch.out.await(statusTo("offline"), Duration.ofSeconds(30), "offline after 3 failures");

            server.resume();
            watch.out.await(statusTo("healthy"), Duration.ofSeconds(40), "healthy again after SIGCONT");
            watch.out.await(e -> e.get("event").stringValue().equals("alert_resolved"), Duration.ofSeconds(5),
                    "the alert resolved");
            assertEquals(0, watch.stop(), watch.err.toString());

            List<JsonNode> alerts = watch.out.events("alert");
            assertEquals(1, alerts.size(), "one alert for the episode: " + watch.out.all);
            assertEquals("critical", alerts.get(0).get("severity").stringValue());
            List<JsonNode> resolved = watch.out.events("alert_resolved");
            assertEquals(1, resolved.size());
            assertEquals(alerts.get(0).get("id"), resolved.get(0).get("id"));
            for (String line : watch.out.all) {
                assertTrue(line.startsWith("{\"event\":"), "nothing but events on stdout: " + line);
            }
            // health.alerts: the file and the webhook got what stdout got, in the same order
            List<JsonNode> delivered = targets.awaitSameEvents(Duration.ofSeconds(10), "everything",
                    "status_changed", "alert", "alert_resolved");
            List<JsonNode> printed = new ArrayList<>();
            for (String line : watch.out.all) {
                printed.add(JSON.readTree(line));
            }
            assertEquals(printed, delivered, "stdout, the alerts file and the webhook carry the same events");

            assertEquals(List.of("everything|timeout|1"), rows(db, "SELECT server_instance || '|' || failure_type"
                    + " || '|' || resolved FROM integration_failures"));
            long mttr = Long.parseLong(rows(db, "SELECT resolution_time_seconds FROM integration_failures").get(0));
            assertTrue(mttr >= 3 && mttr < 60, "resolution time " + mttr + " s");
            assertEquals(List.of("critical|1"), rows(db, "SELECT severity || '|' || (resolved_at IS NOT NULL)"
                    + " FROM health_alerts"));

            // What a second terminal sees: status, history and pruning read the same database.
            Done status = Done.run("status", "--db", db.toString(), "--json");
            assertEquals(0, status.exit(), status.err());
            JsonNode servers = JSON.readTree(status.out()).get("servers");
            assertEquals("everything", servers.get(0).get("name").stringValue());
            assertEquals("healthy", servers.get(0).get("status").stringValue());
            assertEquals("timeout", servers.get(0).get("lastFailure").get("type").stringValue());
            assertEquals("mcp-health", servers.get(1).get("name").stringValue());
            assertTrue(servers.get(1).get("details").has("lagP99Ms"), servers.get(1).toString());
            Done table = Done.run("status", "--db", db.toString());
            assertTrue(table.out().contains("everything") && table.out().contains("healthy"), table.out());

            Done history = Done.run("history", "--server", "everything", "--since", "10m", "--db", db.toString(),
                    "--json");
            assertEquals(0, history.exit(), history.err());
            JsonNode h = JSON.readTree(history.out());
            assertEquals(1, h.get("alerts").size());
            assertEquals(1, h.get("failures").size());
            assertTrue(h.get("buckets").size() >= 1);
            long probes = 0;
            for (JsonNode b : h.get("buckets")) {
                probes += b.get("probes").longValue();
            }
            assertEquals(Long.parseLong(rows(db, "SELECT count(*) FROM integration_health_metrics WHERE"
                    + " server_instance = 'everything' AND metric_type = 'availability'").get(0)), probes);

            Done prune = Done.run("db", "prune", "--db", db.toString(), "--json");
            assertEquals(0, prune.exit(), prune.err());
            JsonNode pruned = JSON.readTree(prune.out());
            for (String deleted : List.of("rawRowsDeleted", "rollupRowsDeleted", "outboxEntriesDeleted",
                    "integrationRowsDeleted", "toolUsageRowsDeleted", "anomaliesDeleted")) {
                assertEquals(0, pruned.get(deleted).longValue(), deleted + ": nothing is old enough to prune");
            }
        }
    }

    @Test
    void ctrlCStopsTheWatchWhichWritesWhatItHoldsAndExitsZero() throws Exception {
        Path db = dir.resolve("ctrl-c.db");
        Path jar = Path.of(System.getProperty("user.dir"), "target", "mcp-health.jar");
        assertTrue(Files.exists(jar), "the packaged CLI at " + jar);
        try (EverythingServer server = EverythingServer.streamableHttp()) {
            // A process started in the background of a non-interactive shell (a CI script, nohup ... &) ignores
            // SIGINT, its children inherit that, and the JVM then leaves SIGINT alone: the watch would never hear
            // the Ctrl-C this test sends. perl (essential on Debian) sets SIGINT back to its default before it
            // becomes the watch, as in a terminal.
            Process watch = new ProcessBuilder("perl", "-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV or die $!",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", jar.toString(), "watch", "--config", config(server).toString(), "--db", db.toString(),
                    "--json").redirectError(dir.resolve("ctrl-c.err").toFile()).start();
            try {
                java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(
                        watch.getInputStream(), StandardCharsets.UTF_8));
                JsonNode first = JSON.readTree(out.readLine());
                assertEquals("healthy", first.get("to").stringValue(), "a first event before Ctrl-C");
                Process kill = new ProcessBuilder("kill", "-INT", Long.toString(watch.pid())).start();
                assertEquals(0, kill.waitFor());
                // should it not stop, the failure says where each of its threads was
                assertTrue(watch.waitFor(30, TimeUnit.SECONDS), () -> "the watch stops after Ctrl-C; its stderr:\n"
                        + tail(dir.resolve("ctrl-c.err")) + "\nits threads:\n" + threads(watch.pid()));
                assertEquals(0, watch.exitValue(), "Ctrl-C is how a watch is meant to end");
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    assertTrue(line.startsWith("{\"event\":"), "nothing but events on stdout: " + line);
                }
            } finally {
                watch.destroyForcibly();
            }
            assertTrue(Long.parseLong(rows(db, "SELECT count(*) FROM integration_health_metrics WHERE"
                    + " server_instance = 'everything'").get(0)) >= 2, "the probes before Ctrl-C were written");
            assertEquals(List.of("healthy"), rows(db, "SELECT status FROM server_status WHERE server_instance ="
                    + " 'everything'"));
        }
    }

    @Test
    void ctrlCEndsACallLoopWhichRecordsItsCallsAndSumsThemUp() throws Exception {
        Path db = dir.resolve("call.db");
        try (EverythingServer server = EverythingServer.streamableHttp()) {
            RunningWatch call = new RunningWatch("call", "--config", config(server).toString(), "--db", db.toString(),
                    "--server-type", "everything", "--tool", "echo", "--args", "{\"message\": \"hi\"}",
                    "--duration", "10m", "--json");
            long by = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (call.stop == null && !call.exit.isDone() && System.nanoTime() < by) {
                TimeUnit.MILLISECONDS.sleep(50); // a real server and a real loop: no test clock reaches them
            }
            TimeUnit.SECONDS.sleep(2); // two seconds of calls, then Ctrl-C
            assertEquals(0, call.stop(), "the loop ends, sums up and exits as at the end of its duration: "
                    + call.err);
            JsonNode summary = JSON.readTree(call.out.all.get(call.out.all.size() - 1));
            long ok = summary.get("ok").longValue();
            assertTrue(ok > 0, summary.toString());
            assertEquals(0, summary.get("failed").longValue(), summary.toString());
            assertEquals(List.of(Long.toString(ok)), rows(db, "SELECT sum(calls) FROM tool_usage WHERE tool_name ="
                    + " 'echo'"), "every call recorded");
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** A thread dump of a running JVM, by the JDK's jcmd. */
    private static String threads(long pid) {
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(pid), "Thread.print").redirectErrorStream(true).start();
            String dump = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            jcmd.waitFor(30, TimeUnit.SECONDS);
            return dump;
        } catch (IOException | InterruptedException e) {
            return "(no thread dump: " + e.getMessage() + ")";
        }
    }

    @Test
    void statusWithoutADatabaseSaysSoAndExitsThree() {
        Done r = Done.run("status", "--db", dir.resolve("nothing-here.db").toString());
        assertEquals(3, r.exit());
        assertTrue(r.err().contains("no database at") && r.err().contains("nothing-here.db"), r.err());
        assertTrue(!Files.exists(dir.resolve("nothing-here.db")), "status does not create a database");
    }

    @Test
    void badWatchFlagsAreOneSentenceAndExitThree() throws Exception {
        Path config = dir.resolve("mcp.json");
        Files.writeString(config, "{\"mcpServers\": {\"x\": {\"command\": \"node\"}}}");
        Done r = Done.run("watch", "--config", config.toString(), "--duration", "soon");
        assertEquals(3, r.exit());
        assertTrue(r.err().startsWith("mcp-health: --duration: expected a duration like 90s"), r.err());
        Done i = Done.run("watch", "--config", config.toString(), "--interval", "0");
        assertEquals(3, i.exit());
        assertTrue(i.err().startsWith("mcp-health: --interval must be 1..86400 seconds, got 0"), i.err());
    }

    @Test
    void aDatabaseLockedMidWatchLosesNoRow() throws Exception {
        Path db = dir.resolve("locked.db");
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        PrintStream systemErr = System.err;
        System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
        try (EverythingServer server = EverythingServer.streamableHttp()) {
            RunningWatch watch = new RunningWatch("watch", "--config", config(server).toString(), "--db",
                    db.toString(), "--json");
            watch.out.await(statusTo("healthy"), Duration.ofSeconds(30), "healthy status");
            Instant lockedAt;
            Instant unlockedAt;
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                 Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = 10000");
                s.execute("BEGIN EXCLUSIVE");
                lockedAt = Instant.now();
                // Hold the lock longer than the writer's busy timeout (5 s), so that at least one flush fails.
                awaitLogged(logged, "cannot record", Duration.ofSeconds(20));
                s.execute("COMMIT");
                unlockedAt = Instant.now();
            }
            watch.out.lines.clear();
            // a few more probes after the database came back
            awaitLogged(logged, "recording again", Duration.ofSeconds(20));
            assertEquals(0, watch.stop(), watch.err.toString());

            List<Instant> probes = new ArrayList<>();
            for (String at : rows(db, "SELECT measured_at FROM integration_health_metrics WHERE server_instance ="
                    + " 'everything' AND metric_type = 'availability' ORDER BY measured_at")) {
                probes.add(Instant.parse(at.replace(' ', 'T') + "Z"));
            }
            Instant first = probes.get(0);
            Instant last = probes.get(probes.size() - 1);
            assertTrue(first.isBefore(lockedAt) && last.isAfter(unlockedAt),
                    "rows from before the lock to after it: " + first + " .. " + last);
            // Every probe the watch made has its row: the monitor's own count, published at stop, says how many.
            JsonNode self = JSON.readTree(rows(db, "SELECT snapshot FROM server_status WHERE server_instance ="
                    + " 'mcp-health'").get(0));
            long started = Long.parseLong(self.get("details").get("probesStarted").stringValue());
            assertEquals(started, probes.size(), "a row for every probe, none lost");
            assertEquals("0", self.get("details").get("droppedRows").stringValue());
            long during = probes.stream().filter(p -> p.isAfter(lockedAt) && p.isBefore(unlockedAt)).count();
            long lockedSeconds = Duration.between(lockedAt, unlockedAt).toSeconds();
            assertTrue(during >= lockedSeconds - 2, during + " rows from the " + lockedSeconds
                    + " s the database was locked");
        } finally {
            System.setErr(systemErr);
        }
    }

    private static void awaitLogged(ByteArrayOutputStream logged, String text, Duration within)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        Object lock = new Object();
        while (!logged.toString(StandardCharsets.UTF_8).contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never logged \"" + text + "\": " + logged.toString(StandardCharsets.UTF_8));
            }
            synchronized (lock) {
                lock.wait(100); // the log has no event to wait on; poll it
            }
        }
    }

    private static List<String> rows(Path db, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
