package dev.mcphealth.application.tuning;

import dev.mcphealth.application.port.in.PlanMonitoringUseCase;
import dev.mcphealth.application.monitoring.Rescheduling;
import dev.mcphealth.application.catalog.TunableCatalog;

import dev.mcphealth.application.port.in.ApplyTuningUseCase;
import dev.mcphealth.application.port.in.JudgeTrialsUseCase;
import dev.mcphealth.application.port.in.ObserveMonitoringUseCase;
import dev.mcphealth.application.port.in.ReadTrialsUseCase;
import dev.mcphealth.application.port.out.MonitorEventPort;
import dev.mcphealth.application.port.out.TrialStorePort;
import dev.mcphealth.domain.model.StatusSnapshot;
import dev.mcphealth.domain.model.TrialVerdict;
import dev.mcphealth.domain.model.WindowStats;
import dev.mcphealth.domain.tuning.ChangeTrial;
import dev.mcphealth.domain.tuning.TrialJudge;
import dev.mcphealth.domain.tuning.TrialPhase;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import dev.mcphealth.application.port.out.BreakerPort;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.tuning.TuningAdvice.Recommendation;
import dev.mcphealth.domain.tuning.TuningAdvice.Setting;
import dev.mcphealth.domain.tuning.TuningAdvice.Value;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Applies tuning recommendations to the running monitor, each where the monitor reads that setting on every use:
 * <ul>
 *   <li>probe timeout: the {@link LiveServerCatalog} (the monitor's probes, health checks and stress tests look the
 *       server up there each time);</li>
 *   <li>probe interval: the monitor's plan ({@link MonitoringService#reschedule}), which rounds and the scheduler
 *       adapter read whenever they set a server's next probe;</li>
 *   <li>breaker slow-call threshold, failure rate and open duration: that server's breaker
 *       ({@link BreakerPort#reconfigure}).</li>
 * </ul>
 * Before changing anything it reads the value in force and compares it with the one the recommendation was made from:
 * when they differ (applied already, or changed by someone else since the advice), the recommendation is skipped. One
 * apply at a time, so that this check and the change are not interleaved with another apply's.
 *
 * <p>Each applied change is put on trial: the server's window of the trial's length as the monitor has it now
 * ({@code before}), and once that much time has passed the same window again, then all after the change (the
 * monitor's windows are 10-second buckets, the one under way included: at the judging the window begins less than 10 s
 * after the change). {@link TrialJudge} compares them; a change judged worse is set back to the value before it when
 * the setting still holds the change's value (else the trial ends overtaken and nothing is touched). Each ended trial
 * is published as a {@code change_judged} event.
 */
public final class ApplyTuningService implements ApplyTuningUseCase, JudgeTrialsUseCase, ReadTrialsUseCase {
    static final String NEEDS_A_PERSON = "needs a person";
    /** The trial windows a change may be judged over: the monitor's windows (1 min, 15 min, 1 h). */
    public static final List<Duration> TRIAL_WINDOWS = List.of(Duration.ofMinutes(1), Duration.ofMinutes(15),
            Duration.ofHours(1));
    /** The trial window by default. */
    public static final Duration TRIAL_WINDOW = Duration.ofMinutes(15);
    /** How long a value rolled back is not applied again. */
    public static final Duration NOT_AGAIN_FOR = Duration.ofHours(24);

    private final TunableCatalog catalog;
    private final PlanMonitoringUseCase plan;
    private final Rescheduling monitor;
    private final BreakerPort breakers;
    private final ObserveMonitoringUseCase observed;
    private final MonitorEventPort events;
    private final Duration trialWindow;
    private final Clock clock;
    private final TrialBook trials;
    private final TrialWriter writer;

    /** Trials over {@link #TRIAL_WINDOW} with no windows to read (every trial too few calls) and no events. */
    public <M extends PlanMonitoringUseCase & Rescheduling> ApplyTuningService(TunableCatalog catalog, M monitor,
                                                                               BreakerPort breakers, Clock clock) {
        this(catalog, monitor, breakers, List::of, e -> { }, TrialStorePort.NONE, TRIAL_WINDOW, clock);
    }

    /**
     * @param observed    the monitor's windows, read when a change is applied and when its trial ends
     * @param events      where each ended trial's {@code change_judged} goes
     * @param store       where the trials are kept: written when a change is applied and when its trial ends (what
     *                    cannot be written waits for the next flush)
     * @param trialWindow how long a change is measured before it is judged: one of {@link #TRIAL_WINDOWS}
     */
    public <M extends PlanMonitoringUseCase & Rescheduling> ApplyTuningService(
            TunableCatalog catalog, M monitor, BreakerPort breakers, ObserveMonitoringUseCase observed,
            MonitorEventPort events, TrialStorePort store, Duration trialWindow, Clock clock) {
        this.trials = new TrialBook();
        this.writer = new TrialWriter(store, this, trials, clock);
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        this.plan = monitor;
        this.breakers = Objects.requireNonNull(breakers, "breakers");
        this.observed = Objects.requireNonNull(observed, "observed");
        this.events = Objects.requireNonNull(events, "events");
        if (!TRIAL_WINDOWS.contains(trialWindow)) {
            throw new IllegalArgumentException("a trial window must be one of the monitor's windows " + TRIAL_WINDOWS
                    + ", got " + trialWindow);
        }
        this.trialWindow = trialWindow;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Result apply(Command command) {
        Result r = applyNow(command);
        writer.save();
        return r;
    }

    private synchronized Result applyNow(Command command) {
        Objects.requireNonNull(command, "command");
        List<Change> changes = new ArrayList<>();
        List<ChangeTrial> started = new ArrayList<>();
        Map<ServerId, StatusSnapshot> live = null;
        for (Recommendation r : command.recommendations()) {
            Change c = apply(r, started);
            changes.add(c);
            if (c instanceof Applied a) {
                live = live == null ? live() : live;
                started.add(trials.start(r.server(), r.setting(), a.was(), a.now(), clock.instant(), trialWindow,
                        window(live, r.server())));
            }
        }
        return new Result(clock.instant(), changes, started);
    }

    @Override
    public List<ChangeTrial> judge(boolean stopping) {
        List<ChangeTrial> ended = judgeNow();
        writer.save(); // also what waited while the store was away
        if (stopping) {
            writer.stopRunning();
        }
        return ended;
    }

    private synchronized List<ChangeTrial> judgeNow() {
        Instant now = clock.instant();
        List<ChangeTrial> due = trials.due(now);
        if (due.isEmpty()) {
            return List.of();
        }
        Map<ServerId, StatusSnapshot> live = live();
        List<ChangeTrial> ended = new ArrayList<>();
        for (ChangeTrial t : due) {
            WindowStats after = window(live, t.server());
            TrialJudge.Judgement j = t.judge(after);
            ChangeTrial e = t.end(conclude(t, j), after, j, now);
            trials.ended(e);
            ended.add(e);
        }
        ended.forEach(e -> events.publish(e.event()));
        return ended;
    }

    @Override
    public synchronized List<ChangeTrial> trials() {
        return trials.all();
    }

    /** Rolls a worse change back when the setting still holds its value; how the trial ends. */
    private TrialPhase conclude(ChangeTrial t, TrialJudge.Judgement j) {
        Optional<MonitoredServer> server = catalog.server(t.server());
        if (server.isEmpty() || !current(server.get(), t.setting()).equals(t.now())) {
            return TrialPhase.OVERTAKEN;
        }
        if (j.verdict() != TrialVerdict.WORSE) {
            return TrialPhase.KEPT;
        }
        try {
            set(server.get(), t.setting(), t.was());
        } catch (RuntimeException refused) {
            // the value before the change was in force a window ago: refused now only by a fault; the trial still
            // ends, so it is not tried again every second, and says it was not rolled back
            return TrialPhase.OVERTAKEN;
        }
        return TrialPhase.ROLLED_BACK;
    }

    private Map<ServerId, StatusSnapshot> live() {
        Map<ServerId, StatusSnapshot> byServer = new HashMap<>();
        observed.snapshot().forEach(s -> byServer.put(s.server(), s));
        return byServer;
    }

    private WindowStats window(Map<ServerId, StatusSnapshot> live, ServerId server) {
        return Optional.ofNullable(live.get(server)).flatMap(s -> s.window(trialWindow))
                .orElse(WindowStats.empty(trialWindow));
    }

    private Change apply(Recommendation r, List<ChangeTrial> batch) {
        Objects.requireNonNull(r, "recommendation");
        Setting setting = r.setting();
        if (!setting.settable()) {
            String what = setting == Setting.ADD_INSTANCE ? "configure another instance of its type"
                    : r.proposed();
            return new Skipped(r, Optional.empty(), NEEDS_A_PERSON + ": " + what);
        }
        Optional<MonitoredServer> server = catalog.server(r.server());
        if (server.isEmpty()) {
            return new Skipped(r, Optional.empty(), "no server named " + r.server() + " is watched");
        }
        Value current = current(server.get(), setting);
        Value proposed = r.proposedValue().orElseThrow();
        if (!Optional.of(current).equals(r.currentValue())) {
            return new Skipped(r, Optional.of(current), "changed since the advice: it is " + setting.text(current)
                    + " now, the advice was made from " + r.current() + "; ask for new advice");
        }
        Optional<String> refusal = trials.refusal(r, clock.instant(), NOT_AGAIN_FOR, batch);
        if (refusal.isPresent()) {
            return new Skipped(r, Optional.of(current), refusal.get());
        }
        try {
            set(server.get(), setting, proposed);
        } catch (IllegalArgumentException refused) {
            return new Skipped(r, Optional.of(current), "refused: " + refused.getMessage());
        }
        return new Applied(r, current, proposed);
    }

    /** The value in force now, as the advice reads it. */
    private Value current(MonitoredServer server, Setting setting) {
        ServerId id = server.id();
        switch (setting) {
            case PROBE_TIMEOUT:
                return new Value.Time(server.timeout());
            case PROBE_INTERVAL:
                return new Value.Time(interval(server));
            case BREAKER_SLOW_CALL:
                return new Value.Time(breakers.settings(id).slowCall());
            case BREAKER_FAILURE_RATE:
                return new Value.Percent((int) Math.round(breakers.settings(id).failureRate() * 100));
            case BREAKER_OPEN_DURATION:
                return new Value.Time(breakers.settings(id).openFor());
            default:
                throw new IllegalStateException(setting + " takes no value");
        }
    }

    private Duration interval(MonitoredServer server) {
        return plan.plan().stream().filter(e -> e.server().equals(server.id())).findFirst()
                .map(e -> e.base()).orElse(server.failover().healthCheckInterval());
    }

    private void set(MonitoredServer server, Setting setting, Value proposed) {
        ServerId id = server.id();
        switch (setting) {
            case PROBE_TIMEOUT:
                catalog.replace(server.withTimeout(time(proposed)));
                return;
            case PROBE_INTERVAL:
                monitor.reschedule(id, time(proposed));
                return;
            case BREAKER_SLOW_CALL:
                breakers.reconfigure(id, breakers.settings(id).withSlowCall(time(proposed)));
                return;
            case BREAKER_FAILURE_RATE:
                breakers.reconfigure(id, breakers.settings(id).withFailureRate(((Value.Percent) proposed).fraction()));
                return;
            case BREAKER_OPEN_DURATION:
                breakers.reconfigure(id, breakers.settings(id).withOpenFor(time(proposed)));
                return;
            default:
                throw new IllegalStateException(setting + " takes no value");
        }
    }

    private static Duration time(Value v) {
        return ((Value.Time) v).duration();
    }
}
