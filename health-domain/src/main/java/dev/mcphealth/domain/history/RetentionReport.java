package dev.mcphealth.domain.history;

/**
 * What one pruning did: hours rolled up, raw metric rows deleted, roll-up rows deleted, settled orchestrator outbox
 * entries deleted, orchestrator integration log rows deleted, tool usage rows deleted and usage anomalies deleted.
 */
public record RetentionReport(long hoursRolledUp, long rawRowsDeleted, long rollupRowsDeleted,
                              long outboxEntriesDeleted, long integrationRowsDeleted, long toolUsageRowsDeleted,
                              long anomaliesDeleted) {
    public RetentionReport {
        if (hoursRolledUp < 0 || rawRowsDeleted < 0 || rollupRowsDeleted < 0 || outboxEntriesDeleted < 0
                || integrationRowsDeleted < 0 || toolUsageRowsDeleted < 0 || anomaliesDeleted < 0) {
            throw new IllegalArgumentException("counts cannot be negative");
        }
    }

    /** A pruning that deleted no usage anomalies. */
    public RetentionReport(long hoursRolledUp, long rawRowsDeleted, long rollupRowsDeleted, long outboxEntriesDeleted,
                           long integrationRowsDeleted, long toolUsageRowsDeleted) {
        this(hoursRolledUp, rawRowsDeleted, rollupRowsDeleted, outboxEntriesDeleted, integrationRowsDeleted,
                toolUsageRowsDeleted, 0);
    }

    /** A pruning that deleted no tool usage rows. */
    public RetentionReport(long hoursRolledUp, long rawRowsDeleted, long rollupRowsDeleted, long outboxEntriesDeleted,
                           long integrationRowsDeleted) {
        this(hoursRolledUp, rawRowsDeleted, rollupRowsDeleted, outboxEntriesDeleted, integrationRowsDeleted, 0, 0);
    }
}
