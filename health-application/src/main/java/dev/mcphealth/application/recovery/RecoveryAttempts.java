package dev.mcphealth.application.recovery;

import dev.mcphealth.application.port.out.BreakerPort;
import dev.mcphealth.application.port.out.MonitorEventPort;
import dev.mcphealth.application.port.out.SessionPort;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.RecoveryAction;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.recovery.RecoveryEpisode;
import dev.mcphealth.domain.recovery.RecoveryPhase;
import dev.mcphealth.domain.recovery.RecoveryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * Runs one recovery attempt: tells the listeners, reopens the session (a restart for stdio, a reconnect for a remote
 * server) outside the entry's lock, books the outcome under it, and raises its events. An attempt whose reopen throws
 * (a bug, or the probe closed at shutdown) is booked as a failed attempt, with its backoff; the exception goes on.
 */
final class RecoveryAttempts {
    private final SessionPort sessions;
    private final BreakerPort breakers;
    private final MonitorEventPort events;
    private final Clock clock;
    private final DoubleSupplier random;
    private final List<RecoveryListener> witnesses;

    RecoveryAttempts(SessionPort sessions, BreakerPort breakers, MonitorEventPort events, Clock clock,
                     DoubleSupplier random, List<RecoveryListener> witnesses) {
        this.sessions = sessions;
        this.breakers = breakers;
        this.events = events;
        this.clock = clock;
        this.random = random;
        this.witnesses = witnesses;
    }

    /**
     * Runs an attempt {@link RecoveryEntry#start started}: the reopen, then its booking and events. Outside e's lock. {@code recoveryTask}:
     * the orchestrator task of the linked run that asked for it, told to the witnesses with the action.
     */
    List<MonitorEvent> run(RecoveryEntry e, RecoveryEntry.Started started, Optional<String> recoveryTask) {
        ServerId server = e.server.id();
        RecoveryAction action = RecoveryPolicy.actionFor(e.server.transport());
        int attempt = started.attempt();
        Instant startedAt = started.at();
        List<MonitorEvent> raised = new ArrayList<>();
        Optional<MonitorEvent.FailureSummary> failure = Optional.empty();
        boolean reopened = false;
        try {
            publish(raised, new MonitorEvent.RecoveryStarted(server, action, attempt, startedAt));
            witnesses.forEach(w -> w.acted(server, action));
            recoveryTask.ifPresent(task -> witnesses.forEach(w -> w.handledBy(server, task)));
            failure = sessions.reopen(e.server);
            reopened = true;
        } finally {
            if (!reopened) {
                // the reopen (or a listener) threw, say because the probe is closed at shutdown: a failed attempt,
                // with its backoff, and no longer running; the exception goes on to the caller
                synchronized (e) {
                    RecoveryPhase from = e.phase();
                    e.settle(false, clock.instant(), random);
                    e.movedFrom(from);
                }
            }
        }
        Instant now = clock.instant();
        RecoveryEntry.Settled settled;
        synchronized (e) {
            RecoveryPhase from = e.phase();
            settled = e.settle(failure.isEmpty(), now, random);
            e.movedFrom(from);
        }
        if (settled.ended()) {
            return raised;
        }
        if (failure.isEmpty()) {
            breakers.recovered(server);
            witnesses.forEach(w -> w.reopened(server, now));
            // after an attempt on a server that was not down, the resolution is how long the restart took
            Instant from = settled.onHealthy() ? startedAt : settled.episodeStart();
            publish(raised, new MonitorEvent.RecoverySucceeded(server, action, attempt,
                    RecoveryEntry.nonNegative(Duration.between(from, now)), now));
            return raised;
        }
        if (!(settled.after().orElseThrow() instanceof RecoveryEpisode.Down after)) {
            throw new IllegalStateException("a failed attempt leaves its server down");
        }
        publish(raised, new MonitorEvent.RecoveryFailed(server, action, attempt, failure.get(),
                after.nextAttemptAt(), now));
        if (settled.began()) {
            MonitorEvent.FailureSummary why = failure.get();
            witnesses.forEach(w -> w.episodeBegan(server, why, now));
        }
        if (settled.exhaustedNow()) {
            publish(raised, new MonitorEvent.RecoveryExhausted(server, after.attempts(), after.nextAttemptAt(),
                    now));
            witnesses.forEach(w -> w.exhausted(server, after.attempts(), after.nextAttemptAt()));
        }
        return raised;
    }

    private void publish(List<MonitorEvent> raised, MonitorEvent event) {
        raised.add(event);
        events.publish(event);
    }
}
