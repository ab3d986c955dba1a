package dev.mcphealth.application.port.in;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Before stopping the monitor (automated_recovery_system's {@code prepare_shutdown}): write everything buffered to the
 * store now and say what a stop at this moment would lose or interrupt. It pauses nothing and stops nothing: the
 * monitor keeps probing (and buffering rows) and recovery keeps its schedule, so a recovery attempt may start right
 * after the answer says ready, and a stop then cuts it short. {@code ready} is a reading of one moment; to shut down
 * safely, stop the monitor soon after, before {@code nextRecoveryAt} if there is one.
 */
@FunctionalInterface
public interface PrepareShutdownUseCase {

    Readiness prepare();

    /**
     * {@code ready} when, at the moment of the reading, nothing was left unwritten and no recovery attempt was running;
     * {@code blockers} says what stood in the way otherwise, one line each. {@code nextRecoveryAt} is when the next
     * recovery attempt is due, if one is scheduled (it may be past when one is about to run): nothing holds it back.
     */
    record Readiness(boolean ready, FlushReport flush, int recoveriesRunning, Optional<Instant> nextRecoveryAt,
                     List<String> blockers) {
        public Readiness {
            Objects.requireNonNull(flush, "flush");
            if (recoveriesRunning < 0) {
                throw new IllegalArgumentException("recoveriesRunning cannot be negative");
            }
            Objects.requireNonNull(nextRecoveryAt, "nextRecoveryAt");
            blockers = List.copyOf(blockers);
            if (ready != blockers.isEmpty()) {
                throw new IllegalArgumentException("ready exactly when there are no blockers");
            }
        }
    }
}
