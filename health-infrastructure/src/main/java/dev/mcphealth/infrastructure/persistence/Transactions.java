package dev.mcphealth.infrastructure.persistence;

import dev.mcphealth.application.port.out.StorageUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

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
        transaction(what + " to", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (T row : rows) {
                    binder.bind(ps, row);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /**
     * {@code work} in one transaction: committed if it returns, rolled back if it throws. Reads in one transaction see
     * one snapshot of the file. {@code what} names the action and its preposition ("write failures to", "read history
     * from"); the file follows it in the message.
     */
    <R> R transaction(String what, Work<R> work) {
        return connected(what, c -> inTransaction(c, work));
    }

    /**
     * {@code work} in one transaction on {@code c}, which is left in auto-commit mode. When the work or its commit
     * fails, that failure is what is thrown: a cleanup that fails after it (the rollback, the return to auto-commit) is
     * added to it as suppressed, never thrown in its place. SQLite rolls a transaction back by itself on SQLITE_FULL
     * and some I/O errors, and the driver's return to auto-commit then fails with "cannot commit - no transaction is
     * active": thrown instead, that would hide a full disk behind a message about transactions.
     */
    static <R> R inTransaction(Connection c, Work<R> work) throws SQLException {
        c.setAutoCommit(false);
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
     * {@code work} on one connection in auto-commit mode: each statement its own transaction. A row it could not read
     * ({@link UnreadableRow}) fails {@code what} with the row named.
     */
    <R> R connected(String what, Work<R> work) {
        try {
            try {
                return once(work);
            } catch (SQLException e) {
                if (!endedByTheServer(e)) {
                    throw e;
                }
                // a pooled connection whose session the server ended (it restarted): the work did not happen, and
                // the pool has dropped that connection; once more on a new one
                return once(work);
            }
        } catch (SQLException e) {
            throw unavailable(what, e);
        } catch (UnreadableRow e) {
            throw unavailable(what, e.getMessage(), e);
        }
    }

    private <R> R once(Work<R> work) throws SQLException {
        try (Connection c = db.connection()) {
            return work.run(c);
        }
    }

    /**
     * Whether PostgreSQL ended the session before the work could be done: shut down or restarted by its
     * administrator, or in crash recovery (SQLSTATE 57P01, 57P02, 57P03). The statement that hears it never ran, so
     * neither did the rest of its transaction. A broken connection (08xxx) is not this: a commit may have been done
     * before the answer was lost, so it is not tried again.
     */
    static boolean endedByTheServer(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("57P0")) {
                return true;
            }
        }
        return false;
    }

    /** The one sentence for a failure of {@code what} ("read history from") on this file. */
    StorageUnavailableException unavailable(String what, Throwable e) {
        return unavailable(what, Database.reason(e), e);
    }

    StorageUnavailableException unavailable(String what, String reason, Throwable e) {
        return new StorageUnavailableException("cannot " + what + " " + db.name() + ": " + reason, e);
    }
}
