package dev.mcphealth.infrastructure.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * One SQLite file, pooled by Hikari in WAL mode, its schema migrated by Flyway on open. Opening fails with one
 * sentence naming the file and the reason when the file cannot be used.
 */
public final class SqliteDatabase implements AutoCloseable {
    private static final String MIGRATIONS = "classpath:db/migration/sqlite";

    private final Path file;
    private final HikariDataSource pool;

    private SqliteDatabase(Path file, HikariDataSource pool) {
        this.file = file;
        this.pool = pool;
    }

    /** Opens (creating if needed) the database at {@code file} and brings its schema up to date. */
    public static SqliteDatabase open(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
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
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config(absolute));
        } catch (RuntimeException e) {
            throw unavailable(absolute, e);
        }
        try {
            Flyway.configure().dataSource(pool).locations(MIGRATIONS).load().migrate();
            return new SqliteDatabase(absolute, pool);
        } catch (RuntimeException e) {
            pool.close();
            throw unavailable(absolute, e);
        }
    }

    private static HikariConfig config(Path file) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl("jdbc:sqlite:" + file);
        c.setPoolName("mcp-health-sqlite");
        // SQLite has one writer at a time; more connections only queue on its lock.
        c.setMaximumPoolSize(2);
        c.setMinimumIdle(1);
        c.setConnectionTimeout(5_000);
        c.setInitializationFailTimeout(1);
        c.addDataSourceProperty("journal_mode", "WAL");
        c.addDataSourceProperty("synchronous", "NORMAL");
        c.addDataSourceProperty("busy_timeout", "5000");
        c.addDataSourceProperty("foreign_keys", "true");
        return c;
    }

    /** Translates whatever Hikari, Flyway or the driver threw into one sentence. */
    static StorageUnavailableException unavailable(Path file, Throwable e) {
        return new StorageUnavailableException("cannot open database " + file + ": " + reason(e), e);
    }

    static String reason(Throwable e) {
        Throwable sql = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException) {
                sql = t;
            }
        }
        String m = sql.getMessage() == null ? sql.getClass().getSimpleName() : sql.getMessage();
        // The driver's messages look like "[SQLITE_NOTADB] File opened that is not a database file (file is not a
        // database)": the part in brackets at the end is SQLite's own short reason.
        int open = m.lastIndexOf('(');
        int close = m.lastIndexOf(')');
        if (m.startsWith("[SQLITE_") && open > 0 && close > open) {
            return m.substring(open + 1, close);
        }
        return m.lines().findFirst().orElse(m).trim();
    }

    public DataSource dataSource() {
        return pool;
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        pool.close();
    }
}
