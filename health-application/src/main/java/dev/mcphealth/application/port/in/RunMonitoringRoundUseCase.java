package dev.mcphealth.application.port.in;

/**
 * One round of monitoring, now by the injected clock: probe every server whose interval has come round, update its
 * status, alerts and predictions, and flush what waits to be written. Synchronous, so a test drives hours of
 * monitoring with a test clock; the scheduler adapter instead probes each server on its own with
 * {@link RunScheduledProbeUseCase}.
 */
@FunctionalInterface
public interface RunMonitoringRoundUseCase {
    MonitoringRound run();
}
