package dev.mcphealth.infrastructure.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * A PostgreSQL database, pooled by Hikari, its schema migrated by Flyway on open ({@code db/migration/postgresql}:
 * the same tables, columns and checks as SQLite's, in PostgreSQL's types: {@code timestamptz}, {@code boolean},
 * {@code double precision}, identity keys). Opening fails with one sentence naming the database (never the password)
 * and the server's reason. Several processes may open one database at once: Flyway migrates it once, under its lock.
 */
public final class PostgresDatabase implements Database {
    private static final String MIGRATIONS = "classpath:db/migration/postgresql";

    /** The monitor's lock while one monitor at a time writes here: {@code pg_advisory_lock} on this key. */
    private static final long MONITOR_LOCK = 0x6d63_702d_6865_616cL; // "mcp-heal"

    private final DatabaseTarget.Postgres target;
    private final HikariDataSource pool;
    /** The connection that holds the monitor's lock; null while none is held. */
    private Connection lockHolder;

    private PostgresDatabase(DatabaseTarget.Postgres target, HikariDataSource pool) {
        this.target = target;
        this.pool = pool;
    }

    /** Opens the database {@code target} names and brings its schema up to date. */
    public static PostgresDatabase open(DatabaseTarget.Postgres target) {
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config(target));
        } catch (RuntimeException e) {
            throw unavailable(target, e);
        }
        try {
            Flyway.configure().dataSource(pool).locations(MIGRATIONS).load().migrate();
            return new PostgresDatabase(target, pool);
        } catch (RuntimeException e) {
            pool.close();
            throw unavailable(target, e);
        }
    }

    private static HikariConfig config(DatabaseTarget.Postgres target) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(target.jdbcUrl());
        c.setPoolName("mcp-health-postgresql");
        c.setMaximumPoolSize(4);
        c.setMinimumIdle(1);
        // a server that is gone fails a write within seconds, so the monitor buffers instead of waiting
        c.setConnectionTimeout(5_000);
        c.setValidationTimeout(2_000);
        c.setInitializationFailTimeout(1);
        c.addDataSourceProperty("user", target.user());
        target.password().ifPresent(p -> c.addDataSourceProperty("password", p));
        c.addDataSourceProperty("ApplicationName", "mcp-health");
        c.addDataSourceProperty("connectTimeout", "5");
        c.addDataSourceProperty("socketTimeout", "30");
        c.addDataSourceProperty("tcpKeepAlive", "true");
        target.parameters().forEach(c::addDataSourceProperty);
        return c;
    }

    private static StorageUnavailableException unavailable(DatabaseTarget.Postgres target, Throwable e) {
        return new StorageUnavailableException("cannot open database " + target.name() + ": " + Database.reason(e),
                e);
    }

    @Override
    public String name() {
        return target.name();
    }

    @Override
    public Dialect dialect() {
        return Dialect.POSTGRESQL;
    }

    @Override
    public DataSource dataSource() {
        return pool;
    }

    @Override
    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /** A database on a server is not a file that can be swapped under the pool: nothing to reopen. */
    @Override
    public Optional<String> reopenIfReplaced() {
        return Optional.empty();
    }

    /** The server keeps its own pages; damage shows as errors of the statements, which say so. */
    @Override
    public Optional<String> damage() {
        return Optional.empty();
    }

    /**
     * Takes the monitor's lock (a session-level advisory lock on a connection kept for it), so that a second monitor
     * on this database is refused at open, as on SQLite's file: until monitors share a database (docs/cluster.md),
     * two of them would probe every server twice and write every row twice. The lock goes with the connection: when
     * the server restarts, another monitor may take it.
     *
     * @throws StorageUnavailableException when another monitor holds it, or the lock cannot be asked for
     */
    public synchronized void holdMonitorLock() {
        if (lockHolder != null) {
            return;
        }
        try {
            Connection c = pool.getConnection();
            boolean taken;
            try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                ps.setLong(1, MONITOR_LOCK);
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    taken = rs.next() && rs.getBoolean(1);
                }
            } catch (SQLException | RuntimeException e) {
                c.close();
                throw e;
            }
            if (!taken) {
                c.close();
                throw new StorageUnavailableException("another monitor is recording to " + name()
                        + " (it holds the database's monitor lock): stop it first, or give this one another database",
                        null);
            }
            lockHolder = c;
        } catch (SQLException e) {
            throw new StorageUnavailableException("cannot lock database " + name() + ": " + Database.reason(e), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            if (lockHolder != null) {
                // closing a pooled connection only returns it: unlock first, so the pool does not keep the lock
                try (java.sql.Statement s = lockHolder.createStatement()) {
                    s.execute("SELECT pg_advisory_unlock_all()");
                } catch (SQLException e) {
                    // the session is gone, and its lock with it
                }
                try {
                    lockHolder.close();
                } catch (SQLException e) {
                    // closed with the pool below
                }
                lockHolder = null;
            }
        } finally {
            pool.close();
        }
    }
}
