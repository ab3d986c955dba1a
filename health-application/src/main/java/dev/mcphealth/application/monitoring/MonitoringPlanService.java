package dev.mcphealth.application.monitoring;

import dev.mcphealth.application.port.in.FlushMonitoringUseCase;
import dev.mcphealth.application.port.in.MonitoringRound;
import dev.mcphealth.application.port.in.PlanMonitoringUseCase;
import dev.mcphealth.application.port.in.RunMonitoringRoundUseCase;
import dev.mcphealth.application.port.in.RunScheduledProbeUseCase;
import dev.mcphealth.application.port.in.UnknownServerException;
import dev.mcphealth.domain.model.FailoverConfig;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.ServerId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * When each server is probed: the plan (servers and their intervals) the scheduler adapter follows, a change of
 * interval while running (tuning), and one synchronous round of every server due by the injected clock, which is what
 * simulation tests drive.
 */
public final class MonitoringPlanService implements PlanMonitoringUseCase, RunMonitoringRoundUseCase, Rescheduling {
    private final MonitorState state;
    private final RunScheduledProbeUseCase probes;
    private final FlushMonitoringUseCase flusher;

    MonitoringPlanService(MonitorState state, RunScheduledProbeUseCase probes, FlushMonitoringUseCase flusher) {
        this.state = state;
        this.probes = probes;
        this.flusher = flusher;
    }

    /** Each server and the interval it is probed at now, changed ones ({@link #reschedule}) included. */
    @Override
    public List<Entry> plan() {
        return state.all().stream().map(MonitoringPlanService::entryOf).toList();
    }

    @Override
    public java.util.Optional<Entry> entry(ServerId server) {
        return state.find(server).map(MonitoringPlanService::entryOf);
    }

    private static Entry entryOf(ServerMonitor m) {
        return new Entry(m.server.id(), m.probedEvery(), m.interval);
    }

    /**
     * Probes {@code server} every {@code interval} from its next probe on, until the monitor stops: the plan says so
     * at once; a round computes the due time after the one already set with it, and the scheduler adapter, which reads
     * the plan whenever it schedules a server's next probe, likewise. Failure rows and the status board show it. The
     * forecasts keep the time constants of the interval they began with, and recovery its configured idea of sustained
     * uptime.
     *
     * @return the interval it replaced
     * @throws UnknownServerException if the monitor does not watch {@code server}
     * @throws IllegalArgumentException if {@code interval} is outside what the configuration allows (1 s to 1 day)
     */
    @Override
    public Duration reschedule(ServerId server, Duration interval) {
        if (interval == null || interval.compareTo(FailoverConfig.MIN_INTERVAL) < 0
                || interval.compareTo(FailoverConfig.MAX_INTERVAL) > 0) {
            throw new IllegalArgumentException("a probe interval must be 1 s..1 d, got " + interval);
        }
        ServerMonitor m = state.monitor(server);
        synchronized (m) {
            Duration before = m.interval;
            m.interval = interval;
            if (!before.equals(interval)) {
                state.changedStatuses.add(server);
            }
            return before;
        }
    }

    @Override
    public synchronized void stretch(ServerId server, java.util.Optional<Duration> stretched) {
        if (stretched.isPresent() && (stretched.get().compareTo(FailoverConfig.MIN_INTERVAL) < 0
                || stretched.get().compareTo(FailoverConfig.MAX_INTERVAL) > 0)) {
            throw new IllegalArgumentException("a probe interval must be 1 s..1 d, got " + stretched.get());
        }
        ServerMonitor m = state.monitor(server);
        synchronized (m) {
            Duration before = m.probedEvery();
            m.stretched = stretched.orElse(null);
            Duration after = m.probedEvery();
            if (!before.equals(after)) {
                state.changedStatuses.add(server);
            }
            if (after.compareTo(before) < 0 && m.nextDue != null) {
                // sooner: the next probe at most one new interval after the last (a round's own schedule)
                Instant sooner = m.nextDue.minus(before).plus(after);
                m.nextDue = sooner.isBefore(m.nextDue) ? sooner : m.nextDue;
            }
        }
    }

    @Override
    public synchronized MonitoringRound run() {
        Instant now = state.clock.instant();
        List<ServerId> probed = new ArrayList<>();
        List<MonitorEvent> raised = new ArrayList<>();
        for (ServerMonitor m : state.all()) {
            if (m.nextDue.isAfter(now)) {
                continue;
            }
            Instant scheduled = m.nextDue;
            Duration interval = m.probedEvery();
            int missed = 0;
            Instant next = scheduled.plus(interval);
            while (!next.isAfter(now)) {
                next = next.plus(interval);
                missed++;
            }
            m.nextDue = next;
            raised.addAll(probes.probe(new RunScheduledProbeUseCase.Command(m.server.id(),
                    scheduled.plus(interval.multipliedBy(missed)), missed)));
            probed.add(m.server.id());
        }
        return new MonitoringRound(now, probed, raised, flusher.flush());
    }
}
