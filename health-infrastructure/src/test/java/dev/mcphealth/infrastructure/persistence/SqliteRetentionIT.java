package dev.mcphealth.infrastructure.persistence;

import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort.IntegrationStatus;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort.IntegrationType;
import dev.mcphealth.application.port.out.OrchestratorRequest;
import dev.mcphealth.application.port.out.OrchestratorTool;
import dev.mcphealth.application.port.out.OutboxPort;
import dev.mcphealth.application.port.out.OutboxPort.Call;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.domain.model.HealthMetric;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MetricType;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.orchestrator.OrchestratorReply;
import dev.mcphealth.domain.history.RetentionReport;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Retention on ten days of synthetic probes of two servers: what is rolled up, what is deleted, and twice; and the
 * orchestrator's outbox and integration log, pruned with the raw rows' cut-off.
 */
class SqliteRetentionIT {
    private static final MonitoredServer A = aServer().named("a").ofType("everything").build();
    private static final MonitoredServer B = aServer().named("b").ofType("memory").build();
    private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant NOW = START.plus(Duration.ofDays(10));
    private static final Instant ROLL_UP_BEFORE = NOW.minus(Duration.ofMinutes(30));
    private static final Instant RAW_BEFORE = NOW.minus(Duration.ofDays(7));
    private static final Instant ROLLUPS_BEFORE = NOW.minus(Duration.ofDays(9));

    @RegisterExtension
    final TempDatabase database = new TempDatabase();


    @Test
    void tenDaysAreRolledUpByTheHourThenPrunedAndASecondRunChangesNothing() throws Exception {
        List<HealthMetric> rows = tenDays();
        append(rows);
        long rawBefore = rows.stream().filter(m -> m.measuredAt().isBefore(RAW_BEFORE)).count();

        long started = System.nanoTime();
        RetentionReport report = new JdbcRetention(database.db()).prune(ROLL_UP_BEFORE, RAW_BEFORE, ROLLUPS_BEFORE);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        // 00:00 on day 1 to 22:00 on day 10: 239 complete hours before 23:30, for 2 servers and 2 metrics
        assertEquals(new RetentionReport(239 * 4, rawBefore, 24 * 4, 0, 0), report);
        assertEquals(16_416, rawBefore, "3 days x 1,440 probes x 1.9 rows x 2 servers");
        assertEquals(Long.toString(rows.size() - rawBefore),
                Sql.single(database.db(), "SELECT COUNT(*) FROM integration_health_metrics"));
        assertEquals("2026-11-04 00:00:00.000",
                Sql.single(database.db(), "SELECT MIN(measured_at) FROM integration_health_metrics"));
        assertEquals("860", Sql.single(database.db(), "SELECT COUNT(*) FROM integration_health_rollups"));
        assertEquals("2026-11-02 00:00:00.000|2026-11-10 22:00:00.000",
                Sql.single(database.db(), "SELECT MIN(hour_start) || '|' || MAX(hour_start) FROM integration_health_rollups"));
        assertRollupOf(rows, A, MetricType.RESPONSE_TIME, Instant.parse("2026-11-05T10:00:00Z"));
        assertRollupOf(rows, B, MetricType.AVAILABILITY, Instant.parse("2026-11-02T00:00:00Z"));
        assertRollupOf(rows, B, MetricType.RESPONSE_TIME, Instant.parse("2026-11-10T22:00:00Z"));
        assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "took " + took);

        String tables = snapshotOfTables();
        assertEquals(new RetentionReport(0, 0, 0, 0, 0),
                new JdbcRetention(database.db()).prune(ROLL_UP_BEFORE, RAW_BEFORE, ROLLUPS_BEFORE));
        assertEquals(tables, snapshotOfTables());
    }

    @Test
    void anHourIsSummarisedByNearestRankAndItsWorstStatus() throws Exception {
        List<HealthMetric> rows = new ArrayList<>();
        Instant hour = Instant.parse("2026-11-05T10:00:00Z");
        for (int v = 100; v >= 1; v--) {
            HealthStatus status = v == 42 ? HealthStatus.CRITICAL
                    : v == 43 ? HealthStatus.WARNING : HealthStatus.HEALTHY;
            rows.add(HealthMetric.of(A, MetricType.RESPONSE_TIME, v, status, Map.of(), hour.plusSeconds(v * 30L)));
        }
        // the next hour's first instant belongs to the next hour
        rows.add(HealthMetric.of(A, MetricType.RESPONSE_TIME, 1000, HealthStatus.OFFLINE, Map.of(),
                hour.plusSeconds(3600)));
        append(rows);

        assertEquals(new RetentionReport(1, 0, 0, 0, 0),
                new JdbcRetention(database.db()).prune(hour.plus(Duration.ofMinutes(90)), Instant.EPOCH, Instant.EPOCH));

        assertEquals("everything|a|response_time|2026-11-05 10:00:00.000|100|1.0|100.0|50.5|50.0|95.0|99.0|critical",
                Sql.single(database.db(), "SELECT server_type || '|' || server_instance || '|' || metric_type || '|' || hour_start"
                        + " || '|' || samples || '|' || min_value || '|' || max_value || '|' || mean_value"
                        + " || '|' || p50 || '|' || p95 || '|' || p99 || '|' || worst_status"
                        + " FROM integration_health_rollups"));
    }

    @Test
    void rawRowsOfHoursNotRolledUpAndRowsOfNoServerAreKept() throws Exception {
        Instant nine = Instant.parse("2026-11-05T09:00:00Z");
        append(List.of(up(nine.plusSeconds(60)), up(nine.plusSeconds(3_660)), up(nine.plusSeconds(7_260))));
        Sql.execute(database.db(), "INSERT INTO integration_health_metrics (server_type, metric_type, metric_value, measured_at)"
                + " VALUES ('someone-elses', 'availability', 1, '2026-11-01 00:00:00')");

        // 10:30: 09:00-10:00 is complete, 10:00-11:00 is not; raw rows up to 11:30 may go, but only rolled-up ones do
        RetentionReport report = new JdbcRetention(database.db()).prune(nine.plusSeconds(5_400), nine.plusSeconds(9_000),
                Instant.EPOCH);

        assertEquals(new RetentionReport(1, 1, 0, 0, 0), report);
        assertEquals("2026-11-01 00:00:00|2026-11-05 10:01:00.000|2026-11-05 11:01:00.000",
                Sql.single(database.db(), "SELECT group_concat(measured_at, '|') FROM (SELECT measured_at FROM"
                        + " integration_health_metrics ORDER BY measured_at)"));
    }

    @Test
    void aMonitorWritingOnAnotherConnectionMeanwhileIsNeitherBlockedNorPruned() throws Exception {
        List<HealthMetric> rows = tenDays();
        append(rows);
        long rawBefore = rows.stream().filter(m -> m.measuredAt().isBefore(RAW_BEFORE)).count();
        AtomicBoolean pruning = new AtomicBoolean(true);
        JdbcMetricStore monitor = new JdbcMetricStore(database.db());
        CompletableFuture<Integer> writer = CompletableFuture.supplyAsync(() -> {
            int written = 0;
            while (pruning.get() || written == 0) {
                List<HealthMetric> batch = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    batch.add(HealthMetric.of(A, MetricType.AVAILABILITY, 1, HealthStatus.HEALTHY, Map.of("live", "1"),
                            NOW.plusMillis(written + i)));
                }
                monitor.append(batch);
                written += batch.size();
            }
            return written;
        });

        RetentionReport report;
        try {
            report = new JdbcRetention(database.db()).prune(ROLL_UP_BEFORE, RAW_BEFORE, ROLLUPS_BEFORE);
        } finally {
            pruning.set(false);
        }
        int written = writer.get();

        assertEquals(new RetentionReport(239 * 4, rawBefore, 24 * 4, 0, 0), report);
        assertEquals(Integer.toString(written),
                Sql.single(database.db(), "SELECT COUNT(*) FROM integration_health_metrics WHERE details = '{\"live\":\"1\"}'"));
    }

    @Test
    void aLockedDatabaseIsUnavailableAndTheNextRunDoesItAll() throws Exception {
        List<HealthMetric> rows = tenDays();
        append(rows);
        long rawBefore = rows.stream().filter(m -> m.measuredAt().isBefore(RAW_BEFORE)).count();
        JdbcRetention retention = new JdbcRetention(database.db());

        AutoCloseable lock = Sql.lockExclusively(database.db().file());
        try {
            StorageUnavailableException e = assertThrows(StorageUnavailableException.class,
                    () -> new JdbcRetention(database.impatient()).prune(ROLL_UP_BEFORE, RAW_BEFORE, ROLLUPS_BEFORE));
            assertEquals("cannot prune history in " + database.db().file() + ": database is locked", e.getMessage());
        } finally {
            lock.close();
        }
        assertEquals(Integer.toString(rows.size()), Sql.single(database.db(), "SELECT COUNT(*) FROM integration_health_metrics"));
        assertEquals("0", Sql.single(database.db(), "SELECT COUNT(*) FROM integration_health_rollups"));

        assertEquals(new RetentionReport(239 * 4, rawBefore, 24 * 4, 0, 0),
                retention.prune(ROLL_UP_BEFORE, RAW_BEFORE, ROLLUPS_BEFORE));
    }

    @Test
    void settledOutboxEntriesGoWithTheRawRowsButWaitingOnesNeverDo() throws Exception {
        OutboxPort outbox = new JdbcOutbox(database.db());
        Instant old = RAW_BEFORE.minus(Duration.ofDays(3));
        Instant ancient = START.minus(Duration.ofDays(300));
        Instant recent = RAW_BEFORE.plus(Duration.ofDays(1));
        OrchestratorReply planned = dev.mcphealth.infrastructure.orchestrator.AnswerReader.answered(OrchestratorTool.PLAN_TASK, Map.of("success", true, "task_id", "task_1a2b"));
        // settled before the cut-off, each way an entry can settle: they go
        sent(outbox, plan("answered"), old, planned, old);
        sent(outbox, plan("done-despite-error"), old, new OrchestratorReply.DoneDespiteError("error, but done"), old);
        sent(outbox, plan("refused"), old, new OrchestratorReply.Refused("no such project"), old);
        sent(outbox, plan("unconfirmed"), old, new OrchestratorReply.Unconfirmed("no answer in 30 s"), old);
        long skipped = outbox.add(plan("skipped"), old);
        outbox.settle(skipped, new OutboxPort.Skipped("its plan was refused", old));
        sent(outbox, plan("just-before"), old, planned, RAW_BEFORE.minusMillis(1));
        long planGone = sent(outbox, plan("chain-gone"), old, planned, old);
        sent(outbox, update("chain-gone", planGone), old, planned, old.plusSeconds(1));
        // settled at or after the cut-off: they stay
        sent(outbox, plan("at-cut-off"), old, planned, RAW_BEFORE);
        sent(outbox, plan("recent"), old, planned, recent);
        // waiting, however old: they stay
        outbox.add(plan("pending-ancient"), ancient);
        long sending = outbox.add(plan("sending-ancient"), ancient);
        outbox.claim(sending, plan("sending-ancient").request());
        // settled long ago, but an entry that stays takes its task id from it: both stay
        long planOfWaiting = sent(outbox, plan("plan-of-waiting"), ancient, planned, ancient);
        outbox.add(update("plan-of-waiting", planOfWaiting), ancient);
        long planOfRecent = sent(outbox, plan("plan-of-recent"), old, planned, old);
        sent(outbox, update("plan-of-recent", planOfRecent), old, planned, recent);

        RetentionReport report = new JdbcRetention(database.db()).prune(ROLL_UP_BEFORE, RAW_BEFORE, ROLLUPS_BEFORE);

        assertEquals(new RetentionReport(0, 0, 0, 8, 0), report);
        assertEquals("at-cut-off answered;recent answered;pending-ancient pending;sending-ancient sending;"
                        + "plan-of-waiting answered;plan-of-waiting pending;plan-of-recent answered;plan-of-recent answered",
                Sql.single(database.db(), "SELECT group_concat(run_key || ' ' || state, ';') FROM"
                        + " (SELECT run_key, state FROM orchestrator_outbox ORDER BY id)"));
        assertEquals("task_1a2b", ((OutboxPort.Replied) outbox.entry(planOfWaiting).orElseThrow().ending()
                .orElseThrow()).taskId().orElseThrow(), "the waiting entry still finds its task id");
        assertEquals(3, outbox.countUnsettled());
        assertEquals("0", Sql.single(database.db(), "SELECT COUNT(*) FROM pragma_foreign_key_check"));
        assertEquals(new RetentionReport(0, 0, 0, 0, 0),
                new JdbcRetention(database.db()).prune(ROLL_UP_BEFORE, RAW_BEFORE, ROLLUPS_BEFORE));
    }

    @Test
    void thousandsOfSettledEntriesGoInChunksAndNoneBeforeAnEntryThatNamesIt() throws Exception {
        // 6,000 refused entries: 1-3,000 plans, 3,001-6,000 updates each naming the plan 3,000 before it, so a chunk
        // of the oldest 5,000 would delete plans whose updates are left for the next chunk (a foreign key failure)
        Sql.execute(database.db(), "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000)"
                + " INSERT INTO orchestrator_outbox (id, run_key, tool, arguments, task_from, created_at, state,"
                + " attempts, settled_at, reply) SELECT i, 'run-' || ((i - 1) % 3000), CASE WHEN i <= 3000"
                + " THEN 'orchestrator_plan_task' ELSE 'orchestrator_update_task' END, '{}',"
                + " CASE WHEN i > 3000 THEN i - 3000 END, '2026-11-01 00:00:00.000', 'refused', 1,"
                + " '2026-11-01 00:00:01.000', 'no' FROM n");
        assertTrue(6_000 > JdbcRetention.DELETE_CHUNK);

        RetentionReport report = new JdbcRetention(database.db()).prune(ROLL_UP_BEFORE, RAW_BEFORE, ROLLUPS_BEFORE);

        assertEquals(new RetentionReport(0, 0, 0, 6_000, 0), report);
        assertEquals("0", Sql.single(database.db(), "SELECT COUNT(*) FROM orchestrator_outbox"));
    }

    @Test
    void integrationLogRowsValidatedBeforeTheCutOffGo() throws Exception {
        OrchestratorIntegrationLogPort log = new JdbcOrchestratorIntegrationLog(database.db());
        Instant old = RAW_BEFORE.minus(Duration.ofDays(2));
        Instant recent = RAW_BEFORE.plus(Duration.ofHours(1));
        log.record(validation(IntegrationType.SELF_MONITORING, old));
        log.record(validation(IntegrationType.EXTERNAL_MONITORING, old));
        log.record(validation(IntegrationType.RECOVERY_TESTING, RAW_BEFORE.minusMillis(1)));
        log.record(validation(IntegrationType.SELF_MONITORING, RAW_BEFORE));
        log.record(validation(IntegrationType.SELF_MONITORING, recent));
        // a row of the design's table written by someone else, without a validation time: left alone
        Sql.execute(database.db(), "INSERT INTO orchestrator_health_integration (orchestrator_tool, created_at)"
                + " VALUES ('orchestrator_health_check', '2026-01-01 00:00:00')");

        RetentionReport report = new JdbcRetention(database.db()).prune(ROLL_UP_BEFORE, RAW_BEFORE, ROLLUPS_BEFORE);

        assertEquals(new RetentionReport(0, 0, 0, 0, 3), report);
        assertEquals("-|2026-11-04 00:00:00.000|2026-11-04 01:00:00.000",
                Sql.single(database.db(), "SELECT group_concat(coalesce(last_validation, '-'), '|') FROM"
                        + " (SELECT last_validation FROM orchestrator_health_integration ORDER BY last_validation)"));
        assertEquals(List.of(recent, RAW_BEFORE), log.recent(IntegrationType.SELF_MONITORING, 10).stream()
                .map(OrchestratorIntegrationLogPort.Entry::validatedAt).collect(Collectors.toList()));
        assertEquals(List.of(), log.recent(IntegrationType.RECOVERY_TESTING, 10));
    }

    @Test
    void theOrchestratorsHistoryIsFoundForDeletionThroughIndexes() throws Exception {
        String outbox = queryPlan(JdbcRetention.DELETE_SETTLED_OUTBOX);
        assertTrue(outbox.contains("idx_outbox_settled"), outbox);
        assertTrue(outbox.contains("idx_outbox_unsettled"), outbox);
        assertFalse(outbox.matches(".*SCAN orchestrator_outbox( /|$).*"), outbox);
        String integration = queryPlan(JdbcRetention.DELETE_INTEGRATION);
        assertTrue(integration.contains("idx_integration_time"), integration);
        assertFalse(integration.matches(".*SCAN orchestrator_health_integration( /|$).*"), integration);
    }

    private String queryPlan(String statement) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (Connection c = database.db().dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("EXPLAIN QUERY PLAN "
                     + statement.replace("?", "'2026-11-04 00:00:00'"))) {
            while (rs.next()) {
                plan.append(rs.getString("detail")).append(" / ");
            }
        }
        return plan.toString();
    }

    private static Call plan(String run) {
        return Call.of(run, new OrchestratorRequest.PlanTask("Recover", "down", Optional.empty(), "moderate",
                "devops"));
    }

    private static Call update(String run, long planEntry) {
        return Call.withTaskFrom(run, new OrchestratorRequest.UpdateTask(Optional.empty(), "completed",
                Optional.empty()), planEntry);
    }

    /** An entry added at {@code added}, sent, and settled with {@code reply} at {@code settled}; its id. */
    private static long sent(OutboxPort outbox, Call call, Instant added, OrchestratorReply reply, Instant settled) {
        long id = outbox.add(call, added);
        assertTrue(outbox.claim(id, call.request() instanceof OrchestratorRequest.OfTask t && t.taskId().isEmpty()
                ? t.forTask("task_0a1b2c3d") : call.request()));
        outbox.settle(id, new OutboxPort.Replied(reply, settled));
        return id;
    }

    private static OrchestratorIntegrationLogPort.Entry validation(IntegrationType type, Instant at) {
        return new OrchestratorIntegrationLogPort.Entry(type, OrchestratorTool.HEALTH_CHECK, IntegrationStatus.ACTIVE,
                at, Map.of("verdict", "healthy"));
    }

    /**
     * A probe a minute for ten days from {@link #START}, for two servers: every 10th fails (critical); the others are
     * answered in 1-100 ms (warning above 90).
     */
    private static List<HealthMetric> tenDays() {
        List<HealthMetric> rows = new ArrayList<>();
        for (MonitoredServer server : List.of(A, B)) {
            int salt = server == A ? 37 : 53;
            for (int m = 0; m < 10 * 24 * 60; m++) {
                Instant at = START.plus(Duration.ofMinutes(m));
                if (m % 10 == 9) {
                    rows.add(HealthMetric.of(server, MetricType.AVAILABILITY, 0, HealthStatus.CRITICAL, Map.of(), at));
                } else {
                    double latency = (m * salt) % 100 + 1;
                    HealthStatus status = latency > 90 ? HealthStatus.WARNING : HealthStatus.HEALTHY;
                    rows.add(HealthMetric.of(server, MetricType.AVAILABILITY, 1, status, Map.of(), at));
                    rows.add(HealthMetric.of(server, MetricType.RESPONSE_TIME, latency, status, Map.of(), at));
                }
            }
        }
        return rows;
    }

    private static HealthMetric up(Instant at) {
        return HealthMetric.of(A, MetricType.AVAILABILITY, 1, HealthStatus.HEALTHY, Map.of(), at);
    }

    private void append(List<HealthMetric> rows) {
        JdbcMetricStore store = new JdbcMetricStore(database.db());
        for (int i = 0; i < rows.size(); i += 5_000) {
            store.append(rows.subList(i, Math.min(rows.size(), i + 5_000)));
        }
    }

    /** The roll-up row of one hour against the same numbers worked out here from the generated rows. */
    private void assertRollupOf(List<HealthMetric> rows, MonitoredServer server, MetricType type, Instant hour)
            throws SQLException {
        List<HealthMetric> in = rows.stream().filter(m -> m.serverInstance().equals(server.id())
                && m.metricType() == type && !m.measuredAt().isBefore(hour)
                && m.measuredAt().isBefore(hour.plus(Duration.ofHours(1)))).collect(Collectors.toList());
        double[] v = in.stream().mapToDouble(HealthMetric::value).sorted().toArray();
        String worst = HealthStatus.worstOf(in.stream().map(HealthMetric::status).collect(Collectors.toList())).code();
        try (Connection c = database.db().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT server_type, samples, min_value, max_value, mean_value,"
                     + " p50, p95, p99, worst_status FROM integration_health_rollups WHERE server_instance = ?"
                     + " AND metric_type = ? AND hour_start = ?")) {
            ps.setString(1, server.id().value());
            ps.setString(2, type.code());
            ps.setString(3, SqlTime.format(hour));
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "no roll-up of " + server.id() + " " + type + " " + hour);
                assertEquals(List.of(server.type().value(), v.length, v[0], v[v.length - 1],
                                Arrays.stream(v).sum() / v.length, nearestRank(v, 50), nearestRank(v, 95),
                                nearestRank(v, 99), worst),
                        List.of(rs.getString(1), rs.getInt(2), rs.getDouble(3), rs.getDouble(4), rs.getDouble(5),
                                rs.getDouble(6), rs.getDouble(7), rs.getDouble(8), rs.getString(9)));
            }
        }
    }

    private static double nearestRank(double[] sorted, int p) {
        return sorted[(int) Math.ceil(p / 100.0 * sorted.length) - 1];
    }

    private String snapshotOfTables() throws Exception {
        return Sql.single(database.db(), "SELECT (SELECT COUNT(*) || '/' || SUM(id) FROM integration_health_metrics) || '|'"
                + " || (SELECT COUNT(*) || '/' || group_concat(id || ':' || p95, ',')"
                + " FROM integration_health_rollups)");
    }
}
