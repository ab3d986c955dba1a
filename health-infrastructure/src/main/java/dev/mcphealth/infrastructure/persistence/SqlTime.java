package dev.mcphealth.infrastructure.persistence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/**
 * Timestamps as SQLite's own CURRENT_TIMESTAMP writes them ("YYYY-MM-DD HH:MM:SS", UTC), with milliseconds, so that
 * rows written by default and rows written by us sort and compare alike and SQLite's date functions read both.
 */
final class SqlTime {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter PARSE = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter();

    private SqlTime() {
    }

    /**
     * "YYYY-MM-DD HH:MM:SS.mmm" in UTC. Written by hand for years 0-9999: every metric row has one, and the formatter
     * (which builds the UTC zone's rules anew on each call) was a tenth of the writer thread's time at 1,000 servers a
     * second; other years (never a real measurement) go through the formatter.
     */
    static String format(Instant instant) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
        int year = t.getYear();
        if (year < 0 || year > 9999) {
            return FORMAT.format(instant);
        }
        char[] c = new char[23];
        digits(c, 0, year, 4);
        c[4] = '-';
        digits(c, 5, t.getMonthValue(), 2);
        c[7] = '-';
        digits(c, 8, t.getDayOfMonth(), 2);
        c[10] = ' ';
        digits(c, 11, t.getHour(), 2);
        c[13] = ':';
        digits(c, 14, t.getMinute(), 2);
        c[16] = ':';
        digits(c, 17, t.getSecond(), 2);
        c[19] = '.';
        digits(c, 20, t.getNano() / 1_000_000, 3);
        return new String(c);
    }

    private static void digits(char[] into, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            into[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /**
     * {@code instant} as the bound of a range ({@code >=} or {@code <}) that compares right against both spellings:
     * without ".000" on a whole second, since "10:00:00" (CURRENT_TIMESTAMP) and "10:00:00.000" (ours) are the same
     * instant but "10:00:00" sorts before "10:00:00.000". Not for equality.
     */
    static String bound(Instant instant) {
        return instant.getNano() / 1_000_000 == 0 ? SECONDS.format(instant) : FORMAT.format(instant);
    }

    /**
     * The time in column {@code index} of the current row: SQLite's text in either spelling, PostgreSQL's
     * {@code timestamptz}; null for NULL.
     *
     * @throws IllegalArgumentException when it is text that is not a timestamp
     */
    static Instant read(ResultSet rs, int index) throws SQLException {
        Object value = rs.getObject(index);
        if (value == null) {
            return null;
        }
        if (value instanceof String text) {
            return parse(text);
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof OffsetDateTime t) {
            return t.toInstant();
        }
        throw new IllegalArgumentException("not a timestamp: a " + rs.getMetaData().getColumnTypeName(index)
                + " value");
    }

    /** Reads either spelling (with or without a fraction of a second). */
    static Instant parse(String text) {
        try {
            return LocalDateTime.parse(text, PARSE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a timestamp of the form YYYY-MM-DD HH:MM:SS[.SSS]: \"" + text + '"',
                    e);
        }
    }
}
