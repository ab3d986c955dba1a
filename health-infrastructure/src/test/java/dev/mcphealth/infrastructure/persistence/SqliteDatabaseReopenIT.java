package dev.mcphealth.infrastructure.persistence;

import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.domain.model.HealthMetric;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MetricType;
import dev.mcphealth.domain.model.MonitoredServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database file deleted or replaced while open, on a real file: SQLite itself would go on writing into the unlinked
 * file without a word; {@link SqliteDatabase#reopenIfReplaced()} notices and opens the file at the path again.
 */
class SqliteDatabaseReopenIT {
    private static final MonitoredServer SERVER = aServer().named("search-1").ofType("web_search").build();
    private static final Instant AT = Instant.parse("2026-11-23T10:15:30.123Z");

    @TempDir
    Path dir;

    private static void write(SqliteDatabase db, int n) {
        HealthMetric m = HealthMetric.of(SERVER, MetricType.AVAILABILITY, 1, HealthStatus.HEALTHY,
                Map.of("n", Integer.toString(n)), AT.plusSeconds(n));
        new JdbcMetricStore(db).append(List.of(m));
    }

    /** What another process would read at the path: the {@code n} detail of every row. */
    private static String rowsAt(Path file) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce(group_concat(json_extract(details, '$.n'), ','), '')"
                     + " FROM (SELECT details FROM integration_health_metrics ORDER BY id)")) {
            return rs.getString(1);
        }
    }

    private static void deleteWithLog(Path file) throws Exception {
        Files.delete(file);
        Files.deleteIfExists(file.resolveSibling(file.getFileName() + "-wal"));
        Files.deleteIfExists(file.resolveSibling(file.getFileName() + "-shm"));
    }

    @Test
    void withoutTheCheckWritesGoOnIntoTheDeletedFileAndAreLost() throws Exception {
        Path file = dir.resolve("health.db");
        try (SqliteDatabase db = SqliteDatabase.open(file)) {
            write(db, 1);
            deleteWithLog(file);
            write(db, 2); // no error: SQLite writes into the unlinked file
            assertFalse(Files.exists(file), "nothing at the path: the row is in the deleted file only");
        }
    }

    @Test
    void aDeletedFileIsCreatedAgainOnceAndWrittenToFromThen() throws Exception {
        Path file = dir.resolve("health.db");
        try (SqliteDatabase db = SqliteDatabase.open(file)) {
            write(db, 1);
            assertEquals(Optional.empty(), db.reopenIfReplaced(), "nothing changed");
            deleteWithLog(file);

            Optional<String> said = db.reopenIfReplaced();
            assertEquals(Optional.of("database " + file + " was deleted while in use: created it again; what was"
                    + " recorded in the deleted one is not in it"), said);
            assertEquals(Optional.empty(), db.reopenIfReplaced(), "said once");
            write(db, 2);
            assertEquals("2", rowsAt(file), "the new file, migrated, has the rows written after the deletion");
            assertEquals("wal", Sql.single(db, "PRAGMA journal_mode"));
        }
    }

    @Test
    void aWriteAheadLogLeftBehindByTheDeletedFileIsNotReplayedIntoTheNewOne() throws Exception {
        Path file = dir.resolve("health.db");
        try (SqliteDatabase db = SqliteDatabase.open(file)) {
            write(db, 1);
            write(db, 2);
            Path wal = file.resolveSibling("health.db-wal");
            assertTrue(Files.size(wal) > 0, "the rows wait in the log");
            Files.delete(file); // the database alone: its -wal and -shm stay at the path

            assertTrue(db.reopenIfReplaced().isPresent());
            write(db, 3);
            assertEquals("3", rowsAt(file));
            assertEquals("ok", Sql.single(db, "PRAGMA integrity_check"));
        }
    }

    @Test
    void anotherFilePutAtThePathIsOpenedAndMigrated() throws Exception {
        Path file = dir.resolve("health.db");
        Path backup = dir.resolve("backup.db");
        try (SqliteDatabase old = SqliteDatabase.open(backup)) {
            write(old, 7);
        }
        try (SqliteDatabase db = SqliteDatabase.open(file)) {
            write(db, 1);
            Files.move(backup, file, StandardCopyOption.REPLACE_EXISTING);
            assertTrue(Files.size(file.resolveSibling("health.db-wal")) > 0, "the old file's log is still at the path");

            assertEquals(Optional.of("database " + file + " was replaced by another file while in use: opened the file"
                    + " now there (a copy put in its place, or the same file after a repair) and wrote to it what was"
                    + " waiting"), db.reopenIfReplaced());
            write(db, 2);
            assertEquals("7,2", rowsAt(file), "the old file's log was not replayed into the new one");
            assertEquals("ok", Sql.single(db, "PRAGMA integrity_check"));
        }
    }

    @Test
    void aFileThatCannotBeMadeAgainFailsEveryWriteWithTheReasonUntilItCanBe() throws Exception {
        Path file = dir.resolve("health.db");
        try (SqliteDatabase db = SqliteDatabase.open(file)) {
            write(db, 1);
            deleteWithLog(file);
            Files.createDirectory(file); // nothing can be created there now (as root, permissions would not stop it)

            StorageUnavailableException e = assertThrows(StorageUnavailableException.class, db::reopenIfReplaced);
            String lost = "database " + file + " was replaced by another file while in use and cannot be opened"
                    + " again: it is a directory";
            assertEquals(lost, e.getMessage());
            StorageUnavailableException write = assertThrows(StorageUnavailableException.class, () -> write(db, 2));
            assertEquals("cannot write metrics to " + file + ": " + lost, write.getMessage());

            Files.delete(file);
            assertEquals(Optional.of("database " + file + " was replaced by another file while in use: created it"
                    + " again; what was recorded in the deleted one is not in it"), db.reopenIfReplaced());
            write(db, 3);
            assertEquals("3", rowsAt(file));
        }
    }

    @Test
    void theMonitorLockIsTakenAgainWhenItsFileWentWithTheDirectory() throws Exception {
        Path file = dir.resolve("state").resolve("health.db");
        try (SqliteDatabase db = SqliteDatabase.open(file)) {
            db.holdLock(MonitorLock.acquire(file));
            write(db, 1);
            try (var files = Files.list(file.getParent())) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(file.getParent());

            assertTrue(db.reopenIfReplaced().isPresent());
            assertTrue(Files.exists(MonitorLock.fileOf(file)), "the lock file is there again");
            StorageUnavailableException second = assertThrows(StorageUnavailableException.class,
                    () -> MonitorLock.acquire(file));
            assertTrue(second.getMessage().contains("is in use by another monitor"), second.getMessage());
            write(db, 2);
            assertEquals("2", rowsAt(file));
        }
        MonitorLock.acquire(file).close(); // close released it
    }
}
