package dev.mcphealth.domain.tuning;

import dev.mcphealth.domain.routing.BreakerSettings;
import dev.mcphealth.domain.history.FailureAnalysis;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.StatusSnapshot;
import dev.mcphealth.domain.tuning.TuningAdvice.Level;
import dev.mcphealth.domain.tuning.TuningAdvice.Recommendation;
import dev.mcphealth.domain.tuning.TuningAdvice.Setting;
import dev.mcphealth.domain.tuning.TuningAdvice.Target;
import dev.mcphealth.domain.tuning.TuningAdvice.Value;
import dev.mcphealth.domain.model.WindowStats;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Tuning proposals from measured figures: a few explicit rules, not a learned model. Pure: the caller passes each
 * instance's configuration, live windows and failure history, and the time. Every recommendation states the figures it
 * rests on; what cannot be judged becomes a note.
 *
 * <p>Live-figure rules use the longest of the instance's windows (1 h, 15 min, 1 min) that holds at least
 * {@value #MIN_ANSWERED_PROBES} answered probes (latency rules) or probes (availability rules). An instance with no
 * such window gets a note instead of those recommendations. A proposal is made only when it differs from the value in
 * force by more than {@value #MEANINGFUL_CHANGE_PERCENT} %.
 *
 * <p>A window's p99 is over probes and real tool calls together. Where there are no real calls (an MCP server's
 * monitor often makes none: calls = probes) it is the probes' ping latency, and the evidence says so.
 *
 * <p>The level sets the margin kept over observed latency, the <em>headroom</em> (conservative 10x p99, balanced 5x,
 * aggressive 3x), how far an interval or open duration is stretched, the <em>stretch</em> (x2, x3, x4), and how far
 * one proposal may move a setting, the <em>reach</em> ({@link #reach}: x2 or /2, x3 or /3, x5 or /5). Every
 * proposal of a value (probe timeout, probe interval, slow-call threshold, failure rate, open duration) stays within
 * the reach of the value in force: one that would go further stops there, rounded towards the value in force (to
 * 100 ms from 1 s up, to 1 ms below; to whole seconds for the interval, whole percent for the rate), and its reason
 * says so; the advice asked for once the step has run takes
 * the next one. Applied to a running monitor a wrong value does harm at once (a probe that times out counts as
 * recoverable and restarts a stdio server), so no single step goes far however far the figures point. Rules, in the
 * order their recommendations appear for each instance; "targets" lists the targets a rule serves besides the general
 * report (no target), which runs every rule:
 * <ol>
 *   <li>{@link Setting#INVESTIGATE} (every target): at least {@value #FAILING_OFTEN} failure episodes in the history,
 *       or a share of unanswered probes above the instance's {@code errorRateWarning}. The reason says whether it is
 *       the instance that fails most (of two or more).</li>
 *   <li>{@link Setting#ADD_INSTANCE} (reliability, throughput): the instance to investigate is the only one of its type
 *       among the instances advised on, and its type has no fallback type.</li>
 *   <li>{@link Setting#PROBE_TIMEOUT} (latency, reliability): the timeout wanted is p99 x headroom, rounded up to a
 *       readable value, at most {@link MonitoredServer#MAX_TIMEOUT}. Above the timeout in force it is raised to the
 *       wanted value (at least {@link #MIN_PROBE_TIMEOUT}); below it, lowered to the wanted value but never below
 *       {@link #MIN_PROBE_TIMEOUT}; both within the reach. So a lowered timeout always covers the p99, a raised one
 *       does unless the reach stops it. A p99 above the longest timeout allowed is a note. The floor is 2 s, not 1 s,
 *       because the windows time only a probe's ping, while at check depth comprehensive the probe also lists tools
 *       under the same timeout; the advisor is not told the depth (the monitor's may be either, and a health check
 *       asked for with {@code comprehensive} uses the same timeout), so it assumes a probe may list tools.</li>
 *   <li>{@link Setting#PROBE_INTERVAL} longer (cost): every probe answered, no errors, no failure episode in the
 *       history; proposed = interval x stretch, at most {@link #MAX_PROPOSED_INTERVAL}, within the reach.</li>
 *   <li>{@link Setting#PROBE_INTERVAL} shorter (reliability): at least {@value #FAILED_SEVERAL} failure episodes, or
 *       probe availability below the instance's SLA target; proposed = interval / stretch, whole seconds, at least
 *       {@link #MIN_INTERVAL}, within the reach, so an outage is noticed sooner.</li>
 *   <li>{@link Setting#BREAKER_SLOW_CALL} higher (latency, throughput, reliability): the slow-call threshold is less
 *       than twice the p99, so ordinary latency may open the breaker; proposed = p99 x headroom, rounded up, within
 *       the reach.</li>
 *   <li>{@link Setting#BREAKER_SLOW_CALL} lower (latency, aggressive level only): p99 x 3 (at least
 *       {@link #MIN_TIMEOUT}), rounded up, is at most half the threshold, so slowness would be noticed sooner; proposed
 *       = that, within the reach.</li>
 *   <li>{@link Setting#BREAKER_FAILURE_RATE} (reliability, not at the conservative level): the error rate of the
 *       longest window holding the breaker's minimum of calls is at or above the instance's {@code errorRateCritical}
 *       yet below the breaker's failure rate, so the breaker keeps sending calls to an instance the monitor calls
 *       critical; proposed = the critical rate, in whole percent, within the reach (at least the rate in force /
 *       reach, rounded up).</li>
 *   <li>{@link Setting#BREAKER_OPEN_DURATION} (reliability): the instance flaps, at least {@value #FAILING_OFTEN}
 *       resolved episodes lasting less than {@link #SHORT_EPISODE} on average; proposed = open duration x stretch, at
 *       most {@link #MAX_OPEN}, within the reach, so it stays out of the pool longer instead of failing trial
 *       calls.</li>
 * </ol>
 * Both slow-call rules need real tool calls: the breaker judges real calls only (probes never reach it), so when the
 * window of the p99 holds none, or fewer than the breaker's {@code minimumCalls}, they are left out and a note says
 * why.
 *
 * <p>Whenever there is breaker advice a note says how it applies: each server has its own breaker, and applying a
 * proposal replaces only that server's, in the running monitor, until it stops; the configuration gives every server
 * the same breaker settings at start, so keeping a change means editing that, for every server.
 *
 * <p>A recommendation for a setting carries its current and proposed values typed ({@link Value}), written as text
 * by {@link Setting#text}; the two for a person ({@link Setting#INVESTIGATE}, {@link Setting#ADD_INSTANCE}) carry
 * text only.
 */
public final class TuningAdvisor {
    /** Answered probes a window must hold before its latency or availability says anything. */
    public static final int MIN_ANSWERED_PROBES = 20;
    /** The shortest slow-call threshold proposed. */
    public static final Duration MIN_TIMEOUT = Duration.ofSeconds(1);
    /**
     * The shortest probe timeout proposed: above {@link #MIN_TIMEOUT} because the windows time only a probe's ping,
     * and a comprehensive check also lists tools under the same timeout (the advisor is not told the depth).
     */
    public static final Duration MIN_PROBE_TIMEOUT = Duration.ofSeconds(2);
    /** The longest probe interval proposed for a cheaper watch. */
    public static final Duration MAX_PROPOSED_INTERVAL = Duration.ofMinutes(5);
    /** The shortest probe interval proposed (the configuration's minimum). */
    public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    /** The longest breaker open duration proposed. */
    public static final Duration MAX_OPEN = Duration.ofMinutes(10);
    /** Failure episodes in the history that make an instance worth investigating. */
    public static final int FAILING_OFTEN = 3;
    /** Failure episodes in the history that justify probing a reliability-critical instance more often. */
    public static final int FAILED_SEVERAL = 2;
    /** Resolved episodes shorter than this on average, and at least {@link #FAILING_OFTEN} of them, are flapping. */
    public static final Duration SHORT_EPISODE = Duration.ofMinutes(1);
    static final int MEANINGFUL_CHANGE_PERCENT = 25;
    private static final double MEANINGFUL_CHANGE = MEANINGFUL_CHANGE_PERCENT / 100.0;

    private static final Set<Target> TIMEOUT_TARGETS = EnumSet.of(Target.LATENCY, Target.RELIABILITY);
    private static final Set<Target> LONGER_INTERVAL_TARGETS = EnumSet.of(Target.COST);
    private static final Set<Target> SHORTER_INTERVAL_TARGETS = EnumSet.of(Target.RELIABILITY);
    private static final Set<Target> HIGHER_SLOW_CALL_TARGETS =
            EnumSet.of(Target.LATENCY, Target.THROUGHPUT, Target.RELIABILITY);
    private static final Set<Target> LOWER_SLOW_CALL_TARGETS = EnumSet.of(Target.LATENCY);
    private static final Set<Target> FAILURE_RATE_TARGETS = EnumSet.of(Target.RELIABILITY);
    private static final Set<Target> OPEN_DURATION_TARGETS = EnumSet.of(Target.RELIABILITY);
    private static final Set<Target> INVESTIGATE_TARGETS = EnumSet.allOf(Target.class);
    private static final Set<Target> ADD_INSTANCE_TARGETS = EnumSet.of(Target.RELIABILITY, Target.THROUGHPUT);
    private static final Set<Setting> BREAKER_SETTINGS = EnumSet.of(Setting.BREAKER_SLOW_CALL,
            Setting.BREAKER_FAILURE_RATE, Setting.BREAKER_OPEN_DURATION);

    private TuningAdvisor() {
    }

    /**
     * What is known of one instance.
     *
     * @param server its configuration: probe timeout, thresholds, failover
     * @param interval how often it is probed
     * @param status the monitor's live figures; empty before the monitor has any
     * @param breaker the circuit-breaker settings in force for it
     * @param failures its row of the failure analysis; empty when it had no failure episode
     */
    public record Instance(MonitoredServer server, Duration interval, Optional<StatusSnapshot> status,
                           BreakerSettings breaker, Optional<FailureAnalysis.InstanceFailures> failures) {
        public Instance {
            Objects.requireNonNull(server, "server");
            if (interval == null || interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("interval must be positive, got " + interval);
            }
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(breaker, "breaker");
            Objects.requireNonNull(failures, "failures");
            status.ifPresent(s -> {
                if (!s.server().equals(server.id())) {
                    throw new IllegalArgumentException("status of " + s.server() + " given for " + server.id());
                }
            });
            failures.ifPresent(f -> {
                if (!f.server().equals(server.id())) {
                    throw new IllegalArgumentException("failures of " + f.server() + " given for " + server.id());
                }
            });
        }

        int episodes() {
            return failures.map(FailureAnalysis.InstanceFailures::episodes).orElse(0);
        }
    }

    /**
     * Recommendations for {@code instances} in the order given, rule by rule.
     *
     * @param history the period the instances' failure rows cover (for the evidence)
     * @param target empty for a general report: every rule
     */
    public static TuningAdvice advise(List<Instance> instances, Duration history, Optional<Target> target,
                                      Level level, Instant now) {
        Objects.requireNonNull(instances, "instances");
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(now, "now");
        Run run = new Run(instances, history, target, level);
        for (Instance i : instances) {
            run.advise(i);
        }
        run.finish();
        return new TuningAdvice(now, target, level, run.recommendations, run.notes);
    }

    /** The margin kept over observed latency at each level. */
    static int headroom(Level level) {
        if (level == Level.CONSERVATIVE) {
            return 10;
        }
        return level == Level.BALANCED ? 5 : 3;
    }

    /** How far an interval or open duration is stretched at each level. */
    static int stretch(Level level) {
        if (level == Level.CONSERVATIVE) {
            return 2;
        }
        return level == Level.BALANCED ? 3 : 4;
    }

    /**
     * How far one proposal may move a time setting at each level: at most this many times the value in force, at least
     * the value in force divided by it.
     */
    public static int reach(Level level) {
        if (level == Level.CONSERVATIVE) {
            return 2;
        }
        return level == Level.BALANCED ? 3 : 5;
    }

    /** One call of {@link #advise}: what it has found so far. */
    private static final class Run {
        final List<Instance> instances;
        final Duration history;
        final Optional<Target> target;
        final Level level;
        final List<Recommendation> recommendations = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        final Map<ServerType, Long> perType;
        final Optional<Instance> failsMost;

        Run(List<Instance> instances, Duration history, Optional<Target> target, Level level) {
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
            latency.ifPresent(w -> timeout(i, w));
            probes.ifPresent(w -> longerInterval(i, w));
            shorterInterval(i, probes);
            latency.ifPresent(w -> slowCall(i, w));
            failureRate(i);
            openDuration(i);
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

        void timeout(Instance i, WindowStats w) {
            if (!serves(TIMEOUT_TARGETS)) {
                return;
            }
            Duration p99 = w.p99().orElseThrow();
            if (p99.compareTo(MonitoredServer.MAX_TIMEOUT) > 0) {
                notes.add(i.server().id() + ": p99 " + duration(p99) + " in " + duration(w.window())
                        + " is above the longest probe timeout allowed (" + duration(MonitoredServer.MAX_TIMEOUT)
                        + "); no timeout proposed");
                return;
            }
            Duration current = i.server().timeout();
            Duration needed = min(niceCeil(p99.multipliedBy(headroom(level))), MonitoredServer.MAX_TIMEOUT);
            Duration wanted = max(needed, MIN_PROBE_TIMEOUT);
            if (needed.compareTo(current) <= 0 && wanted.compareTo(current) >= 0) {
                return; // only the floor is above the timeout in force: the p99 does not ask for more
            }
            Duration proposed = reached(current, wanted, false);
            if (!meaningful(current, proposed)) {
                return;
            }
            String reason = proposed.compareTo(current) < 0
                    ? "the probe timeout is " + times(current, p99) + " the observed p99: " + headroom(level)
                    + "x p99 (" + level.code() + ") still covers slow answers and notices a hung server sooner"
                    + (needed.compareTo(MIN_PROBE_TIMEOUT) < 0 ? "; not below " + duration(MIN_PROBE_TIMEOUT)
                    + ": at check depth comprehensive a probe also lists tools, which the p99 does not time" : "")
                    : "the probe timeout is only " + times(current, p99) + " the observed p99: slow answers count as"
                    + " timeouts; " + headroom(level) + "x p99 (" + level.code() + ") leaves room";
            change(i, Setting.PROBE_TIMEOUT, time(current), time(proposed),
                    reason + reachText(current, proposed, wanted), latency(w) + "; probe timeout " + duration(current));
        }

        // ---- probe interval ---------------------------------------------------------------------------------

        void longerInterval(Instance i, WindowStats w) {
            if (!serves(LONGER_INTERVAL_TARGETS) || i.episodes() > 0 || w.errors() > 0
                    || w.answeredProbes() < w.probes() || i.interval().compareTo(MAX_PROPOSED_INTERVAL) >= 0) {
                return;
            }
            Duration wanted = min(ceilSeconds(i.interval().multipliedBy(stretch(level))), MAX_PROPOSED_INTERVAL);
            Duration proposed = reached(i.interval(), wanted, true);
            if (!meaningful(i.interval(), proposed)) {
                return;
            }
            int after = i.server().thresholds().offlineAfterFailures();
            change(i, Setting.PROBE_INTERVAL, time(i.interval()), time(proposed),
                    "it answered every probe and had no failure: probing every " + duration(proposed) + " costs "
                            + stretchText(i.interval(), proposed) + " fewer probes; an outage is then noticed within "
                            + duration(proposed.multipliedBy(after)) + " instead of "
                            + duration(i.interval().multipliedBy(after)) + reachText(i.interval(), proposed, wanted),
                    count(w.answeredProbes()) + " of " + count(w.probes()) + " probes answered and " + w.errors()
                            + " errors in " + count(w.calls()) + " calls in " + duration(w.window())
                            + "; no failure episode in " + duration(history) + "; probed every "
                            + duration(i.interval()));
        }

        void shorterInterval(Instance i, Optional<WindowStats> probes) {
            if (!serves(SHORTER_INTERVAL_TARGETS) || i.interval().compareTo(MIN_INTERVAL) <= 0) {
                return;
            }
            double sla = i.status().map(StatusSnapshot::slaTarget).orElse(1.0);
            Optional<WindowStats> belowSla = probes.filter(w -> w.availability().orElse(1.0) < sla);
            if (i.episodes() < FAILED_SEVERAL && belowSla.isEmpty()) {
                return;
            }
            Duration wanted = max(floorSeconds(i.interval().dividedBy(stretch(level))), MIN_INTERVAL);
            Duration proposed = reached(i.interval(), wanted, true);
            if (!meaningful(i.interval(), proposed) || proposed.compareTo(i.interval()) >= 0) {
                return;
            }
            int after = i.server().thresholds().offlineAfterFailures();
            List<String> figures = new ArrayList<>();
            i.failures().filter(f -> f.episodes() > 0).ifPresent(f -> figures.add(episodes(f, history)));
            probes.ifPresent(w -> figures.add(availability(w) + ", SLA target " + percent(sla)));
            figures.add("probed every " + duration(i.interval()) + ", offline after " + after + " failed probes");
            change(i, Setting.PROBE_INTERVAL, time(i.interval()), time(proposed),
                    "it fails: probing every " + duration(proposed) + " notices an outage within "
                            + duration(proposed.multipliedBy(after)) + " instead of "
                            + duration(i.interval().multipliedBy(after)) + reachText(i.interval(), proposed, wanted),
                    String.join("; ", figures));
        }

        // ---- breaker ----------------------------------------------------------------------------------------

        void slowCall(Instance i, WindowStats w) {
            boolean higher = serves(HIGHER_SLOW_CALL_TARGETS);
            boolean lower = level == Level.AGGRESSIVE && serves(LOWER_SLOW_CALL_TARGETS);
            if (!higher && !lower) {
                return;
            }
            long real = realCalls(w);
            int minimum = i.breaker().minimumCalls();
            if (real < minimum) {
                String measured = real == 0 ? "no real tool calls measured"
                        : "only " + count(real) + " real tool call" + (real == 1 ? "" : "s") + " measured, fewer than"
                        + " the breaker's minimum of " + minimum + ",";
                notes.add(i.server().id().value() + ": " + measured + " in " + duration(w.window())
                        + "; breaker slow-call threshold left alone (the breaker judges real tool calls only"
                        + (real == 0 ? "; the p99 there is the probes' ping latency)" : ")"));
                return;
            }
            Duration p99 = w.p99().orElseThrow();
            Duration slow = i.breaker().slowCall();
            String evidence = latency(w) + "; slow-call threshold " + duration(slow);
            if (higher && p99.multipliedBy(2).compareTo(slow) > 0) {
                Duration wanted = min(niceCeil(p99.multipliedBy(headroom(level))), MonitoredServer.MAX_TIMEOUT);
                Duration proposed = reached(slow, wanted, false);
                if (proposed.compareTo(slow) > 0 && meaningful(slow, proposed)) {
                    change(i, Setting.BREAKER_SLOW_CALL, time(slow), time(proposed),
                            "the breaker counts calls slower than " + duration(slow) + " as slow, less than twice"
                                    + " the observed p99: ordinary latency may open it; " + headroom(level) + "x p99 ("
                                    + level.code() + ") keeps it for real slowness"
                                    + reachText(slow, proposed, wanted),
                            evidence);
                }
                return;
            }
            if (lower) {
                Duration wanted = niceCeil(max(p99.multipliedBy(headroom(level)), MIN_TIMEOUT));
                Duration proposed = reached(slow, wanted, false);
                if (wanted.multipliedBy(2).compareTo(slow) <= 0 && meaningful(slow, proposed)) {
                    change(i, Setting.BREAKER_SLOW_CALL, time(slow), time(proposed),
                            "the slow-call threshold is " + times(slow, p99) + " the observed p99: a server that"
                                    + " slows down is noticed late; " + headroom(level) + "x p99 notices it sooner"
                                    + reachText(slow, proposed, wanted),
                            evidence);
                }
            }
        }

        void failureRate(Instance i) {
            if (!serves(FAILURE_RATE_TARGETS) || level == Level.CONSERVATIVE || i.status().isEmpty()) {
                return;
            }
            BreakerSettings b = i.breaker();
            double critical = i.server().thresholds().errorRateCritical();
            Optional<WindowStats> window = longest(i.status().get(), w -> w.calls() >= b.minimumCalls());
            if (window.isEmpty() || critical >= b.failureRate()) {
                return;
            }
            WindowStats w = window.get();
            double rate = w.errorRate().orElseThrow();
            long wanted = Math.max(1, BigDecimal.valueOf(critical).movePointRight(2)
                    .setScale(0, RoundingMode.FLOOR).longValueExact());
            long current = Math.round(b.failureRate() * 100);
            long proposed = Math.max(wanted, (current + reach(level) - 1) / reach(level));
            if (rate < critical || rate >= b.failureRate() || !meaningful(current, proposed)) {
                return;
            }
            change(i, Setting.BREAKER_FAILURE_RATE, new Value.Percent((int) current),
                    new Value.Percent((int) proposed),
                    "its error rate is above the monitor's critical threshold yet below the breaker's failure rate:"
                            + " the breaker keeps sending calls to an instance the monitor calls critical"
                            + reachText(true, proposed == wanted, proposed + " %", wanted + " %"),
                    "error rate " + percent(rate) + " of " + count(w.calls()) + " calls in " + duration(w.window())
                            + "; critical above " + percent(critical) + "; breaker opens at "
                            + percent(b.failureRate()) + " of at least " + b.minimumCalls() + " calls");
        }

        void openDuration(Instance i) {
            if (!serves(OPEN_DURATION_TARGETS) || i.failures().isEmpty()) {
                return;
            }
            FailureAnalysis.InstanceFailures f = i.failures().get();
            int resolved = f.episodes() - f.open();
            if (resolved < FAILING_OFTEN) {
                return;
            }
            Duration mean = f.downtime().dividedBy(resolved);
            Duration open = i.breaker().openFor();
            if (mean.compareTo(SHORT_EPISODE) >= 0 || open.compareTo(MAX_OPEN) >= 0) {
                return;
            }
            Duration wanted = min(ceilSeconds(open.multipliedBy(stretch(level))), MAX_OPEN);
            Duration proposed = reached(open, wanted, false);
            if (!meaningful(open, proposed)) {
                return;
            }
            change(i, Setting.BREAKER_OPEN_DURATION, time(open), time(proposed),
                    "it flaps: short episodes again and again; keeping the breaker open " + duration(proposed)
                            + " keeps calls away until it has stayed up, instead of trial calls that find it failing"
                            + " again" + reachText(open, proposed, wanted),
                    resolved + " resolved episodes in " + duration(history) + " lasting " + duration(mean)
                            + " on average; breaker open for " + duration(open));
        }

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

    /**
     * {@code wanted}, kept within the level's {@link #reach} of {@code current}: at most {@code current} x reach and at
     * least {@code current} / reach. A bound it stops at is rounded towards {@code current}: to whole seconds when
     * {@code wholeSeconds}, else to 100 ms from 1 s up and to 1 ms below.
     */
    static Duration withinReach(Duration current, Duration wanted, Level level, boolean wholeSeconds) {
        long now = current.toNanos();
        long by = reach(level);
        long lowest = Math.min(now, roundUp(Math.floorDiv(now + by - 1, by), wholeSeconds));
        long highest = Math.max(now, roundDown(Math.multiplyExact(now, by), wholeSeconds));
        long proposed = Math.max(lowest, Math.min(highest, wanted.toNanos()));
        return proposed == wanted.toNanos() ? wanted : Duration.ofNanos(proposed);
    }

    /** The step a bound of the reach is rounded to: whole seconds, or 100 ms from 1 s up and 1 ms below. */
    private static long step(long nanos, boolean wholeSeconds) {
        if (wholeSeconds) {
            return 1_000_000_000L;
        }
        return nanos >= 1_000_000_000L ? 100_000_000L : 1_000_000L;
    }

    private static long roundUp(long nanos, boolean wholeSeconds) {
        long step = step(nanos, wholeSeconds);
        return Math.floorDiv(nanos + step - 1, step) * step;
    }

    private static long roundDown(long nanos, boolean wholeSeconds) {
        long step = step(nanos, wholeSeconds);
        return Math.floorDiv(nanos, step) * step;
    }

    // ---- figures --------------------------------------------------------------------------------------------

    private static Optional<WindowStats> longest(StatusSnapshot s, Predicate<WindowStats> enough) {
        return s.windows().stream().filter(enough).max(Comparator.comparing(WindowStats::window));
    }

    private static boolean meaningful(Duration current, Duration proposed) {
        return meaningful(current.toNanos(), proposed.toNanos());
    }

    private static boolean meaningful(long current, long proposed) {
        return Math.abs(proposed - current) > MEANINGFUL_CHANGE * current;
    }

    /** Rounded up to a readable value: 100 ms steps below 1 s, then 1 s, 5 s (from 10 s), 30 s (from 1 min), 1 min. */
    static Duration niceCeil(Duration d) {
        long ms = (d.toNanos() + 999_999) / 1_000_000;
        long step;
        if (ms <= 1_000) {
            step = 100;
        } else if (ms <= 10_000) {
            step = 1_000;
        } else if (ms <= 60_000) {
            step = 5_000;
        } else if (ms <= 600_000) {
            step = 30_000;
        } else {
            step = 60_000;
        }
        return Duration.ofMillis((ms + step - 1) / step * step);
    }

    private static Duration ceilSeconds(Duration d) {
        Duration whole = Duration.ofSeconds(d.getSeconds());
        return whole.equals(d) ? d : whole.plusSeconds(1);
    }

    private static Duration floorSeconds(Duration d) {
        return Duration.ofSeconds(d.getSeconds());
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    // ---- text -----------------------------------------------------------------------------------------------

    /** Real tool calls in a window: its calls that were not probes. */
    private static long realCalls(WindowStats w) {
        return w.calls() - w.probes();
    }

    /** The p99 and what it is over: the probes' ping latency alone when there were no real tool calls. */
    private static String latency(WindowStats w) {
        String p99 = "p99 " + duration(w.p99().orElseThrow());
        String probes = count(w.answeredProbes()) + " of " + count(w.probes()) + " probes answered";
        long real = realCalls(w);
        if (real == 0) {
            return p99 + " of probe (ping) latency over " + probes + " in " + duration(w.window())
                    + "; no real tool calls";
        }
        long answered = w.calls() - w.errors();
        return p99 + " over " + count(answered) + " answered calls in " + duration(w.window()) + ", probes and real"
                + " tool calls together: " + probes + ", " + count(real) + " real tool call" + (real == 1 ? "" : "s");
    }

    private static String availability(WindowStats w) {
        return count(w.answeredProbes()) + " of " + count(w.probes()) + " probes answered in " + duration(w.window())
                + " (" + percent(w.availability().orElseThrow()) + ")";
    }

    private static String episodes(FailureAnalysis.InstanceFailures f, Duration history) {
        return f.episodes() + " failure episode" + (f.episodes() == 1 ? "" : "s") + " in " + duration(history) + " ("
                + f.open() + " open, " + duration(f.downtime()) + " down)";
    }

    private static String times(Duration a, Duration b) {
        double ratio = (double) a.toNanos() / Math.max(1, b.toNanos());
        return BigDecimal.valueOf(ratio).setScale(ratio >= 10 ? 0 : 1, RoundingMode.HALF_UP).stripTrailingZeros()
                .toPlainString() + "x";
    }

    private static String stretchText(Duration from, Duration to) {
        return times(to, from);
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String percent(double fraction) {
        return BigDecimal.valueOf(fraction * 100).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros()
                .toPlainString() + " %";
    }

    private static Value time(Duration d) {
        return new Value.Time(d);
    }

    /** Readable: 412 ms, 2.5 s, 10 s, 4 min 10 s, 1 h, 1 h 30 min. */
    static String duration(Duration d) {
        long ms = d.toMillis();
        if (ms < 1_000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return BigDecimal.valueOf(ms, 3).setScale(1, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString()
                    + " s";
        }
        long s = d.getSeconds();
        if (s < 3_600) {
            return s / 60 + " min" + (s % 60 == 0 ? "" : " " + s % 60 + " s");
        }
        long m = s / 60;
        return m / 60 + " h" + (m % 60 == 0 ? "" : " " + m % 60 + " min");
    }
}
