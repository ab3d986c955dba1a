package dev.mcphealth.domain.history;

import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.RecoveryAction;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Groups failure episodes of a period into a {@link FailureAnalysis}. Pure: the caller passes the episodes and the
 * period.
 *
 * <p>An episode belongs to the period {@code [since, until]} when it began at or before {@code until} and either began
 * at or after {@code since} or was still open at {@code since} (unresolved, or resolved after it), the same episodes
 * {@code FailureHistoryPort} reads; others are ignored.
 *
 * <ul>
 *   <li>By failure type, most episodes first, ties by the type's code: episodes, resolved, MTTR (the mean resolution
 *       time of the resolved ones), worst (their longest), how often each {@link RecoveryAction} was taken (only the
 *       actions seen), and when the latest one began.</li>
 *   <li>By instance, most episodes first, ties by name: episodes, open ones, and downtime, the time failed within
 *       the period: a resolved episode until its resolution, an open one until {@code until} (an outage going on is
 *       down now), each clipped to the period (an episode begun before {@code since} counts from {@code since}). Its
 *       type is the one its latest episode was recorded under.</li>
 * </ul>
 */
public final class FailureAnalyzer {

    private FailureAnalyzer() {
    }

    public static FailureAnalysis analyze(List<Failure> failures, Instant since, Instant until) {
        return analyze(failures, since, until, false);
    }

    /**
     * As {@link #analyze(List, Instant, Instant)}, saying whether {@code failures} are only part of the period's
     * episodes (the newest, read up to a limit).
     */
    public static FailureAnalysis analyze(List<Failure> failures, Instant since, Instant until, boolean truncated) {
        Objects.requireNonNull(failures, "failures");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(until, "until");
        if (until.isBefore(since)) {
            throw new IllegalArgumentException("the period ends (" + until + ") before it begins (" + since + ")");
        }
        List<Failure> in = failures.stream().filter(f -> inPeriod(f, since, until)).toList();

        Map<FailureType, List<Failure>> byType = new EnumMap<>(FailureType.class);
        Map<ServerId, List<Failure>> byInstance = new LinkedHashMap<>();
        for (Failure f : in) {
            byType.computeIfAbsent(f.type(), t -> new ArrayList<>()).add(f);
            byInstance.computeIfAbsent(f.serverInstance(), s -> new ArrayList<>()).add(f);
        }

        List<FailureAnalysis.TypeGroup> groups = new ArrayList<>();
        byType.forEach((type, episodes) -> groups.add(group(type, episodes)));
        groups.sort(Comparator.comparingInt(FailureAnalysis.TypeGroup::episodes).reversed()
                .thenComparing(g -> g.type().code()));

        List<FailureAnalysis.InstanceFailures> instances = new ArrayList<>();
        byInstance.forEach((server, episodes) -> instances.add(instance(server, episodes, since, until)));
        instances.sort(Comparator.comparingInt(FailureAnalysis.InstanceFailures::episodes).reversed()
                .thenComparing(FailureAnalysis.InstanceFailures::server));

        int open = (int) in.stream().filter(f -> !f.resolved()).count();
        return new FailureAnalysis(since, until, in.size(), open, groups, instances, truncated);
    }

    static boolean inPeriod(Failure f, Instant since, Instant until) {
        if (f.occurredAt().isAfter(until)) {
            return false;
        }
        if (!f.occurredAt().isBefore(since)) {
            return true;
        }
        return f.resolutionTime().map(d -> f.occurredAt().plus(d).isAfter(since)).orElse(true);
    }

    private static FailureAnalysis.TypeGroup group(FailureType type, List<Failure> episodes) {
        List<Duration> times = episodes.stream().flatMap(f -> f.resolutionTime().stream()).toList();
        Optional<Duration> mttr = times.isEmpty() ? Optional.empty()
                : Optional.of(Duration.ofNanos(times.stream().mapToLong(Duration::toNanos).sum() / times.size()));
        Optional<Duration> worst = times.stream().max(Comparator.naturalOrder());
        Map<RecoveryAction, Integer> actions = new EnumMap<>(RecoveryAction.class);
        for (Failure f : episodes) {
            actions.merge(f.recoveryAction(), 1, Integer::sum);
        }
        Instant lastAt = episodes.stream().map(Failure::occurredAt).max(Comparator.naturalOrder()).orElseThrow();
        return new FailureAnalysis.TypeGroup(type, episodes.size(), times.size(), mttr, worst, actions, lastAt);
    }

    private static FailureAnalysis.InstanceFailures instance(ServerId server, List<Failure> episodes, Instant since,
                                                             Instant until) {
        ServerType type = episodes.stream().max(Comparator.comparing(Failure::occurredAt)).orElseThrow().serverType();
        int open = 0;
        Duration down = Duration.ZERO;
        for (Failure f : episodes) {
            if (f.resolutionTime().isEmpty()) {
                open++;
            }
            Instant from = f.occurredAt().isBefore(since) ? since : f.occurredAt();
            Instant end = f.resolutionTime().map(d -> f.occurredAt().plus(d)).orElse(until);
            Instant to = end.isAfter(until) ? until : end;
            if (to.isAfter(from)) {
                down = down.plus(Duration.between(from, to));
            }
        }
        return new FailureAnalysis.InstanceFailures(server, type, episodes.size(), open, down);
    }
}
