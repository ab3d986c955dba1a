package dev.mcphealth.application.service;

import dev.mcphealth.application.port.in.FlushMonitoringUseCase;
import dev.mcphealth.application.port.in.FlushReport;
import dev.mcphealth.application.port.in.PrepareShutdownUseCase;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Flushes the monitor now and says what a stop would still lose or interrupt: rows the flush could not write (with
 * why), and recovery attempts running (a restart cut short leaves a server down). It stops nothing.
 */
public final class PrepareShutdownService implements PrepareShutdownUseCase {
    private final FlushMonitoringUseCase monitor;
    private final RecoveryService recovery;

    public PrepareShutdownService(FlushMonitoringUseCase monitor, RecoveryService recovery) {
        this.monitor = Objects.requireNonNull(monitor);
        this.recovery = Objects.requireNonNull(recovery);
    }

    @Override
    public Readiness prepare() {
        FlushReport flush = monitor.flush();
        int running = recovery.attemptsRunning();
        List<String> blockers = new ArrayList<>();
        if (flush.pending() > 0) {
            blockers.add(flush.pending() + (flush.pending() == 1 ? " row" : " rows") + " still buffered"
                    + flush.storageProblem().map(p -> ": " + p).orElse(" (written by the next flush)"));
        }
        if (running > 0) {
            blockers.add(running + (running == 1 ? " recovery" : " recoveries") + " running");
        }
        return new Readiness(blockers.isEmpty(), flush, running, blockers);
    }
}
