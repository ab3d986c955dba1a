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
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

/**
 * A transaction that fails on a real SQLite file reports why it failed. A full database is made real with
 * {@code PRAGMA max_page_count} (SQLite then answers SQLITE_FULL, "database or disk is full", exactly as on a full
 * disk, and rolls the transaction back itself); a read-only one by opening the file read-only (as root, a chmod would
 * not stop the writes).
 */
class TransactionsIT {
    private static final MonitoredServer SERVER = aServer().named("search-1").ofType("web_search").build();
    private static final Instant AT = Instant.parse("2026-11-23T10:15:30.123Z");

    @TempDir
    Path dir;

    /** A file with one table and a row in it, at most a few pages beyond what it holds now. */
    private Path smallFile() throws SQLException {
        Path file = dir.resolve("small.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (v BLOB)");
            s.execute("INSERT INTO t VALUES (zeroblob(100))");
        }
        return file;
    }

    private static void fill(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (zeroblob(4096))")) {
            for (int i = 0; i < 100; i++) {
                ps.executeUpdate();
            }
        }
    }

    @Test
    void aFullDatabaseIsReportedAsFullNotAsTheCleanupThatFailedAfterIt() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + smallFile());
             Statement s = c.createStatement()) {
            s.execute("PRAGMA max_page_count = 4");
            SQLException e = assertThrows(SQLException.class, () -> Transactions.inTransaction(c, x -> {
                fill(x);
                return null;
            }));
            assertTrue(e.getMessage().contains("SQLITE_FULL") && e.getMessage().contains("database or disk is full"),
                    "the cause is what is reported: " + e.getMessage() + "; suppressed: "
                            + Arrays.toString(e.getSuppressed()));
            assertTrue(c.getAutoCommit(), "the connection is left in auto-commit mode");
            // SQLite rolled the transaction back itself; the connection stays usable for the next one
            assertEquals(1, (int) Transactions.<Integer>inTransaction(c, x -> {
                try (Statement q = x.createStatement()) {
                    return q.executeQuery("SELECT count(*) FROM t").getInt(1);
                }
            }));
        }
    }

    @Test
    void aReadOnlyDatabaseIsReportedAsReadOnly() throws Exception {
        SQLiteConfig readOnly = new SQLiteConfig();
        readOnly.setReadOnly(true);
        try (Connection c = readOnly.createConnection("jdbc:sqlite:" + smallFile())) {
            SQLException e = assertThrows(SQLException.class, () -> Transactions.inTransaction(c, x -> {
                fill(x);
                return null;
            }));
            assertTrue(e.getMessage().contains("SQLITE_READONLY"), "the cause is what is reported: "
                    + e.getMessage() + "; suppressed: " + Arrays.toString(e.getSuppressed()));
            assertTrue(c.getAutoCommit(), "the connection is left in auto-commit mode");
        }
    }

    @Test
    void aCleanupThatFailsTooIsSuppressedOntoTheCauseNeverReplacingIt() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + smallFile())) {
            SQLException cause = new SQLException("the work failed");
            SQLException e = assertThrows(SQLException.class, () -> Transactions.inTransaction(c, x -> {
                x.close(); // every cleanup (rollback, setAutoCommit) now fails: "database connection closed"
                throw cause;
            }));
            assertEquals(cause, e);
            assertFalse(e.getSuppressed().length == 0, "the failed cleanup is kept on the cause");
        }
    }

    @Test
    void aStoreOnAFullDatabaseSaysTheDatabaseIsFullAndNamesTheFile() throws Exception {
        try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("health.db"))) {
            // both pooled connections get the limit, whichever one the store takes
            try (Connection a = db.dataSource().getConnection(); Connection b = db.dataSource().getConnection();
                 Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
                long pages = sa.executeQuery("PRAGMA page_count").getLong(1);
                sa.execute("PRAGMA max_page_count = " + (pages + 2));
                sb.execute("PRAGMA max_page_count = " + (pages + 2));
            }
            List<HealthMetric> rows = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                rows.add(HealthMetric.of(SERVER, MetricType.RESPONSE_TIME, i, HealthStatus.HEALTHY,
                        Map.of("probe", "ping", "n", Integer.toString(i)), AT.plusSeconds(i)));
            }
            StorageUnavailableException e = assertThrows(StorageUnavailableException.class,
                    () -> new JdbcMetricStore(db).append(rows));
            assertEquals("cannot write metrics to " + db.file() + ": database or disk is full", e.getMessage());
            assertEquals("0", Sql.single(db, "SELECT count(*) FROM integration_health_metrics"),
                    "nothing of the failed batch stays");
        }
    }

    /**
     * Two connections of one process's pool write at once, the first reading before it writes (as the outbox checks
     * its run before it adds a call). In WAL mode a transaction that began by reading cannot write once the other has
     * committed since its read (SQLITE_BUSY_SNAPSHOT, at once, no busy wait): the call would be lost. A write
     * transaction takes the write lock as it begins, so the other waits for it instead, and both are written.
     */
    @Test
    void aWriteThatReadsFirstIsNotRefusedWhenAnotherConnectionWritesMeanwhile() throws Exception {
        try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("two.db"))) {
            try (Connection c = db.connection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (v INTEGER)");
            }
            Transactions tx = new Transactions(db);
            java.util.concurrent.CountDownLatch read = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch otherWrote = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();
            try {
                java.util.concurrent.Future<?> second = other.submit(() -> {
                    read.await();
                    tx.transaction("write t to", c -> insert(c, 2));
                    otherWrote.countDown();
                    return null;
                });
                tx.transaction("write t to", c -> {
                    try (Statement q = c.createStatement()) {
                        q.executeQuery("SELECT count(*) FROM t").close();
                    }
                    read.countDown();
                    try {
                        // the other writes now if it can (it cannot while this transaction holds the write lock)
                        otherWrote.await(1, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return insert(c, 1);
                });
                second.get(10, java.util.concurrent.TimeUnit.SECONDS);
            } finally {
                other.shutdownNow();
            }
            try (Connection c = db.connection(); Statement q = c.createStatement()) {
                assertEquals(2, q.executeQuery("SELECT count(*) FROM t").getInt(1), "both writes are there");
            }
            // a read transaction still reads beside a writer (it takes no write lock)
            assertEquals(2, (int) tx.<Integer>read("read t from", c -> {
                try (Statement q = c.createStatement()) {
                    return q.executeQuery("SELECT count(*) FROM t").getInt(1);
                }
            }));
        }
    }

    private static Object insert(Connection c, int v) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?)")) {
            ps.setInt(1, v);
            ps.executeUpdate();
        }
        return null;
    }
}
