package dev.mcphealth.application.port.in;

import java.util.List;
import java.util.Objects;

/**
 * Make the monitor safe to stop (automated_recovery_system's {@code prepare_shutdown}): write everything buffered to
 * the store now and say what would still be lost or interrupted. It does not stop anything.
 */
@FunctionalInterface
public interface PrepareShutdownUseCase {

    Readiness prepare();

    /**
     * {@code ready} when nothing is left unwritten and no recovery is running; {@code blockers} says what stands in the
     * way otherwise, one line each.
     */
    record Readiness(boolean ready, FlushReport flush, int recoveriesRunning, List<String> blockers) {
        public Readiness {
            Objects.requireNonNull(flush, "flush");
            if (recoveriesRunning < 0) {
                throw new IllegalArgumentException("recoveriesRunning cannot be negative");
            }
            blockers = List.copyOf(blockers);
            if (ready != blockers.isEmpty()) {
                throw new IllegalArgumentException("ready exactly when there are no blockers");
            }
        }
    }
}
