package dev.mcphealth.application.port.out;

/**
 * The links to orchestrator tasks that were stamped while the task's plan waited in the outbox. Such a row carries a
 * stand-in for the task id ({@link #standIn}: {@code outbox:N}, N the plan's outbox entry) in
 * {@code orchestrator_task_id} (metric rows), {@code orchestrator_recovery_task_id} (failures) or
 * {@code orchestrator_failover_task_id} (failover configurations), until the plan is delivered.
 *
 * <p>Storage failures are {@link StorageUnavailableException}s.
 */
@FunctionalInterface
public interface TaskLinkPort {
    /** What every stand-in starts with. */
    String PREFIX = "outbox:";

    /** The stand-in for the task id that outbox entry {@code entry} (a plan_task) will obtain. */
    static String standIn(long entry) {
        if (entry < 1) {
            throw new IllegalArgumentException("an outbox entry id is positive, got " + entry);
        }
        return PREFIX + entry;
    }

    /**
     * Replaces each stand-in whose plan is no longer waiting: by the task id the plan obtained; when it obtained none
     * (refused, unconfirmed, skipped), by the parent task it named (a step's plan: the step then links to its run's
     * task), else by nothing (NULL), as when its entry is gone. Stand-ins of plans that still wait are left.
     *
     * @return how many rows changed
     */
    long resolveSettled();
}
