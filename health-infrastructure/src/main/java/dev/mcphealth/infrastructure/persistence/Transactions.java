package dev.mcphealth.infrastructure.persistence;

import dev.mcphealth.application.port.out.StorageUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteConnectionConfig;

/**
 * Runs work on one pooled connection, writes in one transaction, and translates SQL failures at the boundary into one
 * sentence: "cannot write alerts to /path/health.db: database is locked".
 */
final class Transactions {
    @FunctionalInterface
    interface Binder<T> {
        void bind(PreparedStatement ps, T row) throws SQLException;
    }

    @FunctionalInterface
    interface Work<R> {
        R run(Connection c) throws SQLException;
    }

    private final Database db;
    /** How the database's SQL differs (how times are bound, the odd function). */
    final Dialect dialect;

    Transactions(Database db) {
        this.db = db;
        this.dialect = db.dialect();
    }

    /** One statement for every row, in one transaction; {@code what} reads "write metrics". */
    <T> void batch(String what, String sql, List<T> rows, Binder<T> binder) {
        if (rows.isEmpty()) {
            return;
        }
        // inserts that read nothing first: no lock taken before the first of them (see inTransaction)
        connected(what + " to", c -> inTransaction(c, false, x -> {
            insertAll(x, sql, rows, binder);
            return null;
        }));
    }

    private static <T> void insertAll(Connection c, String sql, List<T> rows, Binder<T> binder) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (T row : rows) {
                binder.bind(ps, row);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * As {@link #batch}, only the rows of the servers the database's {@link Fence} lets this monitor write now (all of
     * them unless monitors share the database), checked in the same transaction.
     */
    <T> void fencedBatch(String what, String sql, List<T> rows, java.util.function.Function<T, String> server,
                         Binder<T> binder) {
        if (rows.isEmpty()) {
            return;
        }
        // the fence reads only on PostgreSQL; on SQLite these are inserts that read nothing first
        connected(what + " to", c -> inTransaction(c, false, x -> {
            insertAll(x, sql, fenced(x, rows, server), binder);
            return null;
        }));
    }

    /** The rows of {@code rows} the fence lets this monitor write, in the transaction on {@code c}. */
    <T> List<T> fenced(Connection c, List<T> rows, java.util.function.Function<T, String> server)
            throws SQLException {
        Fence fence = db.fence();
        if (fence == Fence.NONE) {
            return rows;
        }
        java.util.Set<String> servers = new java.util.TreeSet<>();
        rows.forEach(r -> servers.add(server.apply(r)));
        java.util.Set<String> writable = fence.writable(c, servers);
        return writable.containsAll(servers) ? rows
                : rows.stream().filter(r -> writable.contains(server.apply(r))).toList();
    }

    /**
     * {@code work} in one transaction: committed if it returns, rolled back if it throws. Reads in one transaction see
     * one snapshot of the file. {@code what} names the action and its preposition ("write failures to", "read history
     * from"); the file follows it in the message.
     */
    <R> R transaction(String what, Work<R> work) {
        return connected(what, c -> inTransaction(c, true, work));
    }

    /**
     * {@code work} in one transaction on {@code c} that takes no lock as it begins (see
     * {@link #inTransaction(Connection, boolean, Work)}): for work that writes without reading first, or whose reads
     * may be refused (retention, which gives way to the monitor and tries again at its next run).
     */
    static <R> R inTransaction(Connection c, Work<R> work) throws SQLException {
        return inTransaction(c, false, work);
    }

    /**
     * {@code work} in one transaction on {@code c}, which is left in auto-commit mode. When the work or its commit
     * fails, that failure is what is thrown: a cleanup that fails after it (the rollback, the return to auto-commit) is
     * added to it as suppressed, never thrown in its place. SQLite rolls a transaction back by itself on SQLITE_FULL
     * and some I/O errors, and the driver's return to auto-commit then fails with "cannot commit - no transaction is
     * active": thrown instead, that would hide a full disk behind a message about transactions.
     *
     * <p>On SQLite a {@code write} transaction takes the database's write lock as it begins (BEGIN IMMEDIATE), waiting
     * for it as for any lock: a transaction that began by reading could not write once another connection had
     * committed since its read (WAL mode answers SQLITE_BUSY_SNAPSHOT at once, with no busy wait), and what it wrote
     * would be lost. A read transaction takes no lock, and neither do batches of inserts that read nothing first
     * (the monitor's rows, a second at a time: taking the lock for their whole transaction starved retention's
     * deletes on the other connection past the busy timeout).
     */
    static <R> R inTransaction(Connection c, boolean write, Work<R> work) throws SQLException {
        begin(c, write);
        R result;
        try {
            result = work.run(c);
            c.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException | RuntimeException rollback) {
                e.addSuppressed(rollback);
            }
            try {
                c.setAutoCommit(true);
            } catch (SQLException | RuntimeException autoCommit) {
                e.addSuppressed(autoCommit);
            }
            throw e;
        }
        c.setAutoCommit(true);
        return result;
    }

    /**
     * Ends auto-commit on {@code c}: on SQLite, a {@code write} transaction begins IMMEDIATE (the driver runs the
     * BEGIN now); the connection's mode is set back to DEFERRED at once, so that the BEGIN the driver runs after the
     * commit, before auto-commit returns, takes no lock.
     */
    private static void begin(Connection c, boolean write) throws SQLException {
        if (!write || !c.isWrapperFor(SQLiteConnection.class)) {
            c.setAutoCommit(false);
            return;
        }
        SQLiteConnectionConfig config = c.unwrap(SQLiteConnection.class).getConnectionConfig();
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        try {
            c.setAutoCommit(false);
        } catch (SQLException e) {
            // the BEGIN failed (locked past the busy timeout), but the driver has counted the connection out of
            // auto-commit already: back to it, or the next user of the pooled connection would find no transaction
            try {
                c.setAutoCommit(true);
            } catch (SQLException | RuntimeException noTransaction) {
                e.addSuppressed(noTransaction);
            }
            throw e;
        } finally {
            config.setTransactionMode(SQLiteConfig.TransactionMode.DEFERRED);
        }
    }

    /**
     * {@code work} on one connection in auto-commit mode: each statement its own transaction. A row it could not read
     * ({@link UnreadableRow}) fails {@code what} with the row named.
     */
    <R> R connected(String what, Work<R> work) {
        try (Connection c = db.connection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw unavailable(what, e);
        } catch (UnreadableRow e) {
            throw unavailable(what, e.getMessage(), e);
        }
    }

    /**
     * {@code work} reading in one transaction that sees one state of the database: SQLite's transactions always do;
     * PostgreSQL's do at REPEATABLE READ (at its default, READ COMMITTED, each statement would see the rows committed
     * before it, and a prune between two of them would leave an hour out of a history).
     */
    <R> R read(String what, Work<R> work) {
        if (dialect == Dialect.SQLITE) {
            return connected(what, c -> inTransaction(c, false, work));
        }
        return connected(what, c -> {
            int before = c.getTransactionIsolation();
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                return inTransaction(c, false, work);
            } finally {
                c.setTransactionIsolation(before);
            }
        });
    }

    /** The one sentence for a failure of {@code what} ("read history from") on this file. */
    StorageUnavailableException unavailable(String what, Throwable e) {
        return unavailable(what, Database.reason(e), e);
    }

    StorageUnavailableException unavailable(String what, String reason, Throwable e) {
        return new StorageUnavailableException("cannot " + what + " " + db.name() + ": " + reason, e);
    }
}
