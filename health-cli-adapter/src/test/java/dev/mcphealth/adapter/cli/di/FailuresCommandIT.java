package dev.mcphealth.adapter.cli.di;

import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.RecoveryAction;
import dev.mcphealth.infrastructure.persistence.SqliteDatabase;
import dev.mcphealth.infrastructure.persistence.JdbcFailureStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code mcp-health failures} on a real database written by the failure store. */
class FailuresCommandIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final MonitoredServer A = aServer().named("server-a").ofType("everything").build();
    private static final MonitoredServer B = aServer().named("server-b").ofType("web_search").build();
    private static final String LONG = "connection refused by 127.0.0.1:8080 after three attempts,\nthe last one at"
            + " the end of a very long sentence";

    @TempDir
    Path dir;

    /** Three episodes: open since 2 h ago, resolved 30 min ago after 42 s, and one of three days ago. */
    private Path databaseWithFailures() {
        Path db = dir.resolve("health.db");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (SqliteDatabase database = SqliteDatabase.open(db)) {
            new JdbcFailureStore(database).record(List.of(
                    Failure.open(A, FailureType.CONNECTION_ERROR, "monitoring", LONG, now.minus(Duration.ofHours(2))),
                    new Failure(B.type(), B.id(), FailureType.TIMEOUT, "monitoring", "no answer within 10 s",
                            RecoveryAction.RESTART, Optional.of(Duration.ofSeconds(42)),
                            now.minus(Duration.ofMinutes(30)), Optional.of("task_0123abcd")),
                    new Failure(A.type(), A.id(), FailureType.SERVER_ERROR, "monitoring", "HTTP 500",
                            RecoveryAction.RECONNECT, Optional.of(Duration.ofSeconds(5)),
                            now.minus(Duration.ofDays(3)), Optional.empty())));
        }
        return db;
    }

    @Test
    void aTableOfTheLastDaysEpisodesNewestFirst() {
        Path db = databaseWithFailures();

        Done r = Done.run("failures", "--db", db.toString());

        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(3, lines.size(), r.out());
        assertTrue(lines.get(0).matches("SERVER +TYPE +STARTED \\(UTC\\) +DURATION RECOVERY +DETAILS"), lines.get(0));
        assertTrue(lines.get(1).matches("server-b +timeout +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +42s restart"
                + " +no answer within 10 s"), lines.get(1));
        assertTrue(lines.get(2).matches("server-a +connection_error +\\S+ \\S+ +open none +connection refused by"
                + " 127\\.0\\.0\\.1:8080 after three attempts,…"), lines.get(2));
    }

    @Test
    void jsonIsOneArrayWithEverythingStored() {
        Path db = databaseWithFailures();

        Done r = Done.run("failures", "--db", db.toString(), "--since", "7d", "--json");

        assertEquals(0, r.exit(), r.err());
        JsonNode all = JSON.readTree(r.out());
        assertTrue(all.isArray());
        assertEquals(3, all.size(), r.out());
        JsonNode resolved = all.get(0);
        assertEquals("server-b", resolved.get("server").stringValue());
        assertEquals("web_search", resolved.get("serverType").stringValue());
        assertEquals("timeout", resolved.get("type").stringValue());
        assertTrue(resolved.get("resolved").booleanValue());
        assertEquals(42, resolved.get("resolutionSeconds").intValue());
        assertEquals("restart", resolved.get("recoveryAction").stringValue());
        assertEquals("task_0123abcd", resolved.get("orchestratorRecoveryTaskId").stringValue());
        Instant.parse(resolved.get("occurredAt").stringValue());
        JsonNode open = all.get(1);
        assertFalse(open.get("resolved").booleanValue());
        assertTrue(open.get("resolutionSeconds").isNull());
        assertEquals(LONG, open.get("details").stringValue());
        assertEquals("reconnect", all.get(2).get("recoveryAction").stringValue());
    }

    @Test
    void theLimitKeepsTheNewestAndSaysSo() {
        Path db = databaseWithFailures();

        Done r = Done.run("failures", "--db", db.toString(), "--since", "7d", "--limit", "1");

        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(3, lines.size(), r.out());
        assertTrue(lines.get(1).startsWith("server-b "), lines.get(1));
        assertEquals("showing the newest 1; --limit shows more", lines.get(2));
    }

    @Test
    void noFailuresIsAnAnswer() {
        Path db = dir.resolve("empty.db");
        SqliteDatabase.open(db).close();

        Done table = Done.run("failures", "--db", db.toString(), "--since", "1h");
        assertEquals(0, table.exit(), table.err());
        assertEquals("no failures recorded in the last 1h (or open then)", table.out().strip());
        Done json = Done.run("failures", "--db", db.toString(), "--json");
        assertEquals(0, json.exit(), json.err());
        assertEquals("[]", json.out().strip());
    }

    @Test
    void withoutADatabaseItSaysSoExitsThreeAndCreatesNone() {
        Path missing = dir.resolve("nothing-here.db");
        Done r = Done.run("failures", "--db", missing.toString());
        assertEquals(3, r.exit());
        assertTrue(r.err().startsWith("mcp-health: no database at ") && r.err().contains("nothing-here.db"), r.err());
        assertFalse(Files.exists(missing), "failures does not create a database");
    }

    @Test
    void badFlagsAreOneSentenceAndExitThree() {
        Path db = databaseWithFailures();
        for (List<String> bad : List.of(
                List.of("--since", "soon", "mcp-health: --since: expected a duration like 90s"),
                List.of("--since", "0m", "mcp-health: --since: duration must be more than zero"),
                List.of("--limit", "0", "mcp-health: --limit must be at least 1, got 0"),
                List.of("--limit", "many", "mcp-health: Invalid value for option '--limit': 'many' is not an int"))) {
            Done r = Done.run("failures", "--db", db.toString(), bad.get(0), bad.get(1));
            assertEquals(3, r.exit(), bad.toString());
            assertEquals("", r.out());
            List<String> err = r.err().lines().toList();
            assertTrue(err.get(0).startsWith(bad.get(2)), r.err());
            assertEquals(List.of("Try 'mcp-health failures --help' for more."), err.subList(1, err.size()), r.err());
        }
    }
}
