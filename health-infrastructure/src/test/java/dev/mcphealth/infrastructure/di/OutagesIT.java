package dev.mcphealth.infrastructure.di;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.StatusSnapshot;
import dev.mcphealth.testkit.AlertReceivers;
import dev.mcphealth.testkit.EverythingServer;
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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outages as users meet them, with the real server-everything as a child process: one healed by recovery between two
 * probes, a hang with automatic recovery off, episodes an earlier run left open, and health.alerts when embedded.
 * Real processes on real time: every wait is bounded and ends at the event it waits for.
 */
@Tag("serial")
class OutagesIT {
    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private Path config(String name, String extraHealth) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, "{\"mcpServers\": {\"everything\": {\"command\": \"node\", \"args\": [\""
                + EverythingServer.entryPoint() + "\", \"stdio\"]}},"
                + "\"health\": {" + extraHealth + "}}");
        return file;
    }

    /** A server named everything that cannot start (its script does not exist). */
    private Path broken(String name, String extraHealth) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, "{\"mcpServers\": {\"everything\": {\"command\": \"node\", \"args\": [\""
                + dir.resolve("no-such-server.js") + "\"]}}, \"health\": {" + extraHealth + "}}");
        return file;
    }

    static List<ProcessHandle> everything() {
        List<ProcessHandle> out = new ArrayList<>();
        ProcessHandle.current().descendants().filter(p -> p.isAlive()
                && p.info().commandLine().orElse("").contains("server-everything")).forEach(out::add);
        return out;
    }

    static <T extends MonitorEvent> T await(BlockingQueue<MonitorEvent> events, Class<T> kind,
                                                    Predicate<T> which) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            MonitorEvent e = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (kind.isInstance(e) && which.test(kind.cast(e))) {
                return kind.cast(e);
            }
        }
        throw new AssertionError("no " + kind.getSimpleName() + " within " + WAIT);
    }

    private static Predicate<MonitorEvent.StatusChanged> to(HealthStatus status) {
        return c -> c.to() == status;
    }

    private static void signal(String name, ProcessHandle p) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + name, Long.toString(p.pid())).start().waitFor());
    }

    @Test
    void aServerKilledAndRestartedBetweenTwoProbesIsAnOutageInTheEventsTheRowsAndTheSla() throws Exception {
        Path db = dir.resolve("health.db");
        BlockingQueue<MonitorEvent> events = new LinkedBlockingQueue<>();
        try (McpHealth health = McpHealth.builder(config("mcp.json", "\"defaults\": {\"retryDelaySeconds\": 1}"))
                .database(db).interval(Duration.ofSeconds(3)).onEvent(events::add).start()) {
            await(events, MonitorEvent.StatusChanged.class, to(HealthStatus.HEALTHY));
            List<ProcessHandle> before = everything();
            assertEquals(1, before.size());
            before.get(0).destroyForcibly();
            MonitorEvent.StatusChanged offline = await(events, MonitorEvent.StatusChanged.class,
                    to(HealthStatus.OFFLINE));
            MonitorEvent.RecoverySucceeded back = await(events, MonitorEvent.RecoverySucceeded.class, e -> true);
            assertTrue(Duration.between(offline.at(), back.at()).compareTo(Duration.ofSeconds(3)) < 0,
                    "restarted before the next probe: " + offline.at() + " .. " + back.at());
            await(events, MonitorEvent.StatusChanged.class, to(HealthStatus.HEALTHY));
            StatusSnapshot s = health.monitor().snapshot().get(0);
            assertTrue(s.sla().orElseThrow() < 1.0, "downtime between probes counts: " + s.uptime());
            assertTrue(s.uptime().down().compareTo(Duration.ofSeconds(3)) < 0, s.uptime().toString());
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT resolved, resolution_time_seconds, resolution_time_ms, "
                     + "(SELECT COUNT(*) FROM health_alerts WHERE resolved_at IS NOT NULL) FROM integration_failures")) {
            assertTrue(rs.next(), "the outage is an episode");
            assertTrue(rs.getBoolean(1));
            long ms = rs.getLong(3);
            assertTrue(ms > 0 && ms < 3000, "kept to the millisecond: " + ms + " ms (" + rs.getLong(2) + " s)");
            assertEquals(1, rs.getInt(4), "its alert was raised and resolved");
            assertFalse(rs.next(), "one episode");
        }
    }

    @Test
    void withRecoveryOffAHungServerIsNeverKilledAndOneThatExitedIsOfflineSayingNobodyRestartsIt() throws Exception {
        BlockingQueue<MonitorEvent> events = new LinkedBlockingQueue<>();
        try (McpHealth health = McpHealth.builder(config("mcp.json", "\"defaults\": {\"autoRecovery\": false,"
                + " \"timeoutMs\": 1000}")).database(dir.resolve("health.db")).interval(Duration.ofSeconds(1))
                .onEvent(events::add).start()) {
            await(events, MonitorEvent.StatusChanged.class, to(HealthStatus.HEALTHY));
            ProcessHandle server = everything().get(0);
            signal("STOP", server);
            try {
                await(events, MonitorEvent.StatusChanged.class, to(HealthStatus.OFFLINE)); // 3 timeouts in a row
            } finally {
                signal("CONT", server);
            }
            await(events, MonitorEvent.StatusChanged.class, to(HealthStatus.HEALTHY));
            assertTrue(server.isAlive(), "the hung server was left alone, and answers again");
            assertEquals(List.of(server.pid()), everything().stream().map(ProcessHandle::pid).toList());

            server.destroyForcibly();
            await(events, MonitorEvent.StatusChanged.class, to(HealthStatus.OFFLINE));
            // a few more probes: still offline, the message says why and what a person can do; nothing restarted it
            Instant until = Instant.now().plusSeconds(3);
            while (Instant.now().isBefore(until)) {
                assertFalse(events.poll(200, TimeUnit.MILLISECONDS) instanceof MonitorEvent.RecoveryStarted);
            }
            StatusSnapshot s = health.monitor().snapshot().get(0);
            assertEquals(HealthStatus.OFFLINE, s.status().orElseThrow());
            String why = s.lastFailure().orElseThrow().message();
            assertTrue(why.contains("nothing restarts it") && why.contains("automated_recovery_system")
                    && why.contains("failover --strategy restart"), why);
            assertTrue(everything().isEmpty(), "nobody started it again");
        }
    }

    @Test
    void episodesLeftOpenByAnEarlierRunAreClosedAtItsLastSightingOfTheServer() throws Exception {
        Path db = dir.resolve("health.db");
        // run 1: the server cannot start; the monitor stops cleanly while it fails (as SIGTERM would)
        Path broken = broken("broken.json", "");
        try (McpHealth health = McpHealth.builder(broken).database(db).open()) {
            health.probeAll();
            health.probeAll();
        }
        Instant lastSeen;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM integration_failures WHERE resolved = 0");
            assertEquals(1, rs.getInt(1), "run 1 left its episode open");
            rs = st.executeQuery("SELECT COUNT(*) FROM health_alerts WHERE resolved_at IS NULL");
            assertEquals(1, rs.getInt(1), "and its alert");
            rs = st.executeQuery("SELECT MAX(measured_at) FROM integration_health_metrics WHERE server_instance = "
                    + "'everything' AND metric_type = 'availability'");
            lastSeen = java.time.LocalDateTime.parse(rs.getString(1).replace(' ', 'T')).toInstant(
                    java.time.ZoneOffset.UTC);
        }
        Thread.sleep(1500); // the runs are apart: what matters is that the gap is not counted as downtime
        // run 2: the server works now
        try (McpHealth health = McpHealth.builder(config("mcp.json", "")).database(db).open()) {
            health.probeAll();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            ResultSet rs = st.executeQuery("SELECT resolved, resolution_time_ms, error_details, occurred_at FROM "
                    + "integration_failures");
            assertTrue(rs.next());
            assertTrue(rs.getBoolean(1), "closed once its server was seen healthy");
            Instant began = java.time.LocalDateTime.parse(rs.getString(4).replace(' ', 'T'))
                    .toInstant(java.time.ZoneOffset.UTC);
            assertEquals(Duration.between(began, lastSeen).toMillis(), rs.getLong(2),
                    "ended at run 1's last probe, not when run 2 came");
            assertTrue(rs.getString(3).startsWith("[left open by a run that stopped"), rs.getString(3));
            assertFalse(rs.next(), "no second episode");
            rs = st.executeQuery("SELECT COUNT(*) FROM health_alerts WHERE resolved_at IS NULL");
            assertEquals(0, rs.getInt(1), "its alert is resolved too");
        }
    }

    @Test
    void anEmbeddedMonitorSendsItsEventsToTheAlertsTargetsOfTheConfiguration() throws Exception {
        try (AlertReceivers targets = AlertReceivers.in(dir)) {
            Path cfg = broken("alerting.json", targets.json());
            try (McpHealth health = McpHealth.builder(cfg).database(dir.resolve("health.db")).open()) {
                health.probeAll();
            } // closing delivers what the sinks hold
            targets.awaitSameEvents(Duration.ofSeconds(10), "everything", "status_changed", "alert");
        }
    }
}
