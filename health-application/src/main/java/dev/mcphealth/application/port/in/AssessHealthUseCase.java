package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.model.CheckDepth;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ProbeReport;
import dev.mcphealth.domain.model.RecoveryAction;
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
 * is never told to the monitor (it keeps its own schedule and windows). It is recorded only when the check runs as a
 * task of the orchestrator ({@link Query#link}): then each fresh probe is stored as metric rows (availability, and
 * response time when it answered) carrying the run's session and task ids; without a link nothing is stored. With
 * {@code autoRecover}, an instance the probe
 * finds down in a way a restart or reconnect can fix gets one recovery attempt now, unless automatic recovery already
 * has it down in an open episode: then no attempt is made (its attempts keep their backoff, so a caller polling the
 * health of a crash-looping server does not restart it at its polling rate) and the entry says when recovery's next
 * attempt is due and whether its attempts are exhausted. An instance whose check itself failed inside MCP Health (the
 * probe threw) is reported with a failed probe of type {@code server_error} saying so; the others are still reported.
 */
@FunctionalInterface
public interface AssessHealthUseCase {

    /** @throws UnknownServerTypeException if a named type is not configured */
    Assessment assess(Query query);

    /**
     * {@code types} empty means every configured server. {@code link}: the orchestrator session and task the check
     * runs as ({@link RunAsTaskUseCase}); with one, the fresh probes are recorded with its ids, and the failure episode
     * an attempt of {@code autoRecover} handles is linked to its task.
     */
    record Query(Set<ServerType> types, CheckDepth depth, boolean autoRecover,
                 Optional<RunAsTaskUseCase.Context> link) {
        public Query {
            types = Set.copyOf(Objects.requireNonNull(types, "types"));
            Objects.requireNonNull(depth, "depth");
            Objects.requireNonNull(link, "link");
        }

        /** A check not linked to an orchestrator task: nothing is recorded. */
        public Query(Set<ServerType> types, CheckDepth depth, boolean autoRecover) {
            this(types, depth, autoRecover, Optional.empty());
        }
    }

    /**
     * One instance: the status the fresh probe shows, the probe, the monitor's snapshot, and, with {@code autoRecover}
     * when the probe failed in a way recovery can fix, either the attempt this check made ({@code recovery}) or the
     * open episode it left the instance to ({@code underWay}), never both.
     */
    record Entry(MonitoredServer server, HealthStatus status, ProbeReport probe, Optional<StatusSnapshot> live,
                 Optional<RecoveryAttempt> recovery, Optional<RecoveryUnderWay> underWay) {
        public Entry {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(probe, "probe");
            Objects.requireNonNull(live, "live");
            Objects.requireNonNull(recovery, "recovery");
            Objects.requireNonNull(underWay, "underWay");
            if (recovery.isPresent() && underWay.isPresent()) {
                throw new IllegalArgumentException("either an attempt of this check or recovery's episode, not both");
            }
        }
    }

    /**
     * One recovery attempt made because of this check: restart or reconnect, whether the server answered after it
     * ({@code succeeded} is false, with {@code detail} saying so, when an attempt of the server was already running
     * and none was made now).
     */
    record RecoveryAttempt(RecoveryAction action, boolean succeeded, String detail) {
        public RecoveryAttempt {
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /**
     * Automatic recovery already has the instance down in an open episode, so this check made no attempt of its own:
     * what recovery does, the attempts it made in the episode, when the next is due (it may be past when it is about
     * to run), whether they are exhausted (retried slowly from then on), and whether one is running now.
     */
    record RecoveryUnderWay(RecoveryAction action, int attempts, Instant nextAttemptAt, boolean exhausted,
                            boolean attempting) {
        public RecoveryUnderWay {
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
            if (attempts < 0) {
                throw new IllegalArgumentException("attempts cannot be negative: " + attempts);
            }
        }
    }

    /**
     * Entries in server-name order. {@code storageProblem} says why a linked check's probes could not be recorded, if
     * they could not; the health seen is valid either way.
     */
    record Assessment(Instant checkedAt, CheckDepth depth, List<Entry> servers, Optional<String> storageProblem) {
        public Assessment {
            Objects.requireNonNull(checkedAt, "checkedAt");
            Objects.requireNonNull(depth, "depth");
            servers = List.copyOf(servers);
            Objects.requireNonNull(storageProblem, "storageProblem");
        }

        /** An assessment that recorded nothing, or recorded all it had to. */
        public Assessment(Instant checkedAt, CheckDepth depth, List<Entry> servers) {
            this(checkedAt, depth, servers, Optional.empty());
        }

        public HealthStatus overall() {
            return HealthStatus.worstOf(servers.stream().map(Entry::status).toList());
        }
    }
}
