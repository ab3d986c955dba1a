package dev.mcphealth.domain.history;

/**
 * What one pruning did: hours rolled up, raw metric rows deleted, roll-up rows deleted, settled orchestrator outbox
 * entries deleted, orchestrator integration log rows deleted and tool usage rows deleted.
 */
public record RetentionReport(long hoursRolledUp, long rawRowsDeleted, long rollupRowsDeleted,
                              long outboxEntriesDeleted, long integrationRowsDeleted, long toolUsageRowsDeleted) {
    public RetentionReport {
        if (hoursRolledUp < 0 || rawRowsDeleted < 0 || rollupRowsDeleted < 0 || outboxEntriesDeleted < 0
                || integrationRowsDeleted < 0 || toolUsageRowsDeleted < 0) {
            throw new IllegalArgumentException("counts cannot be negative");
        }
    }

    /** A pruning that deleted no tool usage rows. */
    public RetentionReport(long hoursRolledUp, long rawRowsDeleted, long rollupRowsDeleted, long outboxEntriesDeleted,
                           long integrationRowsDeleted) {
        this(hoursRolledUp, rawRowsDeleted, rollupRowsDeleted, outboxEntriesDeleted, integrationRowsDeleted, 0);
    }
}
