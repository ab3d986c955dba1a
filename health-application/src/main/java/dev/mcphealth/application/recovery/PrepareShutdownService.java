package dev.mcphealth.application.recovery;

import dev.mcphealth.application.port.in.FlushMonitoringUseCase;
import dev.mcphealth.application.port.in.FlushReport;
import dev.mcphealth.application.port.in.PrepareShutdownUseCase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Flushes the monitor now and says what a stop at this moment would still lose or interrupt: rows the flush could not
 * write (with why), and recovery attempts running (a restart cut short leaves a server down), with when the next
 * attempt is due. It pauses and stops nothing, so the answer holds only for the moment it was read: a recovery attempt
 * can start right after it.
 */
public final class PrepareShutdownService implements PrepareShutdownUseCase {
    private final FlushMonitoringUseCase monitor;
    private final RecoveryProgress recovery;

    public PrepareShutdownService(FlushMonitoringUseCase monitor, RecoveryProgress recovery) {
        this.monitor = Objects.requireNonNull(monitor);
        this.recovery = Objects.requireNonNull(recovery);
    }

    @Override
    public Readiness prepare() {
        FlushReport flush = monitor.flush();
        int running = recovery.attemptsRunning();
        Optional<Instant> next = recovery.nextDue();
        List<String> blockers = new ArrayList<>();
        if (flush.pending() > 0) {
            blockers.add(flush.pending() + (flush.pending() == 1 ? " row" : " rows") + " still buffered"
                    + flush.storageProblem().map(p -> ": " + p).orElse(" (written by the next flush)"));
        }
        if (running > 0) {
            blockers.add(running + (running == 1 ? " recovery attempt is" : " recovery attempts are")
                    + " running now: a stop cuts " + (running == 1 ? "it" : "them") + " short");
        }
        return new Readiness(blockers.isEmpty(), flush, running, next, blockers);
    }
}
