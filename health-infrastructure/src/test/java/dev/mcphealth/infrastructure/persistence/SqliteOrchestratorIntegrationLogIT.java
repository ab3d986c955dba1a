package dev.mcphealth.infrastructure.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.out.OrchestratorIntegrationLogContract;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort.Entry;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort.IntegrationStatus;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort.IntegrationType;
import dev.mcphealth.application.port.out.OrchestratorTool;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The integration log contract on a real SQLite file; the design's columns for SQL readers, its index, bad rows. */
class SqliteOrchestratorIntegrationLogIT extends OrchestratorIntegrationLogContract {
    @RegisterExtension
    final TempDatabase database = new TempDatabase();

    @Override
    protected OrchestratorIntegrationLogPort log() {
        return new JdbcOrchestratorIntegrationLog(database.db());
    }

    @Test
    void theDesignsColumnsHoldTheEntry() throws Exception {
        log().record(new Entry(IntegrationType.RECOVERY_TESTING, OrchestratorTool.RESTART_SERVER,
                IntegrationStatus.ACTIVE, T0, results()));

        assertEquals("recovery_testing|orchestrator_restart_server|active|2026-11-23 10:00:00.125",
                Sql.single(database.db(), "SELECT integration_type || '|' || orchestrator_tool || '|'"
                        + " || integration_status || '|' || last_validation FROM orchestrator_health_integration"));
        assertEquals("Server already in maintenance mode", Sql.single(database.db(), "SELECT json_extract("
                + "validation_results, '$.steps[0].answer.checks.reboot_readiness.issues[0]')"
                + " FROM orchestrator_health_integration"));
        assertEquals("1", Sql.single(database.db(), "SELECT created_at IS NOT NULL FROM"
                + " orchestrator_health_integration"));
    }

    @Test
    void theLatestOfOneTypeAreReadThroughTheirIndexWithoutASort() throws Exception {
        StringBuilder plan = new StringBuilder();
        try (Connection c = database.db().dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("EXPLAIN QUERY PLAN " + JdbcOrchestratorIntegrationLog.RECENT
                     .replaceFirst("\\?", "'self_monitoring'").replaceFirst("\\?", "10"))) {
            while (rs.next()) {
                plan.append(rs.getString("detail")).append(" / ");
            }
        }
        assertTrue(plan.toString().contains("idx_integration_type_time"), plan.toString());
        assertFalse(plan.toString().contains("TEMP B-TREE"), plan.toString());
    }

    @Test
    void aRowThatCannotBeReadIsUnavailableWithItsId() throws SQLException {
        Sql.execute(database.db(), "INSERT INTO orchestrator_health_integration (integration_type, orchestrator_tool,"
                + " integration_status, last_validation, validation_results) VALUES ('self_monitoring',"
                + " 'orchestrator_dance', 'active', '2026-11-23 10:00:00', '{}')");

        StorageUnavailableException e = assertThrows(StorageUnavailableException.class,
                () -> log().recent(IntegrationType.SELF_MONITORING, 5));

        assertTrue(e.getMessage().startsWith("cannot read the orchestrator integration log from " + database.file()
                + ": integration row 1 cannot be read (orchestrator tool must be one of"), e.getMessage());
    }

    @Test
    void aDatabaseLockedByAnotherProcessIsUnavailable() throws Exception {
        try (AutoCloseable lock = Sql.lockExclusively(database.file())) {
            StorageUnavailableException e = assertThrows(StorageUnavailableException.class,
                    () -> new JdbcOrchestratorIntegrationLog(database.impatient()).record(entry(
                            IntegrationType.SELF_MONITORING, IntegrationStatus.ACTIVE, T0)));
            assertEquals("cannot write the orchestrator integration log to " + database.file()
                    + ": database is locked", e.getMessage());
        }
    }
}
