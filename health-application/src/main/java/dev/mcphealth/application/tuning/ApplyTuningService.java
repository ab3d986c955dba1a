package dev.mcphealth.application.tuning;

import dev.mcphealth.application.port.in.PlanMonitoringUseCase;
import dev.mcphealth.application.monitoring.Rescheduling;
import dev.mcphealth.application.catalog.TunableCatalog;

import dev.mcphealth.application.port.in.ApplyTuningUseCase;
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
 */
public final class ApplyTuningService implements ApplyTuningUseCase {
    static final String NEEDS_A_PERSON = "needs a person";

    private final TunableCatalog catalog;
    private final PlanMonitoringUseCase plan;
    private final Rescheduling monitor;
    private final BreakerPort breakers;
    private final Clock clock;

    public <M extends PlanMonitoringUseCase & Rescheduling> ApplyTuningService(TunableCatalog catalog, M monitor,
                                                                               BreakerPort breakers, Clock clock) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        this.plan = monitor;
        this.breakers = Objects.requireNonNull(breakers, "breakers");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public synchronized Result apply(Command command) {
        Objects.requireNonNull(command, "command");
        List<Change> changes = new ArrayList<>();
        for (Recommendation r : command.recommendations()) {
            changes.add(apply(r));
        }
        return new Result(clock.instant(), changes);
    }

    private Change apply(Recommendation r) {
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
                .map(e -> e.interval()).orElse(server.failover().healthCheckInterval());
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
