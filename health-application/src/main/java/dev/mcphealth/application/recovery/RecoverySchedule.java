package dev.mcphealth.application.recovery;

import dev.mcphealth.application.catalog.StandbyInstances;
import dev.mcphealth.domain.recovery.RecoveryEpisode;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/** What the recovery loop reads of the entries to know when to wake: each entry read under its own lock. */
final class RecoverySchedule {
    private RecoverySchedule() {
    }

    /** How many attempts are running now. */
    static int attemptsRunning(Collection<RecoveryEntry> entries) {
        int running = 0;
        for (RecoveryEntry e : entries) {
            synchronized (e) {
                if (e.attempting()) {
                    running++;
                }
            }
        }
        return running;
    }

    /**
     * When the next attempt is due: the earliest of the episodes down and not under way, a cold standby instance's
     * left out (no attempt is made on one, so waking for it would spin).
     */
    static Optional<Instant> nextDue(Collection<RecoveryEntry> entries, StandbyInstances standby) {
        Optional<Instant> next = Optional.empty();
        for (RecoveryEntry e : entries) {
            synchronized (e) {
                if (!e.attempting() && e.episode instanceof RecoveryEpisode.Down d && standby.probed(e.server.id())
                        && next.filter(n -> !d.nextAttemptAt().isBefore(n)).isEmpty()) {
                    next = Optional.of(d.nextAttemptAt());
                }
            }
        }
        return next;
    }
}
