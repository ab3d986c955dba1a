package dev.mcphealth.application.port.in;

/**
 * Puts the task id a deferred plan obtained on the rows its run stamped while the plan waited in the outbox (metric
 * rows, the failures it handled, the failover configurations it acted on), or clears their stand-in when the plan
 * obtained none. Run after each delivery of the outbox, so that rows written late are linked too.
 */
@FunctionalInterface
public interface RelinkDeferredTasksUseCase {

    /** @return how many rows changed */
    long relink();
}
