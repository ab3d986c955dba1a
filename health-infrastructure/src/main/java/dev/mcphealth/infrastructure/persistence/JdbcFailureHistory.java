package dev.mcphealth.infrastructure.persistence;

import dev.mcphealth.application.port.out.FailureHistoryPort;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.RecoveryAction;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Failure episodes read back from integration_failures, newest first, of every server or of the server types asked
 * (by the row's server_type, in SQL, so before the limit): those that began at or after
 * {@code since}, and those that began before it and were still open at {@code since}, either unresolved (no resolution
 * time and not marked resolved) or resolved after it (start plus resolution time later than {@code since}).
 *
 * <p>Rows are read as {@link JdbcHistory} reads them: a row without a failure type is skipped, one without a server
 * instance (written before V2) is read as the instance named like its server type, a missing task context or details
 * gets a placeholder, a missing recovery action is {@code none}. A row that is not a domain value otherwise (an unknown
 * code, a malformed timestamp) makes the read fail with a message naming the row.
 */
public final class JdbcFailureHistory implements FailureHistoryPort {
    /** The columns {@link #failure} reads, in its order. */
    static final String COLUMNS = "id, server_type, server_instance, failure_type, task_context, error_details,"
            + " recovery_action, COALESCE(resolution_time_ms, resolution_time_seconds * 1000), occurred_at,"
            + " orchestrator_recovery_task_id";
    private final String failures;
    private static final String NEWEST = " ORDER BY occurred_at DESC NULLS LAST, id DESC LIMIT ?";

    private final Transactions tx;

    public JdbcFailureHistory(Database db) {
        this.tx = new Transactions(db);
        this.failures = "SELECT " + COLUMNS
                + " FROM integration_failures WHERE failure_type IS NOT NULL AND (occurred_at >= ?"
                + " OR (resolution_time_seconds IS NULL AND NOT COALESCE(resolved, FALSE))"
                + " OR " + tx.dialect.plusSeconds("occurred_at", "resolution_time_seconds") + " > ?)";
    }

    @Override
    public List<Failure> failures(Instant since, Set<ServerType> types, int limit) {
        Objects.requireNonNull(since, "since");
        List<String> codes = types.stream().map(ServerType::value).sorted().toList();
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        String sql = failures + (codes.isEmpty() ? ""
                : " AND server_type IN (" + String.join(", ", Collections.nCopies(codes.size(), "?")) + ")") + NEWEST;
        String what = "read failures from";
        return tx.connected(what, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                tx.dialect.bound(ps, i++, since);
                tx.dialect.time(ps, i++, since);
                for (String code : codes) {
                    ps.setString(i++, code);
                }
                ps.setInt(i, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    return UnreadableRow.readAll(rs, "integration_failures", r -> "id " + r.getLong(1),
                            JdbcFailureHistory::failure);
                }
            }
        });
    }

    /** The failure of a row read with {@link #COLUMNS}. */
    static Failure failure(ResultSet rs) throws java.sql.SQLException {
        String type = rs.getString(2);
        String instance = rs.getString(3);
        long millis = rs.getLong(8);
        Optional<Duration> resolution = rs.wasNull() ? Optional.empty() : Optional.of(Duration.ofMillis(millis));
        String action = rs.getString(7);
        return new Failure(ServerType.of(type), ServerId.of(instance == null ? type : instance),
                FailureType.fromCode(rs.getString(4)), orElse(rs.getString(5), "unknown"),
                orElse(rs.getString(6), "no details recorded"),
                action == null ? RecoveryAction.NONE : RecoveryAction.fromCode(action), resolution,
                SqlTime.read(rs, 9), Optional.ofNullable(rs.getString(10)));
    }

    private static String orElse(String text, String otherwise) {
        return text == null || text.isBlank() ? otherwise : text;
    }
}
