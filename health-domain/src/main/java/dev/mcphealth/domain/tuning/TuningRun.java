package dev.mcphealth.domain.tuning;

import static dev.mcphealth.domain.tuning.TuningAdvisor.*;
import static dev.mcphealth.domain.tuning.TuningFigures.*;

import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.tuning.TuningAdvice.Level;
import dev.mcphealth.domain.tuning.TuningAdvice.Recommendation;
import dev.mcphealth.domain.tuning.TuningAdvice.Setting;
import dev.mcphealth.domain.tuning.TuningAdvice.Target;
import dev.mcphealth.domain.tuning.TuningAdvice.Value;
import dev.mcphealth.domain.model.WindowStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import dev.mcphealth.domain.tuning.TuningAdvisor.Instance;

/** One call of {@link TuningAdvisor#advise}: what it has found so far, and the rules that find it. */
final class TuningRun {
    final List<Instance> instances;
    final Duration history;
    final Optional<Target> target;
    final Level level;
    final List<Recommendation> recommendations = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    final Map<ServerType, Long> perType;
    final Optional<Instance> failsMost;

    TuningRun(List<Instance> instances, Duration history, Optional<Target> target, Level level) {
        this.instances = List.copyOf(instances);
        this.history = history;
        this.target = target;
        this.level = level;
        this.perType = instances.stream().collect(Collectors.groupingBy(i -> i.server().type(),
                Collectors.counting()));
        this.failsMost = instances.stream().filter(i -> i.episodes() > 0)
                .max(Comparator.comparingInt(Instance::episodes)
                        .thenComparing(i -> i.server().id(), Comparator.reverseOrder()));
    }

    boolean serves(Set<Target> targets) {
        return target.isEmpty() || targets.contains(target.get());
    }

    void change(Instance i, Setting setting, Value current, Value proposed, String reason, String evidence) {
        recommendations.add(Recommendation.change(i.server().id(), setting, current, proposed, reason, evidence));
    }

    void forPerson(Instance i, Setting setting, String current, String proposed, String reason,
                   String evidence) {
        recommendations.add(Recommendation.forPerson(i.server().id(), setting, current, proposed, reason,
                evidence));
    }

    /** Where a proposal for a time setting stops: {@code wanted}, or the reach of {@code current} if nearer. */
    Duration reached(Duration current, Duration wanted, boolean wholeSeconds) {
        return withinReach(current, wanted, level, wholeSeconds);
    }

    /** What a reason adds when the reach stopped a proposal short of the value wanted; else nothing. */
    String reachText(Duration current, Duration proposed, Duration wanted) {
        return reachText(wanted.compareTo(current) < 0, proposed.equals(wanted), duration(proposed),
                duration(wanted));
    }

    String reachText(boolean lowering, boolean reached, String proposed, String wanted) {
        if (reached) {
            return "";
        }
        return "; one proposal moves a setting at most " + (lowering ? "/" : "x") + reach(level) + " ("
                + level.code() + "), so it stops at " + proposed + " on the way to " + wanted
                + ": ask again once this has run";
    }

    void advise(Instance i) {
        Optional<WindowStats> latency = i.status().flatMap(s -> longest(s, w -> w.answeredProbes()
                >= MIN_ANSWERED_PROBES && w.p99().isPresent()));
        Optional<WindowStats> probes = i.status().flatMap(s -> longest(s, w -> w.probes() >= MIN_ANSWERED_PROBES));
        noteMissingData(i, latency, probes);
        investigate(i, probes);
        TuningRules rules = new TuningRules(this);
        latency.ifPresent(w -> rules.timeout(i, w));
        probes.ifPresent(w -> rules.longerInterval(i, w));
        rules.shorterInterval(i, probes);
        latency.ifPresent(w -> rules.slowCall(i, w));
        rules.failureRate(i);
        rules.openDuration(i);
    }

    void noteMissingData(Instance i, Optional<WindowStats> latency, Optional<WindowStats> probes) {
        String name = i.server().id().value();
        if (i.status().isEmpty()) {
            notes.add(name + ": no live figures from the monitor yet; the timeout, interval and breaker rules"
                    + " need at least " + MIN_ANSWERED_PROBES + " answered probes");
            return;
        }
        if (latency.isEmpty() || probes.isEmpty()) {
            WindowStats most = i.status().get().windows().stream()
                    .max(Comparator.comparingLong(WindowStats::answeredProbes)
                            .thenComparing(WindowStats::window)).orElse(null);
            String seen = most == null ? "no windows yet"
                    : count(most.answeredProbes()) + " answered of " + count(most.probes()) + " probes in "
                    + duration(most.window());
            notes.add(name + ": too little data to judge its timeout, interval and breaker (" + seen
                    + "; at least " + MIN_ANSWERED_PROBES + " needed)");
        }
    }

    // ---- failing instances ------------------------------------------------------------------------------

    void investigate(Instance i, Optional<WindowStats> probes) {
        if (!serves(INVESTIGATE_TARGETS)) {
            return;
        }
        double warning = i.server().thresholds().errorRateWarning();
        Optional<WindowStats> unavailable = probes.filter(w -> 1 - w.availability().orElse(1.0) > warning);
        boolean often = i.episodes() >= FAILING_OFTEN;
        if (!often && unavailable.isEmpty()) {
            return;
        }
        List<String> figures = new ArrayList<>();
        i.failures().filter(f -> f.episodes() > 0).ifPresent(f -> figures.add(episodes(f, history)));
        probes.ifPresent(w -> figures.add(availability(w)));
        String evidence = String.join("; ", figures);
        String name = i.server().id().value();
        boolean most = instances.size() > 1
                && failsMost.filter(m -> m.server().id().equals(i.server().id())).isPresent();
        String why = often
                ? (most ? " fails most of the instances advised on" : " fails often") + ": "
                + i.episodes() + " failure episodes in " + duration(history)
                : " misses more probes than its warning error rate ("
                + percent(warning) + ")";
        String current = often ? i.episodes() + " episodes in " + duration(history)
                : percent(unavailable.get().availability().orElseThrow()) + " available";
        forPerson(i, Setting.INVESTIGATE, current, "find the cause (logs, dependencies, host)",
                name + why + "; no setting fixes that", evidence);

        if (serves(ADD_INSTANCE_TARGETS) && perType.getOrDefault(i.server().type(), 0L) == 1
                && i.server().failover().fallbackServerType().isEmpty()) {
            forPerson(i, Setting.ADD_INSTANCE, "1", "2",
                    name + " is the only instance of type " + i.server().type() + " and the type has no"
                            + " fallback type: while it is down, calls for " + i.server().type() + " fail",
                    evidence);
        }
    }

    // ---- probe timeout ----------------------------------------------------------------------------------

    void finish() {
        if (instances.isEmpty()) {
            notes.add("no servers to advise on");
            return;
        }
        long breakerAdvised = recommendations.stream().filter(r -> BREAKER_SETTINGS.contains(r.setting()))
                .map(Recommendation::server).distinct().count();
        if (breakerAdvised > 0) {
            notes.add("breaker proposals are per server: applied, one replaces only its own server's breaker in"
                    + " the running monitor, until the monitor stops; at start every server gets the same breaker"
                    + " settings from the configuration (health.breaker), so keeping a change means editing"
                    + " those, for every server"
                    + (breakerAdvised > 1 ? " (where the servers' proposals for one setting differ, the largest"
                    + " slow-call threshold and the longest open duration suit them all)" : ""));
        }
        if (recommendations.isEmpty()) {
            notes.add("no change proposed for " + instances.size() + " server" + (instances.size() == 1 ? "" : "s")
                    + target.map(t -> " when optimizing for " + t.code()).orElse("") + " at level "
                    + level.code());
        }
    }
}
