package dev.mcphealth.infrastructure.persistence;

import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort;
import dev.mcphealth.application.port.out.OrchestratorTool;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * orchestrator_health_integration on SQLite (the design's table, V1; its index V6): one row per entry, the results as
 * a JSON object in validation_results, the validation time as SqlTime text. created_at is SQLite's own default. Rows
 * past the raw retention are deleted by {@link JdbcRetention}.
 */
public final class JdbcOrchestratorIntegrationLog implements OrchestratorIntegrationLogPort {
    private static final String INSERT = "INSERT INTO orchestrator_health_integration (integration_type,"
            + " orchestrator_tool, integration_status, last_validation, validation_results) VALUES (?, ?, ?, ?, ?)";
    /** The read of {@link #recent}: by type, newest first, through idx_integration_type_time (V6). */
    static final String RECENT = "SELECT id, integration_type, orchestrator_tool, integration_status,"
            + " last_validation, validation_results FROM orchestrator_health_integration WHERE integration_type = ?"
            + " ORDER BY last_validation DESC NULLS LAST, id DESC LIMIT ?";
    private static final String READ = "read the orchestrator integration log from";
    private static final String WRITE = "write the orchestrator integration log to";

    private final Transactions tx;

    public JdbcOrchestratorIntegrationLog(Database db) {
        this.tx = new Transactions(db);
    }

    @Override
    public void record(Entry entry) {
        String results = OutboxJson.write(entry.results());
        tx.transaction(WRITE, c -> {
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                ps.setString(1, entry.type().code());
                ps.setString(2, entry.tool().code());
                ps.setString(3, entry.status().code());
                tx.dialect.time(ps, 4, entry.validatedAt());
                ps.setString(5, results);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<Entry> recent(IntegrationType type, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        return tx.connected(READ, c -> {
            List<Entry> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(RECENT)) {
                ps.setString(1, type.code());
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        try {
                            String results = rs.getString(6);
                            out.add(new Entry(IntegrationType.fromCode(rs.getString(2)),
                                    OrchestratorTool.fromCode(rs.getString(3)),
                                    IntegrationStatus.fromCode(rs.getString(4)), SqlTime.read(rs, 5),
                                    results == null ? Map.of() : OutboxJson.read(results)));
                        } catch (RuntimeException e) {
                            throw tx.unavailable(READ, "integration row " + rs.getLong(1) + " cannot be read ("
                                    + e.getMessage() + ")", e);
                        }
                    }
                }
            }
            return out;
        });
    }
}
