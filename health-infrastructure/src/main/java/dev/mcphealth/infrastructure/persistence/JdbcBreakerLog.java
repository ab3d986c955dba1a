package dev.mcphealth.infrastructure.persistence;

import dev.mcphealth.application.port.out.BreakerLogPort;
import dev.mcphealth.domain.model.MonitorEvent;
import java.util.List;

/** circuit_breaker_transitions on SQLite: one row per change, a batch in one transaction. */
public final class JdbcBreakerLog implements BreakerLogPort {
    private static final String INSERT = "INSERT INTO circuit_breaker_transitions (server_instance, from_state,"
            + " to_state, reason, occurred_at) VALUES (?, ?, ?, ?, ?)";

    private final Transactions tx;

    public JdbcBreakerLog(Database db) {
        this.tx = new Transactions(db);
    }

    @Override
    public void record(List<MonitorEvent.BreakerChanged> changes) {
        tx.fencedBatch("write breaker transitions", INSERT, changes, c -> c.server().value(), (ps, c) -> {
            ps.setString(1, c.server().value());
            ps.setString(2, c.from().code());
            ps.setString(3, c.to().code());
            tx.dialect.text(ps, 4, c.reason());
            tx.dialect.time(ps, 5, c.at());
        });
    }
}
