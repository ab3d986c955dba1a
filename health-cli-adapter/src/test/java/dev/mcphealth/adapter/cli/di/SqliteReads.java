package dev.mcphealth.adapter.cli.di;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.sqlite.SQLiteConfig;

/**
 * The test's own look into a database a real process writes: a connection of its own, as a second terminal's
 * {@code sqlite3} would open it. A read-only connection changes nothing in the file (a write-ahead log a killed writer
 * left stays for the next writer to find); a plain one, the last to close, may checkpoint the log, as any reader may.
 */
final class SqliteReads {
    private static final DateTimeFormatter SQL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);

    private SqliteReads() {
    }

    /** The first column of every row of {@code sql}, as text, on a read-only connection. */
    static List<String> readOnly(Path db, String sql) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(5_000);
        try (Connection c = config.createConnection("jdbc:sqlite:" + db)) {
            return rows(c, sql);
        }
    }

    /** The first column of every row of {@code sql}, as text, on a plain connection. */
    static List<String> rows(Path db, String sql) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(5_000);
        try (Connection c = config.createConnection("jdbc:sqlite:" + db)) {
            return rows(c, sql);
        }
    }

    /** {@code SELECT count(*) ...} on a read-only connection. */
    static long count(Path db, String sql) throws SQLException {
        return Long.parseLong(readOnly(db, sql).get(0));
    }

    /** An instant as the schema writes times (UTC, {@code YYYY-MM-DD HH:MM:SS.SSS}), to compare in SQL. */
    static String sqlTime(Instant t) {
        return SQL_TIME.format(t);
    }

    /** A time as the schema writes it, read back. */
    static Instant instant(String sqlTime) {
        return Instant.parse(sqlTime.replace(' ', 'T') + "Z");
    }

    private static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /**
     * Asks {@code done} every 100 ms until it says yes; fails after {@code within}. For what only the file shows (a row
     * written at the monitor's next flush): there is no event to wait on, so the file is polled.
     */
    static void poll(String what, Duration within, Callable<Boolean> done) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        Object lock = new Object();
        while (!done.call()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("never " + what + " within " + within);
            }
            synchronized (lock) {
                lock.wait(100);
            }
        }
    }
}
