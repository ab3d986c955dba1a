package dev.mcphealth.infrastructure.persistence;

import static dev.mcphealth.infrastructure.persistence.Sql.single;
import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.HealthMetric;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MetricType;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.RecoveryAction;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The SQLite database on a real file: Flyway's schema against the design's DDL, the stores, the constraints. */
class SqliteDatabaseIT {
    private static final List<String> DESIGN_TABLES = List.of("integration_health_metrics", "integration_failures",
            "failover_configurations", "orchestrator_health_integration");
    private static final Instant AT = Instant.parse("2026-11-23T10:15:30.123Z");

    @TempDir
    Path dir;

    @Test
    void aFileWhoseSchemaIsCurrentIsOpenedWithoutFlywayAndAnythingElseGoesToIt() throws Exception {
        int highest;
        try (var files = Files.list(Path.of("src/main/resources/db/migration/sqlite"))) { // the module's directory
            highest = files.map(f -> f.getFileName().toString())
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElseThrow();
        }
        assertEquals(highest, SqliteDatabase.SCHEMA_VERSION, "SCHEMA_VERSION is the highest migration");
        Path file = dir.resolve("current.db");
        try (SqliteDatabase db = SqliteDatabase.open(file)) {
            assertTrue(SqliteDatabase.schemaCurrent(db.dataSource()));
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE flyway_schema_history SET success = 0 WHERE version = '3'");
                assertFalse(SqliteDatabase.schemaCurrent(db.dataSource()), "a failed migration");
                s.executeUpdate("UPDATE flyway_schema_history SET success = 1 WHERE version = '3'");
                s.executeUpdate("UPDATE flyway_schema_history SET version = '" + (highest + 1) + "' WHERE version = '"
                        + highest + "'");
                assertFalse(SqliteDatabase.schemaCurrent(db.dataSource()), "a newer schema");
                s.executeUpdate("UPDATE flyway_schema_history SET version = '" + highest + "' WHERE version = '"
                        + (highest + 1) + "'");
            }
        }
        // opened again without Flyway, which would refuse a history whose checksum no longer matches its migration
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE version = '1'");
        }
        try (SqliteDatabase db = SqliteDatabase.open(file)) {
            assertTrue(SqliteDatabase.schemaCurrent(db.dataSource()));
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM flyway_schema_history WHERE version = '" + highest + "'");
                assertFalse(SqliteDatabase.schemaCurrent(db.dataSource()), "the last migration not applied");
            }
        }
        org.sqlite.SQLiteDataSource empty = new org.sqlite.SQLiteDataSource();
        empty.setUrl("jdbc:sqlite:" + dir.resolve("empty.db"));
        assertFalse(SqliteDatabase.schemaCurrent(empty), "no history at all");
        try (SqliteDatabase fresh = SqliteDatabase.open(dir.resolve("empty.db"))) {
            assertTrue(SqliteDatabase.schemaCurrent(fresh.dataSource()), "migrated by Flyway on open");
        }
    }

    @Test
    void anotherProgramsDatabaseIsRefusedInWordsAndLeftAsItWas() throws Exception {
        Path file = dir.resolve("notes.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE notes (body TEXT)");
            s.execute("INSERT INTO notes VALUES ('mine')");
        }

        StorageUnavailableException e = assertThrows(StorageUnavailableException.class, () -> SqliteDatabase.open(file));

        assertEquals("cannot open database " + file + ": it is not an MCP Health database: it has tables of another"
                + " program and none of MCP Health's (nothing was changed in it); give MCP Health a database of its own",
                e.getMessage());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             ResultSet tables = c.createStatement().executeQuery("SELECT group_concat(name) FROM sqlite_master")) {
            assertEquals("notes", tables.getString(1), "nothing added to it");
        }
    }

    @Test
    void migratedTablesHaveExactlyTheDesignsColumnsDefaultsAndChecks() throws Exception {
        try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("health.db"));
             Connection migrated = db.dataSource().getConnection();
             Connection design = DriverManager.getConnection("jdbc:sqlite::memory:")) {
            try (Statement s = design.createStatement()) {
                for (String ddl : designDdl().split(";")) {
                    if (!ddl.isBlank()) {
                        s.execute(ddl);
                    }
                }
            }
            int designChecks = 0;
            for (String table : DESIGN_TABLES) {
                designChecks += checks(design, table).size();
                List<String> expected = columns(design, table);
                List<String> actual = columns(migrated, table);
                if (table.equals("integration_failures")) {
                    // V2 adds server_instance (nullable); everything of the design is unchanged
                    assertTrue(actual.remove("server_instance|TEXT|0|null|0"), table + ": " + actual);
                    // V10 adds resolution_time_ms (nullable), the resolution to the millisecond
                    assertTrue(actual.remove("resolution_time_ms|INTEGER|0|null|0"), table + ": " + actual);
                }
                assertEquals(expected, actual, table + " columns (name|type|notnull|default|pk)");
                assertEquals(checks(design, table), checks(migrated, table), table + " CHECK constraints");
            }
            assertEquals(5, designChecks, "the design has five CHECK constraints, all compared");
        }
    }

    @Test
    void databaseIsInWalModeAndMigratesOnce() throws Exception {
        Path file = dir.resolve("health.db");
        try (SqliteDatabase db = SqliteDatabase.open(file)) {
            assertEquals("wal", single(db, "PRAGMA journal_mode"));
        }
        try (SqliteDatabase again = SqliteDatabase.open(file)) {
            assertEquals("17", single(again, "SELECT COUNT(*) FROM flyway_schema_history WHERE success = 1"),
                    "V1..V17, each once");
        }
    }

    @Test
    void storesWriteRowsThatSatisfyTheSchema() throws Exception {
        MonitoredServer server = aServer().named("everything-1").ofType("everything").build();
        try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("health.db"))) {
            List<HealthMetric> metrics = new ArrayList<>();
            for (MetricType type : MetricType.values()) {
                for (HealthStatus status : HealthStatus.values()) {
                    metrics.add(HealthMetric.of(server, type, 0.5, status, Map.of("probe", "ping"), AT));
                }
            }
            new JdbcMetricStore(db).append(metrics);
            List<Failure> failures = new ArrayList<>();
            for (FailureType type : FailureType.values()) {
                failures.add(Failure.open(server, type, "health_check", "what went wrong", AT));
            }
            // a failure is identified by instance, type and start: another timeout a second later is another row
            failures.add(new Failure(server.type(), server.id(), FailureType.TIMEOUT, "health_check", "slow",
                    RecoveryAction.RESTART, Optional.of(Duration.ofSeconds(42)), AT.plusSeconds(1),
                    Optional.of("task_0123abcd")));
            new JdbcFailureStore(db).record(failures);

            assertEquals(Integer.toString(metrics.size()), single(db, "SELECT COUNT(*) FROM integration_health_metrics"
                    + " WHERE server_type = 'everything' AND server_instance = 'everything-1'"));
            assertEquals("2026-11-23 10:15:30.123", single(db, "SELECT MIN(measured_at) FROM integration_health_metrics"));
            assertEquals("{\"probe\":\"ping\"}", single(db, "SELECT details FROM integration_health_metrics LIMIT 1"));
            assertEquals("6", single(db, "SELECT COUNT(*) FROM integration_failures"));
            assertEquals("5", single(db, "SELECT COUNT(*) FROM integration_failures WHERE resolved = 0"
                    + " AND resolution_time_seconds IS NULL AND recovery_action = 'none'"));
            assertEquals("42|1|restart|task_0123abcd", single(db, "SELECT resolution_time_seconds || '|' || resolved"
                    + " || '|' || recovery_action || '|' || orchestrator_recovery_task_id FROM integration_failures"
                    + " WHERE resolved = 1"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "INSERT INTO integration_health_metrics (server_type, metric_type) VALUES ('x', 'latency')",
        "INSERT INTO integration_health_metrics (server_type, status) VALUES ('x', 'down')",
        "INSERT INTO integration_failures (server_type, failure_type) VALUES ('x', 'disk_full')",
        "INSERT INTO orchestrator_health_integration (integration_type) VALUES ('guessing')",
        "INSERT INTO orchestrator_health_integration (integration_status) VALUES ('maybe')",
        "INSERT INTO integration_health_metrics (metric_type) VALUES ('response_time')",
        "INSERT INTO health_alerts (id, server_instance, severity, message, raised_at)"
                + " VALUES ('x', 's', 'info', 'm', '2026-11-23 10:00:00.000')",
        "INSERT INTO health_alerts (id, server_instance, severity, message, raised_at, resolved_at)"
                + " VALUES ('x', 's', 'warning', 'm', '2026-11-23 10:00:00.000', '2026-11-23 09:00:00.000')",
        "INSERT INTO server_status (server_instance, server_type, status, updated_at, snapshot)"
                + " VALUES ('s', 't', 'down', '2026-11-23 10:00:00.000', '{}')",
        "INSERT INTO server_status (server_instance, server_type, updated_at) VALUES ('s', 't', '2026-11-23 10:00:00')",
        "INSERT INTO integration_health_rollups (server_type, server_instance, metric_type, hour_start, samples,"
                + " min_value, max_value, mean_value, p50, p95, p99, worst_status)"
                + " VALUES ('t', 's', 'availability', '2026-11-23 10:00:00.000', 0, 0, 0, 0, 0, 0, 0, 'healthy')"})
    void rowsViolatingTheSchemaAreRefused(String insert) throws Exception {
        try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("health.db"));
             Connection c = db.dataSource().getConnection();
             Statement s = c.createStatement()) {
            SQLException refused = assertThrows(SQLException.class, () -> s.executeUpdate(insert));
            assertTrue(refused.getMessage().contains("constraint failed"), refused.getMessage());
        }
    }

    @Test
    void aDirectoryIsNotADatabase() {
        StorageUnavailableException e = assertThrows(StorageUnavailableException.class,
                () -> SqliteDatabase.open(dir));
        assertEquals("cannot open database " + dir + ": it is a directory", e.getMessage());
    }

    @Test
    void aFileThatIsNotADatabaseIsRefusedAndLeftAlone() throws IOException {
        Path file = dir.resolve("notes.txt");
        Files.writeString(file, "these are my notes, not a database\n".repeat(100));
        String before = Files.readString(file);

        StorageUnavailableException e = assertThrows(StorageUnavailableException.class,
                () -> SqliteDatabase.open(file));

        assertEquals("cannot open database " + file + ": file is not a database", e.getMessage());
        assertEquals(before, Files.readString(file));
    }

    @Test
    void aDatabaseUnderAFileCannotBeCreated() throws IOException {
        Path file = dir.resolve("plain-file");
        Files.writeString(file, "x");

        StorageUnavailableException e = assertThrows(StorageUnavailableException.class,
                () -> SqliteDatabase.open(file.resolve("health.db")));

        assertTrue(e.getMessage().startsWith("cannot open database " + file.resolve("health.db")
                + ": cannot create its directory"), e.getMessage());
    }

    private static String designDdl() throws IOException {
        try (InputStream in = SqliteDatabaseIT.class.getResourceAsStream("/design/schema.sql")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<String> columns(Connection c, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (rs.next()) {
                out.add(rs.getString("name") + "|" + rs.getString("type") + "|" + rs.getInt("notnull") + "|"
                        + rs.getString("dflt_value") + "|" + rs.getInt("pk"));
            }
        }
        return out;
    }

    /** The CHECK clauses of a table's CREATE statement, whitespace normalised. */
    private static TreeSet<String> checks(Connection c, String table) throws SQLException {
        String sql;
        try (var ps = c.prepareStatement("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "no table " + table);
                sql = rs.getString(1).replaceAll("\\s+", " ");
            }
        }
        TreeSet<String> out = new TreeSet<>();
        Matcher m = Pattern.compile("CHECK \\(([^()]*\\([^()]*\\))\\)").matcher(sql);
        while (m.find()) {
            out.add(m.group(1).replaceAll("\\( ", "(").replaceAll(" \\)", ")"));
        }
        return out;
    }
}
