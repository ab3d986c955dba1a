package dev.mcphealth.domain.history;

import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.RecoveryAction;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Failure episodes over a period, grouped by failure type with their mean time to recovery, and the instances that
 * failed most. Built by {@code dev.mcphealth.domain.history.FailureAnalyzer} from recorded {@link Failure}s.
 *
 * @param episodes all episodes in the period (that were read: see {@code truncated})
 * @param open episodes not resolved yet
 * @param byType one group per failure type seen, most episodes first
 * @param instances one row per instance that failed, most episodes first
 * @param truncated the history held more episodes of the period than one analysis reads: only the newest were
 *                  analysed, so every count and downtime is a lower bound and the oldest episodes are missing
 */
public record FailureAnalysis(Instant since, Instant until, int episodes, int open, List<TypeGroup> byType,
                              List<InstanceFailures> instances, boolean truncated) {

    public FailureAnalysis {
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(until, "until");
        if (episodes < 0 || open < 0 || open > episodes) {
            throw new IllegalArgumentException("inconsistent counts: " + open + " open of " + episodes);
        }
        byType = List.copyOf(byType);
        instances = List.copyOf(instances);
    }

    /** An analysis of every episode of the period (none was left out). */
    public FailureAnalysis(Instant since, Instant until, int episodes, int open, List<TypeGroup> byType,
                           List<InstanceFailures> instances) {
        this(since, until, episodes, open, byType, instances, false);
    }

    /** Mean time to recovery over every resolved episode; empty when none resolved. */
    public Optional<Duration> mttr() {
        long resolved = byType.stream().mapToLong(TypeGroup::resolved).sum();
        if (resolved == 0) {
            return Optional.empty();
        }
        long nanos = byType.stream().filter(g -> g.mttr().isPresent())
                .mapToLong(g -> g.mttr().get().toNanos() * g.resolved()).sum();
        return Optional.of(Duration.ofNanos(nanos / resolved));
    }

    /**
     * One failure type: episodes, how many resolved, mean and worst resolution time of the resolved ones, what recovery
     * did ({@link RecoveryAction} to count), and when the last one began.
     */
    public record TypeGroup(FailureType type, int episodes, int resolved, Optional<Duration> mttr,
                            Optional<Duration> worst, Map<RecoveryAction, Integer> actions, Instant lastAt) {
        public TypeGroup {
            Objects.requireNonNull(type, "type");
            if (episodes < 1 || resolved < 0 || resolved > episodes) {
                throw new IllegalArgumentException("inconsistent counts: " + resolved + " resolved of " + episodes);
            }
            Objects.requireNonNull(mttr, "mttr");
            Objects.requireNonNull(worst, "worst");
            actions = Map.copyOf(actions);
            Objects.requireNonNull(lastAt, "lastAt");
        }
    }

    /**
     * One instance: its episodes, how many are open, and its downtime, the time it spent failed within the period: a
     * resolved episode counts from its start to its resolution, an open one from its start to the period's end
     * ({@code until}), each clipped to the period (and overlapping episodes each count in full).
     */
    public record InstanceFailures(ServerId server, ServerType type, int episodes, int open, Duration downtime) {
        public InstanceFailures {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(downtime, "downtime");
        }
    }
}
