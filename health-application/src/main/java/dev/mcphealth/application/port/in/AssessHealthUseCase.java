package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.model.CheckDepth;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ProbeReport;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.StatusSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A health check on demand while the monitor runs (the MCP tool's {@code health_check}): a fresh probe of every
 * instance of the selected types, on the monitor's shared sessions, beside what the monitor knows of it. The fresh probe
 * is not recorded (the monitor keeps its own schedule and windows). With {@code autoRecover}, an instance the probe
 * finds down gets one recovery attempt now (restart or reconnect), and the report says how it went.
 */
@FunctionalInterface
public interface AssessHealthUseCase {

    /** @throws UnknownServerTypeException if a named type is not configured */
    Assessment assess(Query query);

    /** {@code types} empty means every configured server. */
    record Query(Set<ServerType> types, CheckDepth depth, boolean autoRecover) {
        public Query {
            types = Set.copyOf(Objects.requireNonNull(types, "types"));
            Objects.requireNonNull(depth, "depth");
        }
    }

    /** One instance: the status the fresh probe shows, the probe, the monitor's snapshot, a recovery if one ran. */
    record Entry(MonitoredServer server, HealthStatus status, ProbeReport probe, Optional<StatusSnapshot> live,
                 Optional<RecoveryAttempt> recovery) {
        public Entry {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(probe, "probe");
            Objects.requireNonNull(live, "live");
            Objects.requireNonNull(recovery, "recovery");
        }
    }

    /** One recovery attempt made because of this check: restart or reconnect, whether the server answered after it. */
    record RecoveryAttempt(dev.mcphealth.domain.model.RecoveryAction action, boolean succeeded, String detail) {
        public RecoveryAttempt {
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** Entries in server-name order. */
    record Assessment(Instant checkedAt, CheckDepth depth, List<Entry> servers) {
        public Assessment {
            Objects.requireNonNull(checkedAt, "checkedAt");
            Objects.requireNonNull(depth, "depth");
            servers = List.copyOf(servers);
        }

        public HealthStatus overall() {
            return HealthStatus.worstOf(servers.stream().map(Entry::status).toList());
        }
    }
}
