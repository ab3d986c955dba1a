package dev.mcphealth.infrastructure.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.domain.model.Faults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;

/**
 * One SQLite file, pooled by Hikari in WAL mode, its schema migrated by Flyway on open. Opening fails with one
 * sentence naming the file and the reason when the file cannot be used.
 *
 * <p>A file deleted while it is open does not stop SQLite: its connections go on writing into the unlinked file, and
 * everything written from then on is lost without a word. A monitor therefore asks {@link #reopenIfReplaced()} before
 * each flush (one {@code stat} of the path, not one per row): when the file at the path is no longer the one open, the
 * database is opened again there (created and migrated when it is gone), and the stores, which take a connection per
 * transaction, write to the new file from then on.
 */
public final class SqliteDatabase implements Database {
    private static final String MIGRATIONS = "classpath:db/migration/sqlite";
    /** The highest migration in {@code db/migration/sqlite} (SqliteDatabaseIT checks that it is). */
    static final int SCHEMA_VERSION = 17;
    /** How long a statement waits for another process's lock before it fails ("database is locked"). */
    static final Duration BUSY_TIMEOUT = Duration.ofSeconds(5);

    private final Path file;
    private final Duration busyTimeout;
    /** The pool on the file at the path; null once the file was lost and could not be opened again. */
    private volatile HikariDataSource pool;
    /** The identity (device and inode) of the file the pool writes to. */
    private volatile Object fileKey;
    /** The identity of its write-ahead log, as last seen at the path (SQLite makes it anew now and then). */
    private Object walKey;
    /** Why every write fails, while the file is lost: it was deleted or replaced and could not be opened again. */
    private volatile String lost;
    /** What happened to the file that is lost ("was deleted"). */
    private String lostChange;
    /** The monitor's lock, when a monitor writes here; null while it has to be taken again. */
    private MonitorLock lock;
    private boolean locked;
    private boolean closed;

    private SqliteDatabase(Path file, Duration busyTimeout, HikariDataSource pool) {
        this.file = file;
        this.busyTimeout = busyTimeout;
        this.pool = pool;
        this.fileKey = fileKey(file).orElse(null);
        this.walKey = fileKey(wal(file)).orElse(null);
    }

    private static Path wal(Path file) {
        return file.resolveSibling(file.getFileName() + "-wal");
    }

    private static Path shm(Path file) {
        return file.resolveSibling(file.getFileName() + "-shm");
    }

    /** Opens (creating if needed) the database at {@code file} and brings its schema up to date. */
    public static SqliteDatabase open(Path file) {
        return open(file, BUSY_TIMEOUT);
    }

    /**
     * As {@link #open(Path)}, with a statement waiting at most {@code busyTimeout} for another process's lock before it
     * fails ("database is locked"): for tests of that failure, which need not wait the whole {@link #BUSY_TIMEOUT}.
     */
    static SqliteDatabase open(Path file, Duration busyTimeout) {
        Path absolute = file.toAbsolutePath().normalize();
        return new SqliteDatabase(absolute, busyTimeout, openPool(absolute, busyTimeout));
    }

    private static HikariDataSource openPool(Path absolute, Duration busyTimeout) {
        try {
            if (Files.isDirectory(absolute)) {
                throw new StorageUnavailableException("cannot open database " + absolute + ": it is a directory", null);
            }
            Path parent = absolute.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new StorageUnavailableException("cannot open database " + absolute + ": cannot create its directory ("
                    + e.getMessage() + ")", e);
        }
        SqliteNative.prepare();
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config(absolute, busyTimeout));
        } catch (RuntimeException e) {
            throw unavailable(absolute, e);
        }
        try {
            if (!schemaCurrent(pool)) {
                Flyway.configure().dataSource(pool).locations(MIGRATIONS).load().migrate();
            }
            return pool;
        } catch (RuntimeException e) {
            pool.close();
            throw unavailable(absolute, e);
        }
    }

    /**
     * Whether the file's schema is {@link #SCHEMA_VERSION} already, every migration up to it recorded as applied: then
     * Flyway is not run (its scan of the migrations and its checks were 0.15-0.3 s of every {@code check}'s start). Anything else — a new file, a failed or missing migration, a newer schema, a history that cannot be
     * read — goes to Flyway, which migrates or says what is wrong.
     */
    static boolean schemaCurrent(DataSource pool) {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT version, success FROM flyway_schema_history"
                     + " WHERE version IS NOT NULL")) {
            java.util.Set<Integer> applied = new java.util.HashSet<>();
            while (r.next()) {
                if (!r.getBoolean(2)) {
                    return false;
                }
                applied.add(Integer.parseInt(r.getString(1)));
            }
            return applied.size() == SCHEMA_VERSION && applied.stream().allMatch(v -> v >= 1 && v <= SCHEMA_VERSION);
        } catch (SQLException | NumberFormatException e) {
            return false;
        }
    }

    private static Optional<Object> fileKey(Path file) {
        try {
            return Optional.ofNullable(Files.readAttributes(file, BasicFileAttributes.class).fileKey());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static HikariConfig config(Path file, Duration busyTimeout) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl("jdbc:sqlite:" + file);
        c.setPoolName("mcp-health-sqlite");
        // SQLite has one writer at a time; more connections only queue on its lock.
        c.setMaximumPoolSize(2);
        c.setMinimumIdle(1);
        c.setConnectionTimeout(5_000);
        c.setInitializationFailTimeout(1);
        c.addDataSourceProperty("journal_mode", "WAL");
        // FULL: a commit is on disk when it returns, so a file system that fails takes no row already committed
        // (NORMAL lost them in ChaosDatabaseIT). The writer commits once a second below ~50 servers at 1 s and a
        // transaction per 100 rows above (~40 a second at 2,000 servers): the fsyncs are waits off the probe path
        c.addDataSourceProperty("synchronous", "FULL");
        c.addDataSourceProperty("busy_timeout", Long.toString(busyTimeout.toMillis()));
        c.addDataSourceProperty("foreign_keys", "true");
        return c;
    }

    /** Translates whatever Hikari, Flyway or the driver threw into one sentence. */
    static StorageUnavailableException unavailable(Path file, Throwable e) {
        return new StorageUnavailableException("cannot open database " + file + ": " + reason(e), e);
    }

    static String reason(Throwable e) {
        return Database.reason(e);
    }

    /** The pool on the file written to now (a new one after {@link #reopenIfReplaced()}); for tests and tools. */
    @Override
    public DataSource dataSource() {
        return pool;
    }

    /** A pooled connection to the file written to now. */
    @Override
    public Connection connection() throws SQLException {
        HikariDataSource p = pool;
        String why = lost;
        if (p == null || why != null) {
            throw new SQLException(why == null ? "database " + file + " is closed" : why);
        }
        return p.getConnection();
    }

    public Path file() {
        return file;
    }

    @Override
    public String name() {
        return file.toString();
    }

    @Override
    public Dialect dialect() {
        return Dialect.SQLITE;
    }

    /**
     * Keeps {@code lock} (this file's {@link MonitorLock}) while open: {@link #close()} releases it, and
     * {@link #reopenIfReplaced()} takes it again when its file was deleted too.
     */
    public synchronized void holdLock(MonitorLock lock) {
        if (!lock.database().equals(file)) {
            throw new IllegalArgumentException("the lock of " + lock.database() + " is not the lock of " + file);
        }
        this.lock = lock;
        this.locked = true;
    }

    /**
     * Checks that the file at the path is still the one written to, and the monitor's lock file still the one locked;
     * when not, opens them again. Cheap when nothing changed: one {@code stat} of each.
     *
     * <ul>
     *   <li>The database file was deleted (and with it, as a rule, its {@code -wal} and {@code -shm}): a new one is
     *   created and migrated at the path. A {@code -wal} or {@code -shm} left at the path belonged to the deleted file
     *   and is deleted first: SQLite would otherwise replay that log into the new file.</li>
     *   <li>Another file was put at the path (a backup moved there, say): it is opened and migrated. The log at the
     *   path is deleted first if it is the one last seen beside the old file (the same inode): it holds the old
     *   file's pages, and SQLite would write them over the new one. A log that came with the new file is kept.</li>
     *   <li>The lock file is gone or replaced (its directory deleted): it is locked again, so that a second monitor
     *   cannot take the new one.</li>
     * </ul>
     *
     * @return empty when nothing changed; else one sentence saying what happened, to be said once
     * @throws StorageUnavailableException when it changed and cannot be opened (or locked) again: from then on every
     *     write fails with that reason, until a later call opens it
     */
    @Override
    public synchronized Optional<String> reopenIfReplaced() {
        if (closed) {
            return Optional.empty();
        }
        Optional<String> change = lost != null ? Optional.ofNullable(lostChange) : change();
        boolean relock = locked && (lock == null || !lock.stillAtPath());
        if (change.isEmpty() && !relock) {
            walKey = fileKey(wal(file)).orElse(null);
            return Optional.empty();
        }
        String what = change.isPresent() ? "database " + file + " " + change.get()
                : "the lock file " + MonitorLock.fileOf(file) + " of database " + file + " is gone";
        try {
            if (relock) {
                MonitorLock old = lock;
                lock = null;
                if (old != null) {
                    old.close();
                }
                lock = MonitorLock.acquire(file);
            }
            if (change.isPresent() || pool == null) {
                boolean gone = !Files.exists(file);
                HikariDataSource old = pool;
                Optional<Object> walNow = fileKey(wal(file));
                if (gone || (walNow.isPresent() && walNow.get().equals(walKey))) {
                    // the log of the old file, left at the path: never replay it into the new one
                    Files.deleteIfExists(wal(file));
                    Files.deleteIfExists(shm(file));
                }
                HikariDataSource fresh = openPool(file, busyTimeout);
                fileKey = fileKey(file).orElse(null);
                walKey = fileKey(wal(file)).orElse(null);
                pool = fresh;
                lost = null;
                lostChange = null;
                if (old != null) {
                    old.close(); // its connections held the old file: what they wrote after the change is in it only
                }
                if (change.isPresent()) {
                    return Optional.of(what + " while in use: " + (gone ? "created it again; what was recorded "
                            + "in the deleted one is not in it" : "opened the file now there (a copy put in its "
                            + "place, or the same file after a repair) and wrote to it what was waiting"));
                }
            }
            return Optional.of(what + " while in use: locked it again");
        } catch (StorageUnavailableException | IOException e) {
            String prefix = "cannot open database " + file + ": ";
            String reason = e instanceof StorageUnavailableException ? e.getMessage() : Faults.describeIo((IOException) e);
            if (reason.startsWith(prefix)) {
                reason = reason.substring(prefix.length());
            }
            String message = what + " while in use and cannot be " + (change.isPresent() ? "opened" : "locked")
                    + " again: " + reason;
            HikariDataSource old = pool;
            pool = null;
            lost = message;
            lostChange = change.orElse(null);
            if (old != null) {
                old.close();
            }
            throw new StorageUnavailableException(message, e);
        }
    }

    /** What happened to the file at the path since it was opened; empty when it is still the one written to. */
    private Optional<String> change() {
        try {
            Object now = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
            return Objects.equals(now, fileKey) ? Optional.empty() : Optional.of("was replaced by another file");
        } catch (NoSuchFileException e) {
            return Optional.of("was deleted");
        } catch (IOException e) {
            return Optional.empty(); // cannot tell (a directory that cannot be read): write where it writes
        }
    }

    /**
     * SQLite's {@code quick_check} of the file at the path as it is on disk now: empty when it is sound, else one
     * sentence naming the file and SQLite's first finding ("database /path/health.db is damaged: database disk image
     * is malformed").
     *
     * <p>Why this is asked at all: a file overwritten in place while it is open (by a copy, a tool, a failing disk) is
     * not noticed by the connections writing it. In WAL mode they keep the pages they hold in memory for as long as
     * the log says nothing changed, write the new rows into the log, and copy them into the damaged file at the next
     * checkpoint: every write succeeds, and the file that results is malformed. So the check runs on a connection of
     * its own, read-only and not pooled, which reads every page from the file. It reads every page of every table and
     * index once (measured on a 282 MB file: 0.3 s from the page cache, 3.3 s from the disk), so it is for the end of
     * a run, not for every flush.
     */
    @Override
    public Optional<String> damage() {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(5_000);
        List<String> findings = new ArrayList<>();
        try (Connection c = config.createConnection("jdbc:sqlite:" + file);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA quick_check(1)")) {
            while (rs.next()) {
                findings.add(rs.getString(1));
            }
        } catch (SQLException e) {
            // only SQLite's own words for a damaged file say that; busy, cannot open and the like say nothing of it
            String why = reason(e);
            boolean damaged = e.getErrorCode() == 11 || e.getErrorCode() == 26 // SQLITE_CORRUPT, SQLITE_NOTADB
                    || why.contains("malformed") || why.contains("not a database");
            return damaged ? Optional.of("database " + file + " is damaged: " + why) : Optional.empty();
        }
        if (findings.equals(List.of("ok"))) {
            return Optional.empty();
        }
        // "*** in database main ***\nTree 5 page 5: btreeInitPage() returns error code 11": one line, SQLite's words
        String finding = String.join(" ", findings).replace("*** in database main ***", "").strip()
                .replaceAll("\\s+", " ");
        return Optional.of("database " + file + " is damaged: " + (finding.isEmpty() ? "the check failed" : finding));
    }

    /** Closes the pool and releases the monitor's lock, if it holds one. */
    @Override
    public synchronized void close() {
        closed = true;
        try {
            HikariDataSource p = pool;
            if (p != null) {
                p.close();
            }
        } finally {
            if (lock != null) {
                lock.close();
            }
        }
    }
}
