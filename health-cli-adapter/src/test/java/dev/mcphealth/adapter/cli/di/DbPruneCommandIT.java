package dev.mcphealth.adapter.cli.di;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort.IntegrationStatus;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort.IntegrationType;
import dev.mcphealth.application.port.out.OrchestratorRequest;
import dev.mcphealth.application.port.out.OrchestratorTool;
import dev.mcphealth.application.port.out.OutboxPort;
import dev.mcphealth.application.port.out.OutboxPort.Call;
import dev.mcphealth.domain.orchestrator.OrchestratorReply;
import dev.mcphealth.infrastructure.persistence.SqliteDatabase;
import dev.mcphealth.infrastructure.persistence.JdbcOrchestratorIntegrationLog;
import dev.mcphealth.infrastructure.persistence.JdbcOutbox;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code mcp-health db prune} on a real database holding the orchestrator's history: what it deletes, and says. */
class DbPruneCommandIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    /**
     * The outbox: two entries settled 10 days ago, one 2 days ago, one pending for 100 days. The integration log:
     * checks validated 10 days ago and 2 days ago.
     */
    private Path databaseWithOrchestratorHistory() {
        Path db = dir.resolve("health.db");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (SqliteDatabase database = SqliteDatabase.open(db)) {
            OutboxPort outbox = new JdbcOutbox(database);
            sent(outbox, "answered", now.minus(Duration.ofDays(10)));
            sent(outbox, "refused", now.minus(Duration.ofDays(10)));
            sent(outbox, "recent", now.minus(Duration.ofDays(2)));
            outbox.add(plan("waiting"), now.minus(Duration.ofDays(100)));
            OrchestratorIntegrationLogPort log = new JdbcOrchestratorIntegrationLog(database);
            for (Instant at : List.of(now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(2)))) {
                log.record(new OrchestratorIntegrationLogPort.Entry(IntegrationType.SELF_MONITORING,
                        OrchestratorTool.HEALTH_CHECK, IntegrationStatus.ACTIVE, at, Map.of("verdict", "healthy")));
            }
        }
        return db;
    }

    private static Call plan(String run) {
        return Call.of(run, new OrchestratorRequest.PlanTask("Recover", "down", java.util.Optional.empty(), "moderate",
                "devops"));
    }

    private static void sent(OutboxPort outbox, String run, Instant at) {
        long id = outbox.add(plan(run), at);
        outbox.claim(id, plan(run).request());
        outbox.settle(id, new OutboxPort.Replied(run.equals("refused") ? new OrchestratorReply.Refused("no")
                : dev.mcphealth.application.testkit.Answers.planned("task_1a2b"), at));
    }

    @Test
    void jsonCountsTheSettledOutboxEntriesAndIntegrationRowsPastTheRawRetention() {
        Path db = databaseWithOrchestratorHistory();

        Done r = Done.run("db", "prune", "--db", db.toString(), "--json");

        assertEquals(0, r.exit(), r.err());
        JsonNode report = JSON.readTree(r.out());
        assertEquals(db.toString(), report.get("database").stringValue());
        assertEquals(0, report.get("rawRowsDeleted").longValue());
        assertEquals(2, report.get("outboxEntriesDeleted").longValue(), r.out());
        assertEquals(1, report.get("integrationRowsDeleted").longValue(), r.out());

        Done again = Done.run("db", "prune", "--db", db.toString(), "--raw-days", "1", "--json");
        assertEquals(0, again.exit(), again.err());
        assertEquals(1, JSON.readTree(again.out()).get("outboxEntriesDeleted").longValue(),
                "the entry settled 2 days ago goes with 1 day of raw retention; the pending one never: " + again.out());
        assertEquals(1, JSON.readTree(again.out()).get("integrationRowsDeleted").longValue(), again.out());
    }

    @Test
    void theSentenceSaysWhatWentAndHowOldItWas() {
        Path db = databaseWithOrchestratorHistory();

        Done r = Done.run("db", "prune", "--db", db.toString(), "--raw-days", "5", "--rollup-days", "30");

        assertEquals(0, r.exit(), r.err());
        assertEquals(db + ": rolled up 0 hours; deleted 0 raw rows, 2 settled orchestrator outbox entries, 1"
                + " orchestrator integration rows and 0 tool usage rows older than 5 days, and 0 roll-ups and 0 usage"
                + " anomalies older than 30 days", r.out().strip());
        assertTrue(r.err().isEmpty(), r.err());
    }
}
