package dev.mcphealth.infrastructure.persistence;

import dev.mcphealth.application.port.out.ToolUsageStorePort;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.routing.ToolUsage;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/** tool_usage on SQLite (V11, mean_ms V13): one row per tool and window with calls, a batch in one transaction. */
public final class JdbcToolUsageStore implements ToolUsageStorePort {
    private static final String INSERT = "INSERT INTO tool_usage (server_type, tool_name, window_start, window_ms,"
            + " calls, failures, p50_ms, p95_ms, p99_ms, mean_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String READ = "SELECT id, server_type, tool_name, window_start, window_ms, calls, failures,"
            + " p50_ms, p95_ms, p99_ms, mean_ms FROM tool_usage WHERE window_start >= ? AND window_start < ?"
            + " ORDER BY window_start, id";

    private final Transactions tx;

    public JdbcToolUsageStore(Database db) {
        this.tx = new Transactions(db);
    }

    @Override
    public void save(List<ToolUsage> rows) {
        tx.batch("write tool usage", INSERT, rows, (ps, u) -> {
            ps.setString(1, u.serverType().value());
            tx.dialect.text(ps, 2, u.tool());
            tx.dialect.time(ps, 3, u.from());
            ps.setLong(4, Math.max(1, u.window().toMillis()));
            ps.setLong(5, u.calls());
            ps.setLong(6, u.failures());
            quantile(ps, 7, u.p50Ms());
            quantile(ps, 8, u.p95Ms());
            quantile(ps, 9, u.p99Ms());
            quantile(ps, 10, u.meanMs());
        });
    }

    @Override
    public List<ToolUsage> read(Instant from, Instant until) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(until, "until");
        return tx.connected("read tool usage from", c -> {
            try (PreparedStatement ps = c.prepareStatement(READ)) {
                tx.dialect.bound(ps, 1, from);
                tx.dialect.bound(ps, 2, until);
                try (ResultSet rs = ps.executeQuery()) {
                    return UnreadableRow.readAll(rs, "tool_usage", r -> "id " + r.getLong(1), r -> new ToolUsage(
                            ServerType.of(r.getString(2)), r.getString(3), SqlTime.read(r, 4),
                            Duration.ofMillis(r.getLong(5)), r.getLong(6), r.getLong(7), quantile(r, 8),
                            quantile(r, 9), quantile(r, 10), quantile(r, 11)));
                }
            }
        });
    }

    private static void quantile(PreparedStatement ps, int i, OptionalDouble ms) throws SQLException {
        if (ms.isPresent()) {
            ps.setDouble(i, ms.getAsDouble());
        } else {
            ps.setNull(i, Types.REAL);
        }
    }

    private static OptionalDouble quantile(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? OptionalDouble.empty() : OptionalDouble.of(v);
    }
}
