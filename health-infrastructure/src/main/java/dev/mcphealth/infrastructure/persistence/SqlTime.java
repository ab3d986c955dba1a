package dev.mcphealth.infrastructure.persistence;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Timestamps as SQLite's own CURRENT_TIMESTAMP writes them ("YYYY-MM-DD HH:MM:SS", UTC), with milliseconds, so that
 * rows written by default and rows written by us sort and compare alike and SQLite's date functions read both.
 */
final class SqlTime {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private SqlTime() {
    }

    static String format(Instant instant) {
        return FORMAT.format(instant);
    }
}
