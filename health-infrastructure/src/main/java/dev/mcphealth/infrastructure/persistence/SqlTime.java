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

    static String format(Instant instant) {
        return FORMAT.format(instant);
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
