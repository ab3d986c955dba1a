package dev.mcphealth.adapter.cli.di;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.testkit.EverythingServer;
import dev.mcphealth.testkit.PostgresServer;
import dev.mcphealth.testkit.RepoPaths;
import dev.mcphealth.testkit.StatusCodeServerDouble;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code mcp-health check} end to end: real servers, a real database file, the exit codes. */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class CheckCommandIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    record Run(int exit, String out, String err, String logged) {
        JsonNode json() {
            return JSON.readTree(out);
        }
    }

    @BeforeAll
    static void logAsMainDoesButMore() {
        // our own loggers at info, so that a secret they might log would show; the SDK pinned as in production
        Main.configureLogging("info");
    }

    /** Runs the CLI in-process; {@code err} holds picocli's stderr and whatever was logged to System.err. */
    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        PrintStream systemErr = System.err;
        System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                    .execute(args);
            // a line of our own, unique (repeated lines are limited per JVM) and at warn: the levels are fixed when
            // the JVM's first logger is made, which with two test JVMs may be another class's doing, at warn
            org.slf4j.LoggerFactory.getLogger("dev.mcphealth.adapter.cli").warn("log capture check {}",
                    java.util.UUID.randomUUID());
        } finally {
            System.setErr(systemErr);
        }
        return new Run(exit, out.toString(), err.toString(), logged.toString(StandardCharsets.UTF_8));
    }

    private Path config(String json) throws IOException {
        Path file = dir.resolve("mcp.json");
        Files.writeString(file, json);
        return file;
    }

    /** The official Python SDK 2.3.0's server of both eras (scripts/install-test-servers.sh installs the SDK). */
    private static String dualEraServer(String transport, String port) {
        return "{\"command\": \"" + RepoPaths.root().resolve(".test-python/bin/python")
                + "\", \"args\": [\"" + RepoPaths.root().resolve(
                "health-infrastructure/src/test/resources/servers/python_dual_era_server.py") + "\", \"" + transport
                + "\"" + (port == null ? "" : ", \"" + port + "\"") + "]}";
    }

    @Test
    void aServerOfTheStatelessRevisionIsCheckedInItOverStdioAndHttpAndTheOutputSaysSo() throws Exception {
        int port = EverythingServer.freeLoopbackPort();
        Process http = new ProcessBuilder(RepoPaths.root().resolve(".test-python/bin/python").toString(),
                RepoPaths.root().resolve("health-infrastructure/src/test/resources/servers/python_dual_era_server.py")
                        .toString(), "http", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Path config = config("{\"mcpServers\": {\"py-stdio\": " + dualEraServer("stdio", null) + ","
                    + " \"py-http\": {\"type\": \"http\", \"url\": \"http://127.0.0.1:" + port + "/mcp\"}},"
                    + " \"health\": {\"defaults\": {\"connectTimeoutMs\": 20000}}}");
            Run r = null;
            long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            // the HTTP server's own start, which no test clock controls: checked again until it answers, 60 s at most
            while (System.nanoTime() < until) {
                r = run("check", "--config", config.toString(), "--db", dir.resolve("rev.db").toString(), "--json",
                        "--depth", "comprehensive");
                if (r.exit() == 0) {
                    break;
                }
                Thread.sleep(200);
            }
            assertEquals(0, r.exit(), r.out() + r.err());
            for (JsonNode s : r.json().get("servers")) {
                assertEquals("server/discover", s.get("probe").stringValue(), s.toString());
                assertEquals("2026-07-28", s.get("protocolVersion").stringValue(), s.toString());
                assertEquals("stateless", s.get("era").stringValue(), s.toString());
                assertEquals("python-dual-era", s.get("serverInfo").get("name").stringValue());
                assertEquals(1, s.get("toolCount").intValue(), s.toString());
            }
            Run table = run("check", "--config", config.toString(), "--db", dir.resolve("rev.db").toString());
            assertTrue(table.out().contains("(protocol 2026-07-28, stateless)"), table.out());
        } finally {
            http.destroyForcibly();
        }
    }

    private static String everythingStdio() {
        return "{\"command\": \"node\", \"args\": [\"" + EverythingServer.entryPoint() + "\", \"stdio\"]}";
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void healthyServerExitsZeroPrintsJsonAndRecordsMetrics() throws Exception {
        Path config = config("{\"mcpServers\": {\"everything\": " + everythingStdio() + "},"
                + " \"health\": {\"servers\": {\"everything\": {\"serverType\": \"demo\"}}}}");
        Path db = dir.resolve("health.db");

        Run r = run("check", "--config", config.toString(), "--db", db.toString(), "--json",
                "--depth", "comprehensive");

        assertEquals(0, r.exit(), r.err());
        assertTrue(r.logged().contains("log capture check"), "the log capture sees our lines: " + r.logged());
        JsonNode report = r.json();
        assertEquals("healthy", report.get("overall").stringValue());
        JsonNode s = report.get("servers").get(0);
        assertEquals("everything", s.get("name").stringValue());
        assertEquals("demo", s.get("serverType").stringValue());
        assertEquals("stdio", s.get("transport").stringValue());
        assertEquals("healthy", s.get("status").stringValue());
        assertEquals("ping", s.get("probe").stringValue());
        assertEquals("2025-11-25", s.get("protocolVersion").stringValue());
        assertEquals("handshake", s.get("era").stringValue());
        assertEquals("mcp-servers/everything", s.get("serverInfo").get("name").stringValue());
        assertEquals(13, s.get("toolCount").intValue());
        assertTrue(s.get("responseTimeMs").doubleValue() > 0);
        assertTrue(s.get("connectMs").doubleValue() > s.get("responseTimeMs").doubleValue());
        assertTrue(s.get("failure").isNull());
        assertEquals(List.of("demo|everything|availability|1.0|healthy", "demo|everything|response_time|healthy"),
                rows(db, "SELECT server_type || '|' || server_instance || '|' || metric_type || '|' ||"
                        + " CASE WHEN metric_type = 'availability' THEN metric_value || '|' ELSE '' END || status"
                        + " FROM integration_health_metrics ORDER BY metric_type"));
    }

    @Test
    void aPostgresqlDatabaseIsCheckedIntoAndReadBackAndItsPasswordIsShownNowhere() throws Exception {
        Path config = config("{\"mcpServers\": {\"everything\": " + everythingStdio() + "}}");
        PostgresServer pg = PostgresServer.shared();
        String url = pg.url(pg.database().database());
        String shown = url.replace(":" + pg.password() + "@", "@");

        Run check = run("check", "--config", config.toString(), "--db", url, "--json");
        Run watch = run("watch", "--config", config.toString(), "--db", url, "--interval", "1", "--duration", "3s");
        Run status = run("status", "--db", url, "--json");
        Run history = run("history", "--server", "everything", "--db", url, "--json");

        assertEquals(0, check.exit(), check.err() + check.logged());
        assertEquals("healthy", check.json().get("servers").get(0).get("status").stringValue());
        assertEquals(0, watch.exit(), watch.err() + watch.logged());
        assertTrue(watch.err().contains("recording to " + shown), watch.err());
        assertEquals(0, status.exit(), status.err() + status.logged());
        assertEquals(shown, status.json().get("database").stringValue());
        assertEquals("healthy", status.json().get("servers").get(0).get("status").stringValue());
        assertEquals(0, history.exit(), history.err() + history.logged());
        assertTrue(history.json().get("buckets").size() >= 1, history.out());
        for (Run r : List.of(check, watch, status, history)) {
            assertFalse((r.out() + r.err() + r.logged()).contains(pg.password()), "the password shown: " + r);
        }
    }

    @Test
    void aPostgresqlDatabaseThatCannotBeUsedIsOneSentenceWithoutItsPassword() throws Exception {
        PostgresServer pg = PostgresServer.shared();
        String wrong = "postgresql://mcp:n0t-the-s3cret@127.0.0.1:" + pg.port() + "/postgres";
        Run refused = run("status", "--db", wrong);
        Run unreadable = run("status", "--db", "postgresql://mcp:n0t-the-s3cret@127.0.0.1:99999/x");

        assertEquals("mcp-health: cannot open database postgresql://mcp@127.0.0.1:" + pg.port() + "/postgres:"
                + " password authentication failed for user \"mcp\"", refused.err().strip());
        assertEquals("mcp-health: the database port must be 1-65535, got 99999", unreadable.err().strip());
        for (Run r : List.of(refused, unreadable)) {
            assertTrue(r.exit() >= 2, r.toString());
            assertFalse((r.out() + r.err() + r.logged()).contains("s3cret"), r.toString());
        }
    }

    @Test
    void theReadmeExampleChecksHealthy() throws Exception {
        Path example = RepoPaths.root().resolve("examples/mcp.json");

        Run r = run("check", "--config", example.toString(), "--db", dir.resolve("h.db").toString());

        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("overall: healthy (2 healthy)"), r.out());
    }

    @Test
    void offlineServerExitsTwoAndRecordsTheFailure() throws Exception {
        Path config = config("{\"mcpServers\": {\"gone\": {\"command\": \"/nonexistent/mcp-server\"}}}");
        Path db = dir.resolve("health.db");

        Run r = run("check", "-c", config.toString(), "--db", db.toString(), "--json");

        assertEquals(2, r.exit(), r.err());
        JsonNode s = r.json().get("servers").get(0);
        assertEquals("offline", s.get("status").stringValue());
        assertEquals("connection_error", s.get("failure").get("type").stringValue());
        assertTrue(s.get("failure").get("message").stringValue().contains("No such file or directory"));
        assertEquals(List.of("connection_error|gone|none|0"), rows(db, "SELECT failure_type || '|' || server_instance"
                + " || '|' || recovery_action || '|' || resolved FROM integration_failures"));
        assertEquals(List.of("availability|0.0|offline"), rows(db, "SELECT metric_type || '|' || metric_value || '|'"
                + " || status FROM integration_health_metrics"));
    }

    @Test
    void rateLimitedServerIsAWarningAndExitsOne() throws Exception {
        try (StatusCodeServerDouble http = StatusCodeServerDouble.answering(429)) {
            Path config = config("{\"servers\": {\"throttled\": {\"type\": \"http\", \"url\": \"" + http.url()
                    + "\"}}}");

            Run r = run("check", "--config", config.toString(), "--db", dir.resolve("h.db").toString());

            assertEquals(1, r.exit(), r.out() + r.err());
            assertTrue(r.out().contains("rate_limit"), r.out());
        }
    }

    @Test
    void secretsAreNeverPrintedNorStored() throws Exception {
        String headerSecret = "Bearer hdr-" + System.nanoTime();
        String envSecret = "env-" + System.nanoTime();
        try (StatusCodeServerDouble http = StatusCodeServerDouble.answering(401);
             StatusCodeServerDouble echo = StatusCodeServerDouble.answering(200)) {
            Path config = config("{\"mcpServers\": {"
                    + "\"remote\": {\"type\": \"http\", \"url\": \"" + http.url() + "\","
                    + " \"headers\": {\"Authorization\": \"" + headerSecret + "\"}},"
                    + "\"legacy\": {\"type\": \"sse\", \"url\": \"" + http.url() + "\","
                    + " \"headers\": {\"Authorization\": \"" + headerSecret + "\"}},"
                    + "\"echo\": {\"type\": \"http\", \"url\": \"" + echo.url() + "\","
                    + " \"headers\": {\"Authorization\": \"" + headerSecret + "\"}},"
                    + "\"local\": {\"command\": \"sh\", \"args\": [\"-c\", \"echo key=$KEY >&2; exit 1\"],"
                    + " \"env\": {\"KEY\": \"" + envSecret + "\"}}}}");
            Path db = dir.resolve("health.db");

            Run table = run("check", "--config", config.toString(), "--db", db.toString());
            Run json = run("check", "--config", config.toString(), "--db", db.toString(), "--json");

            assertEquals(2, table.exit());
            assertEquals(headerSecret, http.lastAuthorization());
            for (String text : List.of(table.out(), table.err(), json.out(), json.err(), table.logged(),
                    json.logged(),
                    String.join("\n", rows(db, "SELECT COALESCE(error_details, '') || task_context"
                            + " FROM integration_failures")),
                    String.join("\n", rows(db, "SELECT details FROM integration_health_metrics")))) {
                assertFalse(text.contains(headerSecret) || text.contains("hdr-"), text);
                assertFalse(text.contains(envSecret), text);
            }
            assertTrue(json.out().contains("key=***"), json.out());
        }
    }

    @Test
    void badConfigExitsThreeWithOneSentenceNamingFileAndPath() throws Exception {
        Path config = config("{\"mcpServers\": {\"x\": {\"command\": \"node\", \"args\": [\"a\", 7]}}}");

        Run r = run("check", "--config", config.toString(), "--db", dir.resolve("h.db").toString());

        assertEquals(3, r.exit());
        assertEquals("", r.out());
        assertEquals(List.of("mcp-health: " + config + ": $.mcpServers.x.args[1]: expected a string, got number 7"),
                r.err().lines().toList());
    }

    @Test
    void missingConfigFileExitsThree() {
        Path config = dir.resolve("nope.json");

        Run r = run("check", "--config", config.toString(), "--db", dir.resolve("h.db").toString());

        assertEquals(3, r.exit());
        assertEquals(List.of("mcp-health: " + config + ": cannot read the configuration: no such file"),
                r.err().lines().toList());
    }

    @Test
    void anEndlessConfigExitsThreeWithOneLineQuickly() {
        Run r = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> run("check", "--config", "/dev/zero", "--db", dir.resolve("h.db").toString()));

        assertEquals(3, r.exit());
        assertEquals("", r.out());
        assertEquals(List.of("mcp-health: /dev/zero: larger than the limit of 4194304 bytes (4 MiB) for a"
                + " configuration file"), r.err().lines().toList());
        assertFalse(Files.exists(dir.resolve("h.db")), "the database is not opened for a bad configuration");
    }

    @Test
    void aDirectoryAsConfigExitsThreeWithOneLine() {
        Run r = run("check", "--config", dir.toString(), "--db", dir.resolve("h.db").toString());

        assertEquals(3, r.exit());
        assertEquals(List.of("mcp-health: " + dir + ": cannot read the configuration: it is a directory, not a file"),
                r.err().lines().toList());
    }

    @Test
    void aServerNameWithControlCharactersExitsThreeAndNothingRawReachesTheTerminal() throws Exception {
        // as JSON writes them: ESC [31m (red) and U+202E (right-to-left override)
        Path config = config("{\"mcpServers\": {\"files\\u001b[31m\\u202e\": {\"command\": \"true\"}}}");

        Run r = run("check", "--config", config.toString(), "--db", dir.resolve("h.db").toString());

        assertEquals(3, r.exit());
        assertEquals(List.of("mcp-health: " + config + ": $.mcpServers[\"files\\u001b[31m\\u202e\"]: the name has a"
                + " control or bidirectional formatting character (U+001B at index 5); rename it"),
                r.err().lines().toList());
        for (String text : List.of(r.out(), r.err(), r.logged())) {
            assertFalse(text.contains("\u001b") || text.contains("\u202e"), text);
        }
    }

    @Test
    void theHistoryOfAServerTheDatabaseNeverRecordedIsAMistypedNameNotAnEmptyHistory() throws Exception {
        Path config = config("{\"mcpServers\": {\"quiet\": {\"command\": \"sh\", \"args\": [\"-c\", \"exit 1\"]}}}");
        Path db = dir.resolve("health.db");
        assertEquals(2, run("check", "--config", config.toString(), "--db", db.toString()).exit());

        // its rows moved out of the period: a quiet hour of a server the database knows
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
             java.sql.Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE integration_health_metrics SET measured_at = '2020-01-01 00:00:00.000'");
            s.executeUpdate("UPDATE integration_failures SET occurred_at = '2020-01-01 00:00:00.000', resolved = 1");
            s.executeUpdate("UPDATE health_alerts SET raised_at = '2020-01-01 00:00:00.000',"
                    + " resolved_at = '2020-01-01 00:00:01.000'");
        }

        Done known = Done.run("history", "--db", db.toString(), "--server", "quiet", "--since", "1h");
        Done typo = Done.run("history", "--db", db.toString(), "--server", "quite");
        Done typoJson = Done.run("history", "--db", db.toString(), "--server", "quite", "--json");

        assertEquals(0, known.exit(), known.err());
        assertTrue(known.out().contains("quiet"), known.out());
        for (Done d : List.of(typo, typoJson)) {
            assertEquals(3, d.exit(), d.out());
            assertEquals(List.of("mcp-health: no server \"quite\" is recorded in " + db + "; recorded: quiet"),
                    d.err().lines().toList());
            assertEquals("", d.out());
        }
    }

    @Test
    void aServersEscapeSequencesAreShownEscapedInTables() throws Exception {
        // the server's last words on stderr recolour the terminal and reverse the text after them, if shown raw
        Path config = config("{\"mcpServers\": {\"loud\": {\"command\": \"sh\", \"args\": [\"-c\","
                + " \"printf 'boom \\\\033[31mred\\\\342\\\\200\\\\256desrever\\\\n' >&2; exit 1\"]}}}");
        Path db = dir.resolve("health.db");

        Run check = run("check", "--config", config.toString(), "--db", db.toString());
        Run json = run("check", "--config", config.toString(), "--db", db.toString(), "--json");
        Done failures = Done.run("failures", "--db", db.toString());
        Done status = Done.run("status", "--db", db.toString());
        Done history = Done.run("history", "--db", db.toString(), "--server", "loud");

        assertEquals(2, check.exit(), check.err());
        assertTrue(check.out().contains("boom \\u001b[31mred\\u202edesrever"), check.out());
        String message = json.json().get("servers").get(0).get("failure").get("message").stringValue();
        assertTrue(message.endsWith(": boom \u001b[31mred\u202edesrever"), "JSON keeps the text as it is: " + message);
        assertTrue(failures.out().contains("boom \\u"), failures.out());
        assertTrue(history.out().contains("boom \\u001b[31mred\\u202e"), history.out());
        for (String text : List.of(check.out(), check.err(), failures.out(), failures.err(), status.out(),
                status.err(), history.out(), history.err())) {
            assertFalse(text.contains("\u001b") || text.contains("\u202e"), text);
        }
    }

    @Test
    void aSecretEchoedInAnotherCaseOrEncodedIsNeitherPrintedNorStored() throws Exception {
        String secret = "sk-Live-" + Long.toHexString(System.nanoTime()) + "-Tok";
        String base64 = java.util.Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
        // the server echoes the key upper-cased, lower-cased and base64-encoded in its error
        Path config = config("{\"mcpServers\": {\"echoes\": {\"command\": \"sh\", \"args\": [\"-c\","
                + " \"echo \\\"invalid key $(printf %s \\\"$KEY\\\" | tr a-z A-Z), $(printf %s \\\"$KEY\\\" | tr A-Z a-z),"
                + " $(printf %s \\\"$KEY\\\" | base64)\\\" >&2; exit 1\"], \"env\": {\"KEY\": \"" + secret + "\"}}}}");
        Path db = dir.resolve("health.db");

        Run table = run("check", "--config", config.toString(), "--db", db.toString());
        Run json = run("check", "--config", config.toString(), "--db", db.toString(), "--json");
        Done failures = Done.run("failures", "--db", db.toString(), "--json");

        assertEquals(2, table.exit(), table.err());
        assertTrue(json.out().contains("invalid key ***, ***, ***"), json.out());
        String lower = secret.toLowerCase(java.util.Locale.ROOT);
        for (String text : List.of(table.out(), table.err(), json.out(), json.err(), table.logged(), json.logged(),
                failures.out(),
                String.join("\n", rows(db, "SELECT COALESCE(error_details, '') || task_context"
                        + " FROM integration_failures")),
                String.join("\n", rows(db, "SELECT COALESCE(details, '') FROM integration_health_metrics")))) {
            assertFalse(text.toLowerCase(java.util.Locale.ROOT).contains(lower), text);
            assertFalse(text.contains(base64), text);
        }
    }

    @Test
    void unknownServerNameExitsThreeAndNamesTheConfiguredOnes() throws Exception {
        Path config = config("{\"mcpServers\": {\"a\": {\"command\": \"true\"}, \"b\": {\"command\": \"true\"}}}");

        Run r = run("check", "--config", config.toString(), "--server", "c", "--db", dir.resolve("h.db").toString());

        assertEquals(3, r.exit());
        assertEquals(List.of("mcp-health: unknown server c; configured: a, b"), r.err().lines().toList());
    }

    @Test
    void unreadableDatabaseExitsThree() throws Exception {
        Path config = config("{\"mcpServers\": {\"a\": {\"command\": \"true\"}}}");
        Path notADb = dir.resolve("notes.txt");
        Files.writeString(notADb, "not a database, just text\n".repeat(50));

        Run r = run("check", "--config", config.toString(), "--db", notADb.toString());

        assertEquals(3, r.exit());
        assertEquals(List.of("mcp-health: cannot open database " + notADb + ": file is not a database"),
                r.err().lines().toList());
    }

    @Test
    void badFlagExitsThree() {
        Run r = run("check", "--config", "x.json", "--depth", "deep");

        assertEquals(3, r.exit());
        assertTrue(r.err().startsWith("mcp-health: --depth: check depth must be one of basic, comprehensive"), r.err());
    }

    @Test
    void noCommandShowsUsageAndExitsThree() {
        Run r = run();

        assertEquals(3, r.exit());
        assertTrue(r.err().contains("check"), r.err());
    }

    @Test
    void aConfigWithNothingEnabledExitsThree() throws Exception {
        Path config = config("{\"mcpServers\": {\"a\": {\"command\": \"true\", \"disabled\": true}}}");

        Run r = run("check", "--config", config.toString(), "--db", dir.resolve("h.db").toString());

        assertEquals(3, r.exit());
        assertEquals(List.of("mcp-health: " + config + ": no enabled server to check"), r.err().lines().toList());
    }

    @Test
    void helpExitsZero() {
        Run r = run("check", "--help");

        assertEquals(0, r.exit());
        assertTrue(r.out().contains("--depth") && r.out().contains("Exit codes"), r.out());
    }

    private static List<String> rows(Path db, String query) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
