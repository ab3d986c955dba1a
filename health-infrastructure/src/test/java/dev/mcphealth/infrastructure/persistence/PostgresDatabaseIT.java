package dev.mcphealth.infrastructure.persistence;

import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.domain.history.RetentionReport;
import dev.mcphealth.domain.model.Alert;
import dev.mcphealth.domain.model.AlertSeverity;
import dev.mcphealth.domain.model.HealthMetric;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MetricType;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.testkit.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PostgreSQL itself, on a real server: the schema beside SQLite's, the same answers from the same rows, the messages
 * of a database that cannot be used, and a server that goes away and comes back.
 */
class PostgresDatabaseIT {
    private static final MonitoredServer A = aServer().named("a").ofType("everything").build();
    private static final MonitoredServer B = aServer().named("b").ofType("memory").build();
    private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");

    @RegisterExtension
    final TempPostgres postgres = new TempPostgres();
    @RegisterExtension
    final TempDatabase sqlite = new TempDatabase();

    @Test
    void theSchemaHasSqlitesTablesAndColumnsInTheSameOrder() throws Exception {
        Map<String, List<String>> lite = new TreeMap<>();
        try (Connection c = sqlite.db().connection(); Statement s = c.createStatement();
             ResultSet t = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN"
                     + " ('sqlite_sequence', 'flyway_schema_history') ORDER BY name")) {
            List<String> tables = new ArrayList<>();
            while (t.next()) {
                tables.add(t.getString(1));
            }
            for (String table : tables) {
                try (Statement s2 = c.createStatement();
                     ResultSet cols = s2.executeQuery("SELECT name FROM pragma_table_info('" + table + "') ORDER BY cid")) {
                    List<String> names = new ArrayList<>();
                    while (cols.next()) {
                        names.add(cols.getString(1));
                    }
                    lite.put(table, names);
                }
            }
        }
        Map<String, List<String>> pg = new TreeMap<>();
        try (Connection c = postgres.db().connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT table_name, column_name FROM information_schema.columns"
                     + " WHERE table_schema = current_schema() AND table_name NOT IN ('flyway_schema_history',"
                     + " 'monitor_instances', 'server_leases')" // the cluster's own: PostgreSQL only
                     + " ORDER BY table_name, ordinal_position")) {
            while (rs.next()) {
                pg.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
            }
        }
        assertEquals(lite, pg, "a migration added to one directory and not to the other");
        assertEquals(16, lite.size(), "the design's four tables and the twelve added since");
    }

    @Test
    void theSameRowsPrunedAndReadGiveTheSameAnswersOnBothDatabases() {
        List<HealthMetric> rows = threeDays();
        List<Alert> alerts = List.of(Alert.raise(A.id(), AlertSeverity.WARNING, "slow", START.plusSeconds(3_600)),
                Alert.raise(B.id(), AlertSeverity.CRITICAL, "down", START.plus(Duration.ofDays(2)))
                        .resolvedAt(START.plus(Duration.ofDays(2)).plusMillis(90_125)));
        Instant now = START.plus(Duration.ofDays(3));
        List<Object> answers = new ArrayList<>();
        for (Database db : List.of(sqlite.db(), postgres.db())) {
            JdbcMetricStore store = new JdbcMetricStore(db);
            for (int i = 0; i < rows.size(); i += 2_000) {
                store.append(rows.subList(i, Math.min(rows.size(), i + 2_000)));
            }
            new JdbcAlertStore(db).save(alerts);
            RetentionReport report = new JdbcRetention(db).prune(now.minus(Duration.ofMinutes(30)),
                    now.minus(Duration.ofDays(1)), now.minus(Duration.ofDays(2)));
            JdbcHistory history = new JdbcHistory(db);
            answers.add(List.of(report,
                    history.history(A.id(), START, now),
                    history.history(B.id(), now.minus(Duration.ofHours(5)), now),
                    history.history(B.id(), START.plus(Duration.ofDays(2)), START.plus(Duration.ofDays(2)).plusSeconds(900)),
                    new JdbcOpenEpisodes(db).openAlerts(),
                    new JdbcOpenEpisodes(db).lastProbe(A.id(), START, now)));
        }
        assertEquals(answers.get(0), answers.get(1));
        RetentionReport report = (RetentionReport) ((List<?>) answers.get(1)).get(0);
        assertEquals(71 * 4, report.hoursRolledUp(), "3 days less the last hour, for 2 servers and 2 metrics");
        assertTrue(report.rawRowsDeleted() > 0 && report.rollupRowsDeleted() > 0, report.toString());
    }

    @Test
    void aWrongPasswordIsOneSentenceNamingTheDatabaseButNotThePassword() {
        DatabaseTarget.Postgres good = postgres.target();
        DatabaseTarget.Postgres bad = new DatabaseTarget.Postgres(good.host(), good.port(), good.database(),
                good.user(), Optional.of("not-the-s3cret"), Map.of());
        StorageUnavailableException e = assertThrows(StorageUnavailableException.class, () -> bad.open());
        assertEquals("cannot open database " + good.name() + ": password authentication failed for user \"mcp\"",
                e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"));
        assertFalse(good.toString().contains(good.password().orElseThrow()));
    }

    @Test
    void aServerThatIsNotThereIsOneSentence() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        DatabaseTarget.Postgres nowhere = new DatabaseTarget.Postgres("127.0.0.1", port, "health", "mcp",
                Optional.of("pw"), Map.of());
        StorageUnavailableException e = assertThrows(StorageUnavailableException.class, () -> nowhere.open());
        assertTrue(e.getMessage().startsWith("cannot open database postgresql://mcp@127.0.0.1:" + port
                + "/health: Connection to 127.0.0.1:" + port + " refused"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void aWriteWhileTheServerIsDownFailsInOneSentenceAndTheServerBackTakesTheNext() {
        try (PostgresServer own = PostgresServer.start()) {
            own.execute("postgres", "CREATE DATABASE health");
            try (PostgresDatabase db = PostgresDatabase.open(own.target("health"))) {
                JdbcAlertStore alerts = new JdbcAlertStore(db);
                Alert first = Alert.raise(A.id(), AlertSeverity.WARNING, "slow", START);
                alerts.save(List.of(first));

                own.stop();
                Alert second = Alert.raise(B.id(), AlertSeverity.CRITICAL, "down", START.plusSeconds(5));
                StorageUnavailableException e = assertThrows(StorageUnavailableException.class,
                        () -> alerts.save(List.of(second)));
                assertTrue(e.getMessage().startsWith("cannot write alerts to " + db.name() + ": "), e.getMessage());
                assertFalse(e.getMessage().contains(own.password()), e.getMessage());
                assertFalse(e.getMessage().contains("\n"), e.getMessage());

                own.startAgain();
                alerts.save(List.of(second));
                assertEquals(List.of(first, second), new JdbcOpenEpisodes(db).openAlerts());
            }
        }
    }

    /** A probe a minute for three days for two servers; every 10th unanswered. */
    private static List<HealthMetric> threeDays() {
        List<HealthMetric> rows = new ArrayList<>();
        for (MonitoredServer server : List.of(A, B)) {
            int salt = server == A ? 37 : 53;
            for (int m = 0; m < 3 * 24 * 60; m++) {
                Instant at = START.plus(Duration.ofMinutes(m)).plusMillis(m % 1000);
                if (m % 10 == 9) {
                    rows.add(HealthMetric.of(server, MetricType.AVAILABILITY, 0, HealthStatus.CRITICAL, Map.of(), at));
                } else {
                    double latency = (m * salt) % 100 + 1.25;
                    HealthStatus status = latency > 90 ? HealthStatus.WARNING : HealthStatus.HEALTHY;
                    rows.add(HealthMetric.of(server, MetricType.AVAILABILITY, 1, status, Map.of(), at));
                    rows.add(HealthMetric.of(server, MetricType.RESPONSE_TIME, latency, status, Map.of(), at));
                }
            }
        }
        return rows;
    }
}
