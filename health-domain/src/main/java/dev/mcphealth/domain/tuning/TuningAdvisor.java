package dev.mcphealth.domain.tuning;

import static dev.mcphealth.domain.tuning.TuningFigures.*;

import dev.mcphealth.domain.routing.BreakerSettings;
import dev.mcphealth.domain.history.FailureAnalysis;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.StatusSnapshot;
import dev.mcphealth.domain.tuning.TuningAdvice.Level;
import dev.mcphealth.domain.tuning.TuningAdvice.Setting;
import dev.mcphealth.domain.tuning.TuningAdvice.Target;
import dev.mcphealth.domain.tuning.TuningAdvice.Value;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

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
    static final double MEANINGFUL_CHANGE = MEANINGFUL_CHANGE_PERCENT / 100.0;

    static final Set<Target> TIMEOUT_TARGETS = EnumSet.of(Target.LATENCY, Target.RELIABILITY);
    static final Set<Target> LONGER_INTERVAL_TARGETS = EnumSet.of(Target.COST);
    static final Set<Target> SHORTER_INTERVAL_TARGETS = EnumSet.of(Target.RELIABILITY);
    static final Set<Target> HIGHER_SLOW_CALL_TARGETS =
            EnumSet.of(Target.LATENCY, Target.THROUGHPUT, Target.RELIABILITY);
    static final Set<Target> LOWER_SLOW_CALL_TARGETS = EnumSet.of(Target.LATENCY);
    static final Set<Target> FAILURE_RATE_TARGETS = EnumSet.of(Target.RELIABILITY);
    static final Set<Target> OPEN_DURATION_TARGETS = EnumSet.of(Target.RELIABILITY);
    static final Set<Target> INVESTIGATE_TARGETS = EnumSet.allOf(Target.class);
    static final Set<Target> ADD_INSTANCE_TARGETS = EnumSet.of(Target.RELIABILITY, Target.THROUGHPUT);
    static final Set<Setting> BREAKER_SETTINGS = EnumSet.of(Setting.BREAKER_SLOW_CALL,
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
        TuningRun run = new TuningRun(instances, history, target, level);
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

}
