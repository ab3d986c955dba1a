package dev.mcphealth.application.port.out;

import dev.mcphealth.domain.history.RetentionReport;
import java.time.Instant;

/**
 * Keeps stored history bounded: roll raw rows up by the hour, then delete what is past its retention, the
 * orchestrator's history (its outbox and integration log) with the raw rows.
 */
@FunctionalInterface
public interface RetentionPort {
    /**
     * Rolls up every complete hour before {@code rollUpBefore} not yet rolled up (p50/p95/p99, min, max, mean and count
     * per server and metric), then deletes raw metric rows measured before {@code rawBefore} and roll-ups of hours
     * before {@code rollupsBefore}. Raw rows are never deleted before their hour is rolled up.
     *
     * <p>With the same cut-off, {@code rawBefore}, it deletes the orchestrator outbox entries settled before it and the
     * orchestrator integration log entries validated before it. An outbox entry that is not settled (pending or
     * sending) is never deleted, however old, and neither is a settled one that an entry kept takes its task id from.
     *
     * @throws StorageUnavailableException if the store cannot be changed now
     */
    RetentionReport prune(Instant rollUpBefore, Instant rawBefore, Instant rollupsBefore);
}
