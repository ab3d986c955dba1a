package dev.mcphealth.infrastructure.persistence;

import dev.mcphealth.application.port.out.StorageUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** Runs a batch of one statement in one transaction; translates SQL failures at the boundary. */
final class Transactions {
    @FunctionalInterface
    interface Binder<T> {
        void bind(PreparedStatement ps, T row) throws SQLException;
    }

    private final SqliteDatabase db;

    Transactions(SqliteDatabase db) {
        this.db = db;
    }

    <T> void batch(String what, String sql, List<T> rows, Binder<T> binder) {
        if (rows.isEmpty()) {
            return;
        }
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (T row : rows) {
                    binder.bind(ps, row);
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StorageUnavailableException("cannot " + what + " to " + db.file() + ": "
                    + SqliteDatabase.reason(e), e);
        }
    }
}
