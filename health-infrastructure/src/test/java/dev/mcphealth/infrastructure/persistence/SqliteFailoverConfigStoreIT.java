package dev.mcphealth.infrastructure.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.domain.model.FailoverConfig;
import dev.mcphealth.domain.model.FallbackStrategy;
import dev.mcphealth.domain.model.ServerType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** failover_configurations on a real SQLite file: one row per primary type, updated in place; and V4 on old files. */
class SqliteFailoverConfigStoreIT {
    private static final ServerType SEARCH = ServerType.of("web_search");
    private static final ServerType BACKUP = ServerType.of("web_search_backup");
    private static final ServerType FILES = ServerType.of("filesystem");
    private static final String ROWS = "SELECT group_concat(r, ';') FROM (SELECT primary_server_type || '|'"
            + " || fallback_strategy || '|' || COALESCE(fallback_server_type, '-') || '|' || auto_recovery_enabled"
            + " || '|' || max_retry_attempts || '|' || retry_delay_seconds || '|' || health_check_interval_seconds"
            + " || '|' || COALESCE(orchestrator_failover_task_id, '-') AS r FROM failover_configurations"
            + " ORDER BY primary_server_type)";

    @RegisterExtension
    final TempDatabase database = new TempDatabase();

    @TempDir
    Path dir;

    private JdbcFailoverConfigStore store() {
        return new JdbcFailoverConfigStore(database.db());
    }

    private static FailoverConfig alternative(ServerType primary, ServerType fallback, int retries) {
        return new FailoverConfig(primary, FallbackStrategy.ALTERNATIVE_SERVER, Optional.of(fallback), false, retries,
                Duration.ofSeconds(5), Duration.ofSeconds(15), Optional.empty());
    }

    @Test
    void savedConfigurationsAreOneRowPerPrimaryType() throws Exception {
        store().save(List.of(alternative(SEARCH, BACKUP, 2), FailoverConfig.defaultsFor(FILES)));

        assertEquals("filesystem|graceful_degradation|-|1|3|30|60|-;"
                + "web_search|alternative_server|web_search_backup|0|2|5|15|-", Sql.single(database.db(), ROWS));
    }

    @Test
    void eachTypesIntervalIsReadBackForAReportFromTheDatabaseAlone() throws Exception {
        store().save(List.of(alternative(SEARCH, BACKUP, 2), FailoverConfig.defaultsFor(FILES)));
        java.util.Map<ServerType, java.time.Duration> intervals = store().intervals();
        assertEquals(2, intervals.size(), intervals.toString());
        assertEquals(FailoverConfig.defaultsFor(FILES).healthCheckInterval(), intervals.get(FILES));
        assertEquals(alternative(SEARCH, BACKUP, 2).healthCheckInterval(), intervals.get(SEARCH));
    }

    @Test
    void anUpdateKeepsTheRowItsCreationTimeAndItsOrchestratorTask() throws Exception {
        store().save(List.of(alternative(SEARCH, BACKUP, 2)));
        String before = Sql.single(database.db(), "SELECT id || '|' || created_at FROM failover_configurations");
        Sql.execute(database.db(), "UPDATE failover_configurations SET orchestrator_failover_task_id = 'task_42'");

        store().save(List.of(alternative(SEARCH, BACKUP, 7), FailoverConfig.defaultsFor(FILES)));

        assertEquals(before, Sql.single(database.db(),
                "SELECT id || '|' || created_at FROM failover_configurations WHERE primary_server_type = 'web_search'"));
        assertEquals("filesystem|graceful_degradation|-|1|3|30|60|-;"
                + "web_search|alternative_server|web_search_backup|0|7|5|15|task_42", Sql.single(database.db(), ROWS));
    }

    @Test
    void aTaskIdInTheConfigurationReplacesTheStoredOne() throws Exception {
        store().save(List.of(alternative(SEARCH, BACKUP, 2)));
        Sql.execute(database.db(), "UPDATE failover_configurations SET orchestrator_failover_task_id = 'task_42'");
        store().save(List.of(new FailoverConfig(SEARCH, FallbackStrategy.MANUAL_MODE, Optional.empty(), true, 0,
                Duration.ZERO, Duration.ofSeconds(60), Optional.of("task_43"))));

        assertEquals("web_search|manual_mode|-|1|0|0|60|task_43", Sql.single(database.db(), ROWS));
    }

    @Test
    void typesNoLongerConfiguredAreDeleted() throws Exception {
        store().save(List.of(alternative(SEARCH, BACKUP, 2), FailoverConfig.defaultsFor(FILES)));
        store().save(List.of(FailoverConfig.defaultsFor(FILES)));
        assertEquals("filesystem|graceful_degradation|-|1|3|30|60|-", Sql.single(database.db(), ROWS));

        store().save(List.of());
        assertEquals("0", Sql.single(database.db(), "SELECT COUNT(*) FROM failover_configurations"));
    }

    @Test
    void twoConfigurationsOfOneTypeAreABugAndChangeNothing() throws Exception {
        store().save(List.of(FailoverConfig.defaultsFor(FILES)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store().save(List.of(
                alternative(SEARCH, BACKUP, 2), alternative(SEARCH, FILES, 3))));
        assertEquals("two failover configurations for server type web_search", e.getMessage());
        assertEquals("filesystem|graceful_degradation|-|1|3|30|60|-", Sql.single(database.db(), ROWS));
    }

    @Test
    void theUniqueIndexRefusesASecondRowOfAType() throws Exception {
        store().save(List.of(FailoverConfig.defaultsFor(FILES)));
        assertThrows(java.sql.SQLException.class, () -> Sql.execute(database.db(),
                "INSERT INTO failover_configurations (primary_server_type) VALUES ('filesystem')"));
    }

    @Test
    void aFailedSaveChangesNothingAndSaysWhy() throws Exception {
        store().save(List.of(FailoverConfig.defaultsFor(FILES)));
        Sql.refuseInserts(database.db(), "failover_configurations", "NEW.primary_server_type = 'web_search'");

        StorageUnavailableException e = assertThrows(StorageUnavailableException.class,
                () -> store().save(List.of(alternative(SEARCH, BACKUP, 2))));

        assertEquals("cannot write failover configurations to " + database.file() + ": disk is full", e.getMessage());
        assertEquals("filesystem|graceful_degradation|-|1|3|30|60|-", Sql.single(database.db(), ROWS));
    }

    @Test
    void aLinkedFailoverTaskIsStoredOnItsTypesRowAloneAndALaterOneReplacesIt() throws Exception {
        store().save(List.of(alternative(SEARCH, BACKUP, 2), FailoverConfig.defaultsFor(FILES)));
        String before = Sql.single(database.db(), "SELECT id || '|' || created_at FROM failover_configurations"
                + " WHERE primary_server_type = 'web_search'");

        assertTrue(store().linkFailoverTask(SEARCH, "task_7"));
        assertEquals("filesystem|graceful_degradation|-|1|3|30|60|-;"
                + "web_search|alternative_server|web_search_backup|0|2|5|15|task_7", Sql.single(database.db(), ROWS));

        assertTrue(store().linkFailoverTask(SEARCH, "task_8"));
        assertEquals("task_8", Sql.single(database.db(), "SELECT orchestrator_failover_task_id"
                + " FROM failover_configurations WHERE primary_server_type = 'web_search'"));
        assertEquals(before, Sql.single(database.db(), "SELECT id || '|' || created_at FROM failover_configurations"
                + " WHERE primary_server_type = 'web_search'"), "the same row");
    }

    @Test
    void aLinkedTaskSurvivesTheNextSaveFromTheConfiguration() throws Exception {
        store().save(List.of(alternative(SEARCH, BACKUP, 2)));
        store().linkFailoverTask(SEARCH, "task_7");

        store().save(List.of(alternative(SEARCH, BACKUP, 5))); // the next start, the configuration changed

        assertEquals("web_search|alternative_server|web_search_backup|0|5|5|15|task_7",
                Sql.single(database.db(), ROWS));
    }

    @Test
    void aTypeWithoutARowIsNotLinkedAndNoRowIsMade() throws Exception {
        store().save(List.of(FailoverConfig.defaultsFor(FILES)));

        assertEquals(false, store().linkFailoverTask(SEARCH, "task_7"));
        assertEquals("filesystem|graceful_degradation|-|1|3|30|60|-", Sql.single(database.db(), ROWS));
        assertThrows(IllegalArgumentException.class, () -> store().linkFailoverTask(FILES, " "));
    }

    @Test
    void aLinkOnADatabaseLockedByAnotherProcessIsUnavailableAndChangesNothing() throws Exception {
        store().save(List.of(FailoverConfig.defaultsFor(FILES)));
        AutoCloseable lock = Sql.lockExclusively(database.file());
        try {
            StorageUnavailableException e = assertThrows(StorageUnavailableException.class,
                    () -> new JdbcFailoverConfigStore(database.impatient()).linkFailoverTask(FILES, "task_7"));
            assertEquals("cannot link a failover task in " + database.file() + ": database is locked",
                    e.getMessage());
        } finally {
            lock.close();
        }
        assertEquals("filesystem|graceful_degradation|-|1|3|30|60|-", Sql.single(database.db(), ROWS));
    }

    @Test
    void v4KeepsTheNewestRowOfEachTypeWithTheNewestTaskIdOfOldFiles() throws Exception {
        Path file = dir.resolve("old.db");
        String url = "jdbc:sqlite:" + file;
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration/sqlite").target("3").load()
                .migrate();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("INSERT INTO failover_configurations (id, primary_server_type, fallback_strategy,"
                    + " orchestrator_failover_task_id) VALUES"
                    + " (1, 'web_search', 'manual_mode', 'task_old'), (2, 'web_search', 'manual_mode', 'task_new'),"
                    + " (3, 'web_search', 'graceful_degradation', NULL), (4, 'filesystem', 'manual_mode', NULL),"
                    + " (5, 'database', 'manual_mode', 'task_db'), (6, 'database', 'graceful_degradation', 'task_db2')");
        }
        assertTrue(Files.exists(file));

        try (SqliteDatabase db = SqliteDatabase.open(file)) {
            assertEquals("3|web_search|graceful_degradation|task_new;4|filesystem|manual_mode|-;"
                    + "6|database|graceful_degradation|task_db2", Sql.single(db, "SELECT group_concat(r, ';') FROM"
                    + " (SELECT id || '|' || primary_server_type || '|' || fallback_strategy || '|'"
                    + " || COALESCE(orchestrator_failover_task_id, '-') AS r FROM failover_configurations ORDER BY id)"));
            assertEquals("1", Sql.single(db, "SELECT \"unique\" FROM pragma_index_list('failover_configurations')"
                    + " WHERE name = 'ux_failover_primary'"));
        }
    }
}
