package dev.mcphealth.domain.model;

/** What one pruning did: hours rolled up, raw metric rows deleted, roll-up rows deleted. */
public record RetentionReport(long hoursRolledUp, long rawRowsDeleted, long rollupRowsDeleted) {
    public RetentionReport {
        if (hoursRolledUp < 0 || rawRowsDeleted < 0 || rollupRowsDeleted < 0) {
            throw new IllegalArgumentException("counts cannot be negative");
        }
    }
}
