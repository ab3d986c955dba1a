package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.model.BreakerState;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.RecoveryAction;
import dev.mcphealth.domain.recovery.RecoveryEpisode;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The automatic recovery system as it stands (automated_recovery_system's {@code status} and {@code restart_status}):
 * per instance its status, breaker, open recovery episode, and the restarts or reconnects made since the monitor
 * started with their outcomes.
 */
@FunctionalInterface
public interface ReadRecoveryStatusUseCase {

    /** Every instance in name order, or the one named. @throws UnknownServerException if it is not monitored */
    List<RecoveryState> read(Optional<ServerId> server);

    /**
     * Attempts made since the monitor started (by the scheduler, by hand or by a tool), how many brought the server
     * back, the last one, and the mean time from failure to recovery over the episodes that ended.
     */
    record Attempts(int made, int succeeded, int failed, Optional<Instant> lastAt, Optional<Boolean> lastSucceeded,
                    int episodesRecovered, Optional<Duration> mttr) {
        public Attempts {
            if (made < 0 || succeeded < 0 || failed < 0 || succeeded + failed > made || episodesRecovered < 0) {
                throw new IllegalArgumentException("inconsistent counts");
            }
            Objects.requireNonNull(lastAt, "lastAt");
            Objects.requireNonNull(lastSucceeded, "lastSucceeded");
            Objects.requireNonNull(mttr, "mttr");
        }

        public static final Attempts NONE = new Attempts(0, 0, 0, Optional.empty(), Optional.empty(), 0,
                Optional.empty());
    }

    /** {@code action} is what recovery does for this instance (restart for stdio, reconnect otherwise). */
    record RecoveryState(ServerId server, ServerType type, RecoveryAction action, Optional<HealthStatus> status,
                         BreakerState breaker, Optional<RecoveryEpisode> episode, boolean attempting,
                         Attempts attempts) {
        public RecoveryState {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(breaker, "breaker");
            Objects.requireNonNull(episode, "episode");
            Objects.requireNonNull(attempts, "attempts");
        }
    }
}
