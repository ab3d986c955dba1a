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
 * and the server's reason. Several processes may open one database at once: Flyway migrates it once, under its lock;
 * monitors on one database share the servers out among them (docs/cluster.md, {@link #fenceWith}).
 */
public final class PostgresDatabase implements Database {
    private static final String MIGRATIONS = "classpath:db/migration/postgresql";
    /** What every session of this program sets first (see {@link #config}). */
    private static final String SESSION = "SET idle_in_transaction_session_timeout = '5s'; SET tcp_keepalives_idle"
            + " = 10; SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 3";

    private final DatabaseTarget.Postgres target;
    private final HikariDataSource pool;
    /** Whose rows may be written: set when this monitor shares the database with others. */
    private volatile Fence fence = Fence.NONE;

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

    /**
     * Whether {@code target} holds this program's records (its schema history), asked before a command that only reads
     * or prunes them opens it: such a command must not make the tables in a database it was pointed at by mistake.
     *
     * @throws StorageUnavailableException when it cannot be asked (one sentence, no password)
     */
    public static boolean hasRecords(DatabaseTarget.Postgres target) {
        HikariConfig c = config(target);
        java.util.Properties p = new java.util.Properties();
        p.putAll(c.getDataSourceProperties());
        try (Connection conn = java.sql.DriverManager.getConnection(target.jdbcUrl(), p);
             java.sql.Statement s = conn.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT to_regclass('flyway_schema_history') IS NOT NULL")) {
            return rs.next() && rs.getBoolean(1);
        } catch (SQLException e) {
            throw unavailable(target, e);
        }
    }

    private static HikariConfig config(DatabaseTarget.Postgres target) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(target.jdbcUrl());
        c.setPoolName("mcp-health-postgresql");
        // the flush, the cluster's beat and a takeover's reads, the outbox's turn held over a delivery, the pages'
        // and the tools' reads: none waits for another's connection
        c.setMaximumPoolSize(8);
        c.setMinimumIdle(1);
        // a server that is gone fails a write within seconds, so the monitor buffers instead of waiting
        c.setConnectionTimeout(3_000);
        c.setValidationTimeout(2_000);
        c.setInitializationFailTimeout(1);
        // a session left in a transaction (its process paused by SIGSTOP, cut off mid-write) ends after 5 s, and the
        // rows it locked with it: no other monitor waits on it for longer; the server asks a silent peer too
        c.setConnectionInitSql(SESSION);
        c.addDataSourceProperty("user", target.user());
        target.password().ifPresent(p -> c.addDataSourceProperty("password", p));
        c.addDataSourceProperty("ApplicationName", "mcp-health");
        c.addDataSourceProperty("connectTimeout", "5");
        // a read is not cut off (a long history, a first prune); a server gone is seen by the keepalive and the pool
        c.addDataSourceProperty("socketTimeout", "300");
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

    /**
     * A pooled connection whose session is alive: one the server ended (it restarted) is asked once ({@code isValid},
     * an empty query) and dropped from the pool before any work is given to it, so that work is never run on it, fails
     * and would have to be run again without knowing whether its commit went through.
     */
    @Override
    public Connection connection() throws SQLException {
        for (int i = 0; ; i++) {
            Connection c = pool.getConnection();
            if (c.isValid(2) || i == 2) {
                return c;
            }
            pool.evictConnection(c);
        }
    }

    /**
     * A connection of its own, outside the pool, opened now and given up by whoever asked for it: for the cluster's
     * beats, which must reach the server as soon as it answers. The pool cannot promise that: after an outage it tries
     * again at a back-off of up to 5 s (Hikari's, not configurable), and its connections may all be in use by writes.
     * Opening it (the login, this program's session settings, then {@code settings}) and each answer on it wait at most
     * {@code within}, or the shorter time the database's URL gives, for the server.
     */
    public Connection connectionOfItsOwn(java.time.Duration within, String... settings) throws SQLException {
        java.util.Properties p = new java.util.Properties();
        p.putAll(pool.getDataSourceProperties());
        double seconds = Math.max(1, within.toMillis() / 1000.0);
        // the driver's names, in seconds: the login as a whole, the TCP connect, and every read (the login's too)
        atMost(p, "loginTimeout", Double.toString(seconds), seconds);
        atMost(p, "connectTimeout", Long.toString((long) Math.ceil(seconds)), seconds);
        atMost(p, "socketTimeout", Long.toString((long) Math.ceil(seconds)), seconds);
        Connection c = java.sql.DriverManager.getConnection(target.jdbcUrl(), p);
        try (java.sql.Statement s = c.createStatement()) {
            // to the millisecond (the driver's socketTimeout is in whole seconds); the driver uses no executor
            double read = Math.min(seconds, Double.parseDouble(p.getProperty("socketTimeout")));
            c.setNetworkTimeout(Runnable::run, (int) Math.round(read * 1000));
            s.execute(SESSION);
            for (String setting : settings) {
                s.execute(setting);
            }
        } catch (SQLException | RuntimeException e) {
            try {
                c.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return c;
    }

    /** Sets {@code key} to {@code value} unless it is already a shorter time (0, the driver's "no limit", is not). */
    private static void atMost(java.util.Properties p, String key, String value, double seconds) {
        try {
            double given = Double.parseDouble(p.getProperty(key, "0").strip());
            if (given > 0 && given <= seconds) {
                return;
            }
        } catch (NumberFormatException e) {
            // the driver would refuse it anyway: ours instead
        }
        p.setProperty(key, value);
    }

    @Override
    public Fence fence() {
        return fence;
    }

    /** From now on, writes carry only the rows {@code fence} lets through (docs/cluster.md). */
    public void fenceWith(Fence fence) {
        this.fence = java.util.Objects.requireNonNull(fence, "fence");
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

    @Override
    public void close() {
        pool.close();
    }

}
