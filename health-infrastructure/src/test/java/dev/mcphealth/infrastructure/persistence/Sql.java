package dev.mcphealth.infrastructure.persistence;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Plain SQL on a test database: one value read back, a statement run, the file locked by another connection. */
final class Sql {
    private Sql() {
    }

    /** The first column of the first row of {@code query}, as text. */
    static String single(Database db, String query) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(query)) {
            assertTrue(rs.next(), query);
            return rs.getString(1);
        }
    }

    static void execute(Database db, String statement) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    /** Makes SQLite refuse inserts into {@code table} that match {@code when}, as a full disk would, mid-batch. */
    static void refuseInserts(SqliteDatabase db, String table, String when) throws SQLException {
        execute(db, "CREATE TRIGGER refuse_" + table + " BEFORE INSERT ON " + table + " WHEN " + when
                + " BEGIN SELECT RAISE(ABORT, 'disk is full'); END");
    }

    /** Another connection (another process, as far as SQLite can tell) holding the write lock until closed. */
    static AutoCloseable lockExclusively(Path file) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement s = c.createStatement()) {
            s.execute("BEGIN EXCLUSIVE");
        }
        return () -> {
            try (c; Statement s = c.createStatement()) {
                s.execute("ROLLBACK");
            }
        };
    }
}
