package dev.mcphealth.infrastructure.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The database the stores write to: a SQLite file ({@link SqliteDatabase}, the default) or a PostgreSQL server
 * ({@link PostgresDatabase}). The stores speak to both through JDBC; what differs in their SQL is in {@link Dialect}.
 */
public sealed interface Database extends AutoCloseable permits SqliteDatabase, PostgresDatabase {
    /**
     * What messages and reports name: the SQLite file's path, or {@code postgresql://user@host:port/database}. Never
     * a password.
     */
    String name();

    /** How this database's SQL differs from the other's. */
    Dialect dialect();

    /** The pool; for tests and tools. */
    DataSource dataSource();

    /** A pooled connection. */
    Connection connection() throws SQLException;

    /**
     * Whether the database written to is still the one opened, and what happened when not (a SQLite file deleted or
     * replaced: {@link SqliteDatabase#reopenIfReplaced()}); empty when nothing changed. A server database never is.
     */
    Optional<String> reopenIfReplaced();

    /** Whose rows may be written ({@link Fence#NONE} unless several monitors share this database). */
    default Fence fence() {
        return Fence.NONE;
    }

    /** The database's own check of its pages: one sentence when it is damaged, else empty. */
    Optional<String> damage();

    @Override
    void close();

    /** One line of what went wrong: the driver's own words, never an exception's class. */
    static String reason(Throwable e) {
        Throwable sql = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException) {
                sql = t;
            }
        }
        String m = sql.getMessage() == null || sql.getMessage().isBlank() ? "a database error" : sql.getMessage();
        if (m.contains("but no schema history table")) {
            // Flyway's words ("Use baseline() or set baselineOnMigrate ...") name settings no user has
            return "it is not an MCP Health database: it has tables of another program and none of MCP Health's"
                    + " (nothing was changed in it); give MCP Health a database of its own";
        }
        // SQLite: "[SQLITE_NOTADB] File opened that is not a database file (file is not a database)": the part in
        // brackets at the end is SQLite's own short reason
        int open = m.lastIndexOf('(');
        int close = m.lastIndexOf(')');
        if (m.startsWith("[SQLITE_") && open > 0 && close > open) {
            return m.substring(open + 1, close);
        }
        String line = m.lines().findFirst().orElse(m).trim();
        // PostgreSQL: "ERROR: duplicate key value violates unique constraint ..."; the server's words without the level
        for (String level : new String[] {"ERROR: ", "FATAL: ", "PANIC: "}) {
            if (line.startsWith(level)) {
                return line.substring(level.length());
            }
        }
        return line;
    }
}
