package dev.mcphealth.domain.tuning;

import static dev.mcphealth.domain.tuning.TuningAdvisor.*;
import static dev.mcphealth.domain.tuning.TuningFigures.*;

import dev.mcphealth.domain.routing.BreakerSettings;
import dev.mcphealth.domain.history.FailureAnalysis;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.StatusSnapshot;
import dev.mcphealth.domain.tuning.TuningAdvice.Level;
import dev.mcphealth.domain.tuning.TuningAdvice.Setting;
import dev.mcphealth.domain.tuning.TuningAdvice.Value;
import dev.mcphealth.domain.model.WindowStats;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.mcphealth.domain.tuning.TuningAdvisor.Instance;

/** The rules of one {@link TuningRun}, one per setting: what each proposes for one instance, and why. */
final class TuningRules {
    private final TuningRun run;

    TuningRules(TuningRun run) {
        this.run = run;
    }

    void timeout(Instance i, WindowStats w) {
        if (!run.serves(TIMEOUT_TARGETS)) {
            return;
        }
        Duration p99 = w.p99().orElseThrow();
        if (p99.compareTo(MonitoredServer.MAX_TIMEOUT) > 0) {
            run.notes.add(i.server().id() + ": p99 " + duration(p99) + " in " + duration(w.window())
                    + " is above the longest probe timeout allowed (" + duration(MonitoredServer.MAX_TIMEOUT)
                    + "); no timeout proposed");
            return;
        }
        Duration current = i.server().timeout();
        Duration needed = min(niceCeil(p99.multipliedBy(headroom(run.level))), MonitoredServer.MAX_TIMEOUT);
        Duration wanted = max(needed, MIN_PROBE_TIMEOUT);
        if (needed.compareTo(current) <= 0 && wanted.compareTo(current) >= 0) {
            return; // only the floor is above the timeout in force: the p99 does not ask for more
        }
        Duration proposed = run.reached(current, wanted, false);
        if (!meaningful(current, proposed)) {
            return;
        }
        String reason = proposed.compareTo(current) < 0
                ? "the probe timeout is " + times(current, p99) + " the observed p99: " + headroom(run.level)
                + "x p99 (" + run.level.code() + ") still covers slow answers and notices a hung server sooner"
                + (needed.compareTo(MIN_PROBE_TIMEOUT) < 0 ? "; not below " + duration(MIN_PROBE_TIMEOUT)
                + ": at check depth comprehensive a probe also lists tools, which the p99 does not time" : "")
                : "the probe timeout is only " + times(current, p99) + " the observed p99: slow answers count as"
                + " timeouts; " + headroom(run.level) + "x p99 (" + run.level.code() + ") leaves room";
        run.change(i, Setting.PROBE_TIMEOUT, time(current), time(proposed),
                reason + run.reachText(current, proposed, wanted), latency(w) + "; probe timeout " + duration(current));
    }

    // ---- probe interval ---------------------------------------------------------------------------------

    void longerInterval(Instance i, WindowStats w) {
        if (!run.serves(LONGER_INTERVAL_TARGETS) || i.episodes() > 0 || w.errors() > 0
                || w.answeredProbes() < w.probes() || i.interval().compareTo(MAX_PROPOSED_INTERVAL) >= 0) {
            return;
        }
        Duration wanted = min(ceilSeconds(i.interval().multipliedBy(stretch(run.level))), MAX_PROPOSED_INTERVAL);
        Duration proposed = run.reached(i.interval(), wanted, true);
        if (!meaningful(i.interval(), proposed)) {
            return;
        }
        int after = i.server().thresholds().offlineAfterFailures();
        run.change(i, Setting.PROBE_INTERVAL, time(i.interval()), time(proposed),
                "it answered every probe and had no failure: probing every " + duration(proposed) + " costs "
                        + stretchText(i.interval(), proposed) + " fewer probes; an outage is then noticed within "
                        + duration(proposed.multipliedBy(after)) + " instead of "
                        + duration(i.interval().multipliedBy(after)) + run.reachText(i.interval(), proposed, wanted),
                count(w.answeredProbes()) + " of " + count(w.probes()) + " probes answered and " + w.errors()
                        + " errors in " + count(w.calls()) + " calls in " + duration(w.window())
                        + "; no failure episode in " + duration(run.history) + "; probed every "
                        + duration(i.interval()));
    }

    void shorterInterval(Instance i, Optional<WindowStats> probes) {
        if (!run.serves(SHORTER_INTERVAL_TARGETS) || i.interval().compareTo(MIN_INTERVAL) <= 0) {
            return;
        }
        double sla = i.status().map(StatusSnapshot::slaTarget).orElse(1.0);
        Optional<WindowStats> belowSla = probes.filter(w -> w.availability().orElse(1.0) < sla);
        if (i.episodes() < FAILED_SEVERAL && belowSla.isEmpty()) {
            return;
        }
        Duration wanted = max(floorSeconds(i.interval().dividedBy(stretch(run.level))), MIN_INTERVAL);
        Duration proposed = run.reached(i.interval(), wanted, true);
        if (!meaningful(i.interval(), proposed) || proposed.compareTo(i.interval()) >= 0) {
            return;
        }
        int after = i.server().thresholds().offlineAfterFailures();
        List<String> figures = new ArrayList<>();
        i.failures().filter(f -> f.episodes() > 0).ifPresent(f -> figures.add(episodes(f, run.history)));
        probes.ifPresent(w -> figures.add(availability(w) + ", SLA target " + percent(sla)));
        figures.add("probed every " + duration(i.interval()) + ", offline after " + after + " failed probes");
        run.change(i, Setting.PROBE_INTERVAL, time(i.interval()), time(proposed),
                "it fails: probing every " + duration(proposed) + " notices an outage within "
                        + duration(proposed.multipliedBy(after)) + " instead of "
                        + duration(i.interval().multipliedBy(after)) + run.reachText(i.interval(), proposed, wanted),
                String.join("; ", figures));
    }

    // ---- breaker ----------------------------------------------------------------------------------------

    void slowCall(Instance i, WindowStats w) {
        boolean higher = run.serves(HIGHER_SLOW_CALL_TARGETS);
        boolean lower = run.level == Level.AGGRESSIVE && run.serves(LOWER_SLOW_CALL_TARGETS);
        if (!higher && !lower) {
            return;
        }
        long real = realCalls(w);
        int minimum = i.breaker().minimumCalls();
        if (real < minimum) {
            String measured = real == 0 ? "no real tool calls measured"
                    : "only " + count(real) + " real tool call" + (real == 1 ? "" : "s") + " measured, fewer than"
                    + " the breaker's minimum of " + minimum + ",";
            run.notes.add(i.server().id().value() + ": " + measured + " in " + duration(w.window())
                    + "; breaker slow-call threshold left alone (the breaker judges real tool calls only"
                    + (real == 0 ? "; the p99 there is the probes' ping latency)" : ")"));
            return;
        }
        Duration p99 = w.p99().orElseThrow();
        Duration slow = i.breaker().slowCall();
        String evidence = latency(w) + "; slow-call threshold " + duration(slow);
        if (higher && p99.multipliedBy(2).compareTo(slow) > 0) {
            Duration wanted = min(niceCeil(p99.multipliedBy(headroom(run.level))), MonitoredServer.MAX_TIMEOUT);
            Duration proposed = run.reached(slow, wanted, false);
            if (proposed.compareTo(slow) > 0 && meaningful(slow, proposed)) {
                run.change(i, Setting.BREAKER_SLOW_CALL, time(slow), time(proposed),
                        "the breaker counts calls slower than " + duration(slow) + " as slow, less than twice"
                                + " the observed p99: ordinary latency may open it; " + headroom(run.level) + "x p99 ("
                                + run.level.code() + ") keeps it for real slowness"
                                + run.reachText(slow, proposed, wanted),
                        evidence);
            }
            return;
        }
        if (lower) {
            Duration wanted = niceCeil(max(p99.multipliedBy(headroom(run.level)), MIN_TIMEOUT));
            Duration proposed = run.reached(slow, wanted, false);
            if (wanted.multipliedBy(2).compareTo(slow) <= 0 && meaningful(slow, proposed)) {
                run.change(i, Setting.BREAKER_SLOW_CALL, time(slow), time(proposed),
                        "the slow-call threshold is " + times(slow, p99) + " the observed p99: a server that"
                                + " slows down is noticed late; " + headroom(run.level) + "x p99 notices it sooner"
                                + run.reachText(slow, proposed, wanted),
                        evidence);
            }
        }
    }

    void failureRate(Instance i) {
        if (!run.serves(FAILURE_RATE_TARGETS) || run.level == Level.CONSERVATIVE || i.status().isEmpty()) {
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
        long proposed = Math.max(wanted, (current + reach(run.level) - 1) / reach(run.level));
        if (rate < critical || rate >= b.failureRate() || !meaningful(current, proposed)) {
            return;
        }
        run.change(i, Setting.BREAKER_FAILURE_RATE, new Value.Percent((int) current),
                new Value.Percent((int) proposed),
                "its error rate is above the monitor's critical threshold yet below the breaker's failure rate:"
                        + " the breaker keeps sending calls to an instance the monitor calls critical"
                        + run.reachText(true, proposed == wanted, proposed + " %", wanted + " %"),
                "error rate " + percent(rate) + " of " + count(w.calls()) + " calls in " + duration(w.window())
                        + "; critical above " + percent(critical) + "; breaker opens at "
                        + percent(b.failureRate()) + " of at least " + b.minimumCalls() + " calls");
    }

    void openDuration(Instance i) {
        if (!run.serves(OPEN_DURATION_TARGETS) || i.failures().isEmpty()) {
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
        Duration wanted = min(ceilSeconds(open.multipliedBy(stretch(run.level))), MAX_OPEN);
        Duration proposed = run.reached(open, wanted, false);
        if (!meaningful(open, proposed)) {
            return;
        }
        run.change(i, Setting.BREAKER_OPEN_DURATION, time(open), time(proposed),
                "it flaps: short episodes again and again; keeping the breaker open " + duration(proposed)
                        + " keeps calls away until it has stayed up, instead of trial calls that find it failing"
                        + " again" + run.reachText(open, proposed, wanted),
                resolved + " resolved episodes in " + duration(run.history) + " lasting " + duration(mean)
                        + " on average; breaker open for " + duration(open));
    }
}
