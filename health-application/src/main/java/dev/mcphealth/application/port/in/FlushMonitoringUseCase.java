package dev.mcphealth.application.port.in;

/**
 * Write what waits in the monitor's buffer (metric rows, failures, alerts, status snapshots) to the store, off the probe
 * path. When the store is unavailable nothing is lost: rows stay buffered, up to the buffer's bound, and are written
 * by a later flush; rows dropped past the bound are counted.
 */
@FunctionalInterface
public interface FlushMonitoringUseCase {
    /** Writes everything that waits. */
    FlushReport flush();

    /**
     * The periodic flush: writes what is due, where many metric rows may wait a few seconds more to be written in
     * fewer, cheaper transactions (they are written by {@link #flush()} and at the stop all the same). By default,
     * everything.
     */
    default FlushReport flushDue() {
        return flush();
    }
}
