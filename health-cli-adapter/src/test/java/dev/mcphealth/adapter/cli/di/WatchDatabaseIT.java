package dev.mcphealth.adapter.cli.di;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.adapter.cli.di.WatchCommandIT.RunningWatch;
import dev.mcphealth.testkit.EverythingServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
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
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code mcp-health watch} and its database, end to end against the real server-everything over streamable HTTP: the
 * file deleted mid-watch, a file that cannot be made again, rows that cannot be written at the end, and two monitors
 * on one file (the first a real process, {@link WatchProcess}, killed with SIGKILL).
 */
class WatchDatabaseIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private PrintStream systemErr;

    @BeforeAll
    static void logAsMainDoes() {
        Main.configureLogging("info");
    }

    @BeforeEach
    void captureLogs() {
        systemErr = System.err;
        System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreLogs() {
        System.setErr(systemErr);
    }

    private String logs() {
        return logged.toString(StandardCharsets.UTF_8);
    }

    private Path config(EverythingServer server) throws IOException {
        Path file = dir.resolve("mcp.json");
        Files.writeString(file, "{\"mcpServers\": {\"everything\": {\"type\": \"http\", \"url\": \"" + server.mcpUrl()
                + "\"}}, \"health\": {\"servers\": {\"everything\": {\"intervalSeconds\": 1, \"timeoutMs\": "
                + TIMEOUT.toMillis() + ", \"connectTimeoutMs\": " + TIMEOUT.toMillis() + "}}}}");
        return file;
    }

    private static Predicate<JsonNode> event(String kind, String... to) {
        return e -> e.get("event").stringValue().equals(kind)
                && (to.length == 0 || List.of(to).contains(e.get("to").stringValue()));
    }

    private static void deleteWithLog(Path db) throws IOException {
        Files.delete(db);
        Files.deleteIfExists(db.resolveSibling(db.getFileName() + "-wal"));
        Files.deleteIfExists(db.resolveSibling(db.getFileName() + "-shm"));
    }

    private void awaitLogged(String text, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        Object lock = new Object();
        while (!logs().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never logged \"" + text + "\": " + logs());
            }
            synchronized (lock) {
                lock.wait(100); // the log has no event to wait on; poll it
            }
        }
    }

    private static void awaitRow(Path db, String sql, String value) throws Exception {
        awaitRow(db, sql, value::equals, value);
    }

    private static void awaitRow(Path db, String sql, Predicate<String> wanted, String value) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Object lock = new Object();
        while (rows(db, sql).size() != 1 || !wanted.test(rows(db, sql).get(0))) {
            assertTrue(System.nanoTime() < deadline, sql + " never gave " + value);
            synchronized (lock) {
                lock.wait(100); // written at the next flush: poll the file
            }
        }
    }

    private static int count(String text, String of) {
        Matcher m = Pattern.compile(Pattern.quote(of)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
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

    private static Instant sqlTime(String text) {
        return Instant.parse(text.replace(' ', 'T') + "Z");
    }

    @Test
    void theDatabaseDeletedMidWatchIsSaidOnceAndMadeAgainWithTheOpenEpisodeAndEveryRowAfter() throws Exception {
        Path db = dir.resolve("health.db");
        try (EverythingServer server = EverythingServer.streamableHttp()) {
            RunningWatch watch = new RunningWatch("watch", "--config", config(server).toString(), "--db",
                    db.toString(), "--json");
            watch.out.await(event("status_changed", "healthy"), Duration.ofSeconds(30), "healthy status");
            server.pause();
            watch.out.await(event("alert"), Duration.ofSeconds(30), "the alert of the hung server");
            awaitRow(db, "SELECT count(*) FROM health_alerts", "1"); // the episode is in the file before it goes

            deleteWithLog(db);
            Instant deletedAt = Instant.now();
            String said = "database " + db + " was deleted while in use: created it again";
            awaitLogged(said, Duration.ofSeconds(10));
            // while the server still hangs, the new file has what was open: the episode, its alert, the board
            awaitRow(db, "SELECT failure_type || '|' || resolved FROM integration_failures", "timeout|0");
            awaitRow(db, "SELECT severity || '|' || (resolved_at IS NULL) FROM health_alerts", "critical|1");
            awaitRow(db, "SELECT count(*) FROM server_status WHERE server_instance = 'everything' AND status IN"
                    + " ('critical', 'offline')", "1");
            server.resume();
            watch.out.await(event("alert_resolved"), Duration.ofSeconds(40), "the alert resolved after SIGCONT");
            awaitRow(db, "SELECT count(*) FROM integration_health_metrics WHERE server_instance = 'everything' AND"
                    + " metric_type = 'availability'", n -> Integer.parseInt(n) >= 5, "at least 5 probes");
            assertEquals(0, watch.stop(), watch.err.toString());

            assertEquals(1, count(logs(), said), "said once: " + logs());
            assertTrue(Files.exists(db), "a database at the path again");
            List<Instant> probes = new ArrayList<>();
            for (String at : rows(db, "SELECT measured_at FROM integration_health_metrics WHERE server_instance ="
                    + " 'everything' AND metric_type = 'availability' ORDER BY measured_at")) {
                probes.add(sqlTime(at));
            }
            assertTrue(probes.size() >= 5, "the probes after the deletion: " + probes);
            assertTrue(probes.get(0).isAfter(deletedAt.minusSeconds(5)), "only rows of about the deletion on: "
                    + probes.get(0) + " vs " + deletedAt);
            assertTrue(probes.get(probes.size() - 1).isAfter(deletedAt.plusSeconds(1)), "and every second after");
            assertEquals(List.of("everything|timeout|1"), rows(db, "SELECT server_instance || '|' || failure_type"
                    + " || '|' || resolved FROM integration_failures"),
                    "the episode open at the deletion, written again and resolved in the new file");
            assertTrue(sqlTime(rows(db, "SELECT occurred_at FROM integration_failures").get(0)).isBefore(deletedAt),
                    "its own start, from before the deletion");
            assertEquals(List.of("critical|1"), rows(db, "SELECT severity || '|' || (resolved_at IS NOT NULL)"
                    + " FROM health_alerts"), "its alert likewise");
            assertEquals(List.of("everything|healthy", "mcp-health|healthy"), rows(db, "SELECT server_instance || '|'"
                    + " || status FROM server_status ORDER BY server_instance"), "the status board");
            assertEquals(List.of("everything"), rows(db, "SELECT primary_server_type FROM failover_configurations"),
                    "the failover configuration, saved again as at start");

            Done status = Done.run("status", "--db", db.toString());
            assertEquals(0, status.exit(), status.err());
        }
    }

    @Test
    void aDatabaseThatCannotBeMadeAgainStopsTheWatchWithExitThreeAndSaysWhy() throws Exception {
        Path db = dir.resolve("health.db");
        try (EverythingServer server = EverythingServer.streamableHttp()) {
            RunningWatch watch = new RunningWatch("watch", "--config", config(server).toString(), "--db",
                    db.toString(), "--json");
            watch.out.await(event("status_changed", "healthy"), Duration.ofSeconds(30), "healthy status");
            deleteWithLog(db);
            Files.createDirectory(db); // nothing can be made at the path now (as root, permissions stop nothing)

            int exit = watch.exit.get(30, TimeUnit.SECONDS); // it stops by itself
            String err = watch.err.toString();
            assertEquals(3, exit, err);
            String lost = "database " + db + " was replaced by another file while in use and cannot be opened"
                    + " again: it is a directory";
            assertTrue(err.contains("mcp-health: " + lost + "; the watch stopped\n"), err);
            assertTrue(Pattern.compile("mcp-health: [0-9]+ rows not recorded: cannot write [a-z ]+ to " + Pattern.quote(
                    db.toString()) + ": " + Pattern.quote(lost)).matcher(err).find(), err);
            assertEquals(1, count(err + logs(), lost + ";"), "said once: " + err + logs());
        }
    }

    @Test
    void rowsNotRecordedAtTheEndMakeTheWatchExitThreeWithOneLine() throws Exception {
        Path db = dir.resolve("health.db");
        try (EverythingServer server = EverythingServer.streamableHttp()) {
            RunningWatch watch = new RunningWatch("watch", "--config", config(server).toString(), "--db",
                    db.toString(), "--json");
            watch.out.await(event("status_changed", "healthy"), Duration.ofSeconds(30), "healthy status");
            int exit;
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                 Statement s = c.createStatement()) {
                s.execute("BEGIN EXCLUSIVE"); // held through the stop, longer than the writer's busy timeout
                exit = watch.stop();
                s.execute("ROLLBACK");
            }
            String err = watch.err.toString();
            assertEquals(3, exit, err);
            List<String> lines = err.lines().filter(l -> l.contains("not recorded")).toList();
            assertEquals(1, lines.size(), err);
            assertTrue(lines.get(0).matches("mcp-health: [0-9]+ rows not recorded: cannot write [a-z ]+ to "
                    + Pattern.quote(db.toString()) + ": database is locked"), lines.get(0));
        }
    }

    @Test
    void aSecondMonitorOnTheFileIsRefusedWhileTheFirstRunsAndAllowedOnceItIsKilled() throws Exception {
        Path db = dir.resolve("health.db");
        try (EverythingServer server = EverythingServer.streamableHttp()) {
            Path config = config(server);
            try (WatchProcess first = WatchProcess.start("watch", "--config", config.toString(), "--db",
                    db.toString(), "--json")) {
                first.awaitOut(l -> l.contains("\"healthy\""), Duration.ofSeconds(30), "the first watch running");

                Done second = Done.run("watch", "--config", config.toString(), "--db", db.toString(), "--duration",
                        "2s");
                assertEquals(3, second.exit(), second.err());
                assertEquals("mcp-health: database " + db + " is in use by another monitor (process " + first.pid()
                        + "); run one monitor per database file, or give this one another database\n", second.err());
                Done call = Done.run("call", "--config", config.toString(), "--db", db.toString(), "--server-type",
                        "everything", "--tool", "echo", "--args", "{\"message\": \"hi\"}");
                assertEquals(3, call.exit(), "call runs a monitor too: " + call.err());

                Done check = Done.run("check", "--config", config.toString(), "--db", db.toString());
                assertEquals(0, check.exit(), "a check beside a running watch is normal: " + check.err());
                Done status = Done.run("status", "--db", db.toString());
                assertEquals(0, status.exit(), "so is reading: " + status.err());

                assertEquals(137, first.kill9(), "SIGKILL: nothing of it ran to release the lock");
            }
            Done again = Done.run("watch", "--config", config.toString(), "--db", db.toString(), "--duration", "2s",
                    "--json");
            assertEquals(0, again.exit(), "the lock died with its process: " + again.err());
        }
    }
}
