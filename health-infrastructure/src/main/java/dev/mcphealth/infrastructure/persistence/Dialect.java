package dev.mcphealth.infrastructure.persistence;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * What differs between SQLite's SQL and PostgreSQL's as the stores use them. Times: SQLite keeps them as UTC text
 * ({@link SqlTime}), PostgreSQL as {@code timestamptz}; both to the millisecond. A time is read back from either with
 * {@link SqlTime#read}.
 */
public enum Dialect {
    SQLITE {
        @Override
        void time(PreparedStatement ps, int index, Instant at) throws SQLException {
            ps.setString(index, at == null ? null : SqlTime.format(at));
        }

        @Override
        void bound(PreparedStatement ps, int index, Instant at) throws SQLException {
            ps.setString(index, SqlTime.bound(at));
        }

        @Override
        String plusSeconds(String time, String seconds) {
            return "strftime('%Y-%m-%d %H:%M:%f', " + time + ", '+' || " + seconds + " || ' seconds')";
        }

        @Override
        String jsonText(String column, String key) {
            return "json_extract(" + column + ", '$." + key + "')";
        }

        @Override
        String digitsFrom(String value, int from) {
            String rest = "substr(" + value + ", " + from + ")";
            return "(length(" + rest + ") BETWEEN 1 AND 18 AND " + rest + " NOT GLOB '*[^0-9]*')";
        }
    },
    POSTGRESQL {
        @Override
        void time(PreparedStatement ps, int index, Instant at) throws SQLException {
            if (at == null) {
                ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
            } else {
                ps.setObject(index, OffsetDateTime.ofInstant(at.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC));
            }
        }

        @Override
        void bound(PreparedStatement ps, int index, Instant at) throws SQLException {
            // timestamptz compares as an instant: no spelling to match, but the same millisecond as written
            time(ps, index, at);
        }

        @Override
        String plusSeconds(String time, String seconds) {
            return "(" + time + " + make_interval(secs => " + seconds + "))";
        }

        @Override
        String jsonText(String column, String key) {
            return "(" + column + "::jsonb ->> '" + key + "')";
        }

        @Override
        String digitsFrom(String value, int from) {
            return "(substr(" + value + ", " + from + ") ~ '^[0-9]{1,18}$')";
        }
    };

    /**
     * Binds free text (what a server answered, an error's words): as it is on SQLite; on PostgreSQL, whose text
     * cannot hold the character U+0000, with each one replaced by U+FFFD, so that one such answer does not make every
     * write of its batch fail.
     */
    void text(PreparedStatement ps, int index, String text) throws SQLException {
        ps.setString(index, this == POSTGRESQL && text != null && text.indexOf('\u0000') >= 0
                ? text.replace('\u0000', '\uFFFD') : text);
    }

    /** Binds {@code at} (null for NULL) as a stored time, to the millisecond. */
    abstract void time(PreparedStatement ps, int index, Instant at) throws SQLException;

    /** Binds {@code at} as the bound of a range ({@code >=} or {@code <}), never null. */
    abstract void bound(PreparedStatement ps, int index, Instant at) throws SQLException;

    /** The SQL of the time {@code time} plus {@code seconds} seconds (both SQL expressions). */
    abstract String plusSeconds(String time, String seconds);

    /** The SQL of the text of member {@code key} of the JSON object in {@code column}. */
    abstract String jsonText(String column, String key);

    /** Whether the text of {@code value} from position {@code from} on is 1 to 18 digits (a bigint that fits). */
    abstract String digitsFrom(String value, int from);
}
