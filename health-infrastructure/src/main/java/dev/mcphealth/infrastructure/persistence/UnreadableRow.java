package dev.mcphealth.infrastructure.persistence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A stored row that is not a domain value (written by hand or by another tool: an unknown code, a malformed
 * timestamp, a NULL the schema allows but the value does not); its message names the table and the row, and
 * {@link Transactions} turns it into the read's one sentence ("cannot read history from FILE: health_alerts row id 7
 * cannot be read (...)").
 */
final class UnreadableRow extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Reads the current row into a value. */
    @FunctionalInterface
    interface Reader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** Names the current row in a message ({@code id 7}). */
    @FunctionalInterface
    interface Label {
        String of(ResultSet rs) throws SQLException;
    }

    UnreadableRow(String table, String row, Exception cause) {
        super(table + " row " + row + " cannot be read (" + cause.getMessage() + ")", cause);
    }

    /** Every row of {@code rs} read by {@code reader}; the first that is not a value fails, named by {@code label}. */
    static <T> List<T> readAll(ResultSet rs, String table, Label label, Reader<T> reader) throws SQLException {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
            try {
                out.add(reader.read(rs));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new UnreadableRow(table, label.of(rs), e);
            }
        }
        return out;
    }
}
