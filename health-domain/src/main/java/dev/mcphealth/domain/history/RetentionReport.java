package dev.mcphealth.domain.history;

/**
 * What one pruning did: hours rolled up, raw metric rows deleted, roll-up rows deleted, settled orchestrator outbox
 * entries deleted and orchestrator integration log rows deleted.
 */
public record RetentionReport(long hoursRolledUp, long rawRowsDeleted, long rollupRowsDeleted,
                              long outboxEntriesDeleted, long integrationRowsDeleted) {
    public RetentionReport {
        if (hoursRolledUp < 0 || rawRowsDeleted < 0 || rollupRowsDeleted < 0 || outboxEntriesDeleted < 0
                || integrationRowsDeleted < 0) {
            throw new IllegalArgumentException("counts cannot be negative");
        }
    }
}
