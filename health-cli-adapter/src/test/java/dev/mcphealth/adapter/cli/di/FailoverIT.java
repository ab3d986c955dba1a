package dev.mcphealth.adapter.cli.di;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.testkit.EverythingServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Failover and automatic recovery end to end, with the real server-everything: a stdio server killed with SIGKILL, a
 * command that crashes on start, an HTTP server taken down and brought back, and a client calling in a loop while one
 * of two instances is killed every 2 s. MTTRs are printed for docs/failover.md.
 */
class FailoverIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @BeforeAll
    static void logAsMainDoes() {
        Main.configureLogging("info");
    }

    private static String stdio(String... nodeFlags) {
        StringBuilder args = new StringBuilder("[");
        for (String f : nodeFlags) {
            args.append('"').append(f).append("\", ");
        }
        args.append('"').append(EverythingServer.entryPoint()).append("\", \"stdio\"]");
        return "{\"command\": \"node\", \"args\": " + args + "}";
    }

    private Path config(String servers, String health) throws IOException {
        Path file = dir.resolve("mcp.json");
        Files.writeString(file, "{\"mcpServers\": {" + servers + "}, \"health\": " + health + "}");
        return file;
    }

    private static Predicate<JsonNode> event(String kind) {
        return e -> e.get("event").stringValue().equals(kind);
    }

    private static Predicate<JsonNode> statusTo(String status) {
        return e -> event("status_changed").test(e) && e.get("to").stringValue().equals(status);
    }

    /** The node processes this JVM started whose command line contains {@code marker}. */
    private static List<ProcessHandle> children(String marker) {
        List<ProcessHandle> out = new ArrayList<>();
        ProcessHandle.current().descendants().forEach(p -> {
            String line = p.info().commandLine().orElse("");
            if (line.contains(marker)) {
                out.add(p);
            }
        });
        return out;
    }

    @Test
    void aKilledStdioServerIsSeenAtOnceAndHealthyAgainInSeconds() throws Exception {
        Path db = dir.resolve("health.db");
        Path cfg = config("\"everything\": " + stdio(), "{\"servers\": {\"everything\": {\"intervalSeconds\": 1,"
                + " \"timeoutMs\": 2000, \"retryDelaySeconds\": 1}}}");
        WatchCommandIT.RunningWatch watch = new WatchCommandIT.RunningWatch("watch", "--config", cfg.toString(),
                "--db", db.toString(), "--json");
        watch.out.await(statusTo("healthy"), Duration.ofSeconds(30), "healthy status");
        List<ProcessHandle> servers = children("server-everything");
        assertEquals(1, servers.size(), "one server process: " + servers);

        Instant killed = Instant.now();
        servers.get(0).destroyForcibly(); // SIGKILL
        JsonNode started = watch.out.await(event("recovery_started"), Duration.ofSeconds(10), "recovery_started");
        Duration seen = Duration.between(killed, Instant.parse(started.get("at").stringValue()));
        JsonNode succeeded = watch.out.await(event("recovery_succeeded"), Duration.ofSeconds(20),
                "recovery_succeeded");
        Duration mttr = Duration.between(killed, Instant.parse(succeeded.get("at").stringValue()));
        // real time: let the next probes (1 s interval) see it answer, which resolves the failure row
        Thread.sleep(2_500);
        assertEquals(0, watch.stop(), watch.err.toString());
        List<JsonNode> down = watch.out.events("status_changed").stream()
                .filter(e -> !e.get("to").stringValue().equals("healthy")).toList();

        System.out.printf("FailoverIT stdio SIGKILL: restart began %d ms after the kill, server back (initialized)"
                + " %d ms after it; statuses other than healthy seen meanwhile: %d%n", seen.toMillis(), mttr.toMillis(),
                down.size());
        assertTrue(mttr.compareTo(Duration.ofSeconds(10)) < 0, "back " + mttr.toMillis() + " ms after the kill");
        if (!down.isEmpty()) {
            assertEquals("healthy", watch.out.events("status_changed").stream().reduce((x, y) -> y).orElseThrow()
                    .get("to").stringValue(), "healthy again after the restart: " + watch.out.all);
        }
        assertTrue(seen.compareTo(Duration.ofMillis(500)) < 0, "the death was seen at once, not at the next probe: "
                + seen.toMillis() + " ms");
        assertEquals("restart", started.get("action").stringValue());
        assertEquals(1, started.get("attempt").intValue());
        assertTrue(children("server-everything").isEmpty(), "the watch stopped its server: no orphan");
        assertEquals(List.of("everything|connection_error|restart|1"), rows(db, "SELECT server_instance || '|' ||"
                + " failure_type || '|' || recovery_action || '|' || resolved FROM integration_failures"));
    }

    @Test
    void aCommandThatCrashesOnStartGetsAtMostMaxRetryAttemptsRestartsThenRecoveryExhausted() throws Exception {
        Path db = dir.resolve("health.db");
        Path cfg = config("\"crashy\": {\"command\": \"node\", \"args\": [\"-e\", \"process.exit(3)\"]}",
                "{\"servers\": {\"crashy\": {\"intervalSeconds\": 1, \"timeoutMs\": 2000, \"connectTimeoutMs\": 5000,"
                + " \"retryDelaySeconds\": 1, \"maxRetryAttempts\": 3}}}");
        WatchCommandIT.RunningWatch watch = new WatchCommandIT.RunningWatch("watch", "--config", cfg.toString(),
                "--db", db.toString(), "--json");
        JsonNode exhausted = watch.out.await(event("recovery_exhausted"), Duration.ofSeconds(40),
                "recovery_exhausted");
        Thread.sleep(3_000); // real time: no fourth restart may follow at backoff speed (the slow retry is 5 min away)
        assertEquals(0, watch.stop(), watch.err.toString());

        assertEquals(3, exhausted.get("attempts").intValue(), exhausted.toString());
        Duration slow = Duration.between(Instant.parse(exhausted.get("at").stringValue()),
                Instant.parse(exhausted.get("nextRetryAt").stringValue()));
        assertTrue(slow.compareTo(Duration.ofMinutes(3)) > 0, "a slow retry, never a give-up: " + slow);
        List<JsonNode> starts = watch.out.events("recovery_started");
        assertEquals(3, starts.size(), "at most maxRetryAttempts restarts: " + watch.out.all);
        List<JsonNode> failed = watch.out.events("recovery_failed");
        assertEquals(3, failed.size());
        assertTrue(failed.get(0).get("failure").get("message").stringValue().contains("exit"),
                failed.get(0).toString());
        List<String> alerts = rows(db, "SELECT message FROM health_alerts");
        assertEquals(1, alerts.size());
        assertTrue(alerts.get(0).contains("recovery exhausted after 3 attempts"), alerts.get(0));
    }

    @Test
    void anHttpServerTakenDownAndBroughtBackIsReconnected() throws Exception {
        Path db = dir.resolve("health.db");
        int port;
        Path cfg;
        WatchCommandIT.RunningWatch watch;
        try (EverythingServer server = EverythingServer.streamableHttp()) {
            port = server.port();
            cfg = config("\"remote\": {\"type\": \"http\", \"url\": \"" + server.mcpUrl() + "\"}",
                    "{\"servers\": {\"remote\": {\"intervalSeconds\": 1, \"timeoutMs\": 2000,"
                    + " \"connectTimeoutMs\": 2000, \"retryDelaySeconds\": 1, \"maxRetryAttempts\": 5}}}");
            watch = new WatchCommandIT.RunningWatch("watch", "--config", cfg.toString(), "--db", db.toString(),
                    "--json");
            watch.out.await(statusTo("healthy"), Duration.ofSeconds(30), "healthy status");
            server.kill(); // the partition: nothing answers on the port any more
        }
        watch.out.await(e -> statusTo("critical").test(e) || statusTo("offline").test(e), Duration.ofSeconds(10),
                "down");
        JsonNode started = watch.out.await(event("recovery_started"), Duration.ofSeconds(10), "a reconnect");
        assertEquals("reconnect", started.get("action").stringValue());
        Thread.sleep(3_000); // real time: the partition lasts a few seconds
        Instant healed;
        try (EverythingServer again = EverythingServer.streamableHttpOn(port)) {
            healed = Instant.now();
            JsonNode healthy = watch.out.await(statusTo("healthy"), Duration.ofSeconds(30), "healthy again");
            Duration back = Duration.between(healed, Instant.parse(healthy.get("at").stringValue()));
            System.out.printf("FailoverIT HTTP partition: healthy %d ms after the server was back%n",
                    back.toMillis());
            assertTrue(back.compareTo(Duration.ofSeconds(10)) < 0, "reconnected " + back.toMillis() + " ms after");
            assertEquals(0, watch.stop(), watch.err.toString());
        }
        List<String> failures = rows(db, "SELECT failure_type || '|' || recovery_action || '|' || resolved"
                + " FROM integration_failures");
        assertEquals(1, failures.size(), failures.toString());
        assertTrue(failures.get(0).endsWith("|reconnect|1"), failures.toString());
    }

    @Test
    void aClientCallingInALoopSeesNoFailedCallWhileTheInstancesAreKilledInTurn() throws Exception {
        Path db = dir.resolve("health.db");
        // flags that tell the instances' processes apart
        String markerA = "--max-old-space-size=123";
        String markerB = "--max-old-space-size=124";
        // sticky: the calls stay on the instance serving them until it dies. Which one takes them first depends on
        // which was ready first, so the two are killed in turn, 4 s apart (time for the one killed before to be
        // restarted): whichever serves, a kill of it moves the calls, at the first kill or the second. (Balanced by
        // two choices, a client calling one call at a time sends nearly every call to the faster instance, and a kill
        // of the other may cost no failover at all: BalancedPoolTest covers that.)
        Path cfg = config("\"echo-a\": " + stdio(markerA) + ", \"echo-b\": " + stdio(markerB),
                "{\"defaults\": {\"timeoutMs\": 2000, \"retryDelaySeconds\": 1, \"idempotentTools\": [\"echo\"],"
                + " \"balancing\": \"sticky\"},"
                + " \"servers\": {\"echo-a\": {\"serverType\": \"echo\"}, \"echo-b\": {\"serverType\": \"echo\"}}}");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Main.commandLine()
                .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute("call", "--config", cfg.toString(), "--db", db.toString(), "--server-type", "echo",
                        "--tool", "echo", "--args", "{\"message\": \"hi\"}", "--duration", "14s", "--interval", "1",
                        "--json"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while ((children(markerA).isEmpty() || children(markerB).isEmpty()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Thread.sleep(1_000); // calls under way
        int kills = 0;
        for (String victim : List.of(markerA, markerB, markerA)) {
            List<ProcessHandle> p = children(victim);
            if (!p.isEmpty()) {
                p.get(0).destroyForcibly();
                kills++;
            }
            Thread.sleep(4_000);
        }
        int code = exit.get(60, TimeUnit.SECONDS);
        JsonNode summary = JSON.readTree(out.toString());
        System.out.println("FailoverIT two instances killed in turn every 4 s (" + kills + " kills): " + summary);
        assertEquals(3, kills, "a, b and a killed; stderr: " + err);
        assertEquals(0, summary.get("failed").intValue(), summary + "\n" + err);
        assertTrue(summary.get("ok").intValue() > 100, summary.toString());
        assertEquals(0, code, err.toString());
        assertTrue(summary.get("failovers").intValue() >= 1, "the calls moved to the other instance when the one"
                + " serving them died: " + summary);
    }

    private static List<String> rows(Path db, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }
}
