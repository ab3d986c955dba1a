package dev.mcphealth.application.recovery;

import dev.mcphealth.application.port.out.WorkSharePort;
import dev.mcphealth.application.port.in.RecoverServersUseCase;
import dev.mcphealth.application.port.in.UnknownServerException;
import dev.mcphealth.application.port.out.BreakerPort;
import dev.mcphealth.application.port.out.MonitorEventPort;
import dev.mcphealth.application.port.out.ServerCatalogPort;
import dev.mcphealth.application.port.out.SessionPort;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ProbeOutcome;
import dev.mcphealth.domain.recovery.RecoveryEpisode;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.TransportKind;
import dev.mcphealth.domain.recovery.RecoveryPhase;
import dev.mcphealth.domain.recovery.RecoveryPolicy;
import dev.mcphealth.application.catalog.StandbyInstances;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.DoubleSupplier;

/**
 * Brings dead or hung servers back, following {@link RecoveryPolicy}: a failure a restart can fix (a process that
 * exited, a refused connection, a timeout, a lost session) starts an episode whose first attempt is due at once; a
 * failed attempt waits the backoff; after maxRetryAttempts it is exhausted and retried slowly; the counter resets
 * after sustained uptime. While an episode is open, only its attempts open sessions (probes and calls do not), so a
 * crash loop is never restarted faster than the backoff. A remote server's probes still reconnect on their own (a
 * reconnect starts nothing), so a healed partition is seen within an interval. With autoRecovery off nothing is
 * restarted.
 * <p>
 * It learns of failures from three places: the session layer at once when a session dies, the monitor after each
 * probe ({@link #observed}), and the resilient client after a call ({@link #failureSeen}). Thread-safe.
 * <p>
 * It counts, per instance, the attempts made since it was built and how they went, and every return of a server
 * that was down within an episode with how long it was down; {@link #progress} reads them with the episode. An attempt
 * by hand on a server that was not down is an attempt, not a return ({@link #attemptNow}).
 * <p>
 * Each server's state is a {@link RecoveryEntry}, changed under its own lock along {@link
 * dev.mcphealth.domain.recovery.RecoveryTransition}'s table; attempts run in {@link RecoveryAttempts}.
 */
public final class RecoveryService implements RecoverServersUseCase, RecoveryGate, FailureObserver, ManualRecovery,
        RecoveryProgress {

    private final MonitorEventPort events;
    private final Clock clock;
    private final DoubleSupplier random;
    private final Map<ServerId, RecoveryEntry> entries = new LinkedHashMap<>();
    private final List<Runnable> wakeups = new CopyOnWriteArrayList<>();
    private final List<RecoveryListener> witnesses = new CopyOnWriteArrayList<>();
    private final RecoveryAttempts attempts;
    private final StandbyInstances standby;
    /** This monitor's share of the servers (a cluster's): recovery touches no other monitor's. */
    private final WorkSharePort share;

    /**
     * @param intervalOverride the watch's --interval, if given (it sets how long "sustained uptime" is)
     * @param random numbers in [0, 1) for the jitter
     * @param standby the pools' standby instances: what is seen of a cold one (a session closed on purpose, or lost
     *                while its calls drained) starts no episode, and no attempt is made
     * @param share this monitor's share of the servers (one of several on a database): only those are recovered
     */
    public RecoveryService(ServerCatalogPort catalog, SessionPort sessions, BreakerPort breakers,
                           MonitorEventPort events, Clock clock, DoubleSupplier random,
                           Optional<Duration> intervalOverride, StandbyInstances standby,
                           WorkSharePort share) {
        this.share = Objects.requireNonNull(share, "share");
        this.standby = Objects.requireNonNull(standby, "standby");
        this.events = Objects.requireNonNull(events);
        this.clock = Objects.requireNonNull(clock);
        this.random = Objects.requireNonNull(random);
        for (MonitoredServer s : catalog.servers()) {
            entries.put(s.id(), new RecoveryEntry(s, intervalOverride.orElse(s.failover().healthCheckInterval())));
        }
        this.attempts = new RecoveryAttempts(Objects.requireNonNull(sessions), Objects.requireNonNull(breakers),
                events, clock, random, witnesses);
        sessions.onSessionLost(this::sessionLost);
    }

    /** A standby instance in service, of this monitor's share. */
    private boolean inService(ServerId server) {
        return standby.probed(server) && share.owns(server);
    }

    /** A session died: the witnesses learn that the server is down, then recovery starts or continues an episode. */
    private void sessionLost(ServerId server, FailureType type, String message) {
        if (!entries.containsKey(server) || !inService(server)) {
            return;
        }
        MonitorEvent.FailureSummary failure = new MonitorEvent.FailureSummary(type, message);
        Instant at = clock.instant();
        witnesses.forEach(w -> w.sessionLost(server, failure, at));
        failureSeen(server, type, message);
    }

    /** {@code listener} hears what recovery does from now on (the composition root registers the monitor). */
    public void reportTo(RecoveryListener witness) {
        witnesses.add(witness);
    }

    @Override
    public void onWork(Runnable wakeup) {
        wakeups.add(wakeup);
    }

    // ---- what others tell it --------------------------------------------------------------------------------

    @Override
    public void failureSeen(ServerId server, FailureType type, String message) {
        if (!inService(server)) {
            return;
        }
        RecoveryEntry e = entry(server);
        RecoveryEntry.Seen seen;
        synchronized (e) {
            RecoveryPhase from = e.phase();
            seen = e.failed(type, message, clock.instant(), random);
            e.movedFrom(from);
        }
        announce(server, seen);
    }

    @Override
    public void observed(ServerId server, ProbeOutcome outcome) {
        if (!inService(server)) {
            return;
        }
        RecoveryEntry e = entry(server);
        Instant now = clock.instant();
        RecoveryEntry.Seen seen = RecoveryEntry.Seen.NOTHING;
        Optional<MonitorEvent> back = Optional.empty();
        synchronized (e) {
            RecoveryPhase from = e.phase();
            if (outcome instanceof ProbeOutcome.Failed f) {
                seen = e.failed(f.type(), f.message(), now, random);
            } else {
                back = e.answered(now);
            }
            e.movedFrom(from);
        }
        back.ifPresent(events::publish);
        announce(server, seen);
    }

    private void announce(ServerId server, RecoveryEntry.Seen seen) {
        seen.began().ifPresent(f -> witnesses.forEach(w -> w.episodeBegan(server, f, clock.instant())));
        seen.exhaustedNow().ifPresent(done -> {
            events.publish(new MonitorEvent.RecoveryExhausted(server, done.attempts(), done.nextAttemptAt(),
                    clock.instant()));
            witnesses.forEach(w -> w.exhausted(server, done.attempts(), done.nextAttemptAt()));
        });
        if (seen.wake()) {
            wakeups.forEach(Runnable::run);
        }
    }

    @Override
    public boolean mayConnect(ServerId server) {
        RecoveryEntry e = entries.get(server);
        if (e == null) {
            return true;
        }
        synchronized (e) {
            return e.mayConnect();
        }
    }

    @Override
    public boolean probeMayConnect(ServerId server) {
        RecoveryEntry e = entries.get(server);
        return e == null || e.server.transport() != TransportKind.STDIO || mayConnect(server);
    }

    @Override
    public Optional<RecoveryEpisode> episode(ServerId server) {
        RecoveryEntry e = entry(server);
        synchronized (e) {
            return Optional.ofNullable(e.episode);
        }
    }

    // ---- attempts -------------------------------------------------------------------------------------------

    @Override
    public List<ServerId> due(int limit) {
        Instant now = clock.instant();
        // each entry's due time is read under its lock: sorting on e.episode outside it could meet an episode that a
        // probe thread just ended (null)
        Map<RecoveryEntry, Instant> ready = new LinkedHashMap<>();
        for (RecoveryEntry e : entries.values()) {
            synchronized (e) {
                if (!e.attempting() && e.episode instanceof RecoveryEpisode.Down d && d.due(now)
                        && inService(e.server.id())) {
                    ready.put(e, d.nextAttemptAt());
                }
            }
        }
        List<RecoveryEntry> byDue = new ArrayList<>(ready.keySet());
        byDue.sort(Comparator.comparing(ready::get));
        List<ServerId> out = new ArrayList<>();
        for (RecoveryEntry e : byDue) {
            if (out.size() >= limit) {
                break;
            }
            synchronized (e) {
                if (e.episode != null && !e.attempting() && e.episode.due(now)) {
                    RecoveryPhase from = e.phase();
                    e.handOut();
                    e.movedFrom(from);
                    out.add(e.server.id());
                }
            }
        }
        return out;
    }

    @Override
    public List<MonitorEvent> attempt(ServerId server) {
        RecoveryEntry e = entry(server);
        RecoveryEntry.Started started;
        synchronized (e) {
            if (e.episode == null || e.episode.up()) {
                RecoveryPhase from = e.phase();
                e.handBack(); // handed out, but the server is back: nothing to do
                e.movedFrom(from);
                return List.of();
            }
            RecoveryPhase from = e.phase();
            started = e.start(clock.instant());
            e.movedFrom(from);
        }
        return attempts.run(e, started, Optional.empty());
    }

    @Override
    public List<MonitorEvent> attemptNow(ServerId server, Optional<String> recoveryTask) {
        return attemptNow(server, false, recoveryTask).raised();
    }

    @Override
    public NowOrLater attemptUnlessRecovering(ServerId server, Optional<String> recoveryTask) {
        return attemptNow(server, true, recoveryTask);
    }

    private NowOrLater attemptNow(ServerId server, boolean unlessDown, Optional<String> recoveryTask) {
        Objects.requireNonNull(recoveryTask, "recoveryTask");
        RecoveryEntry e = entry(server);
        RecoveryEntry.Started started;
        synchronized (e) {
            if (unlessDown && e.episode instanceof RecoveryEpisode.Down down) {
                return new NowOrLater(List.of(), Optional.of(down), e.attempting());
            }
            if (e.attempting()) {
                return new NowOrLater(List.of(), Optional.empty(), true);
            }
            RecoveryPhase from = e.phase();
            e.byHand(clock.instant());
            started = e.start(clock.instant());
            e.movedFrom(from);
        }
        return new NowOrLater(attempts.run(e, started, recoveryTask), Optional.empty(), false);
    }

    @Override
    public Progress progress(ServerId server) {
        RecoveryEntry e = entry(server);
        synchronized (e) {
            return e.progress();
        }
    }

    @Override
    public int attemptsRunning() {
        return RecoverySchedule.attemptsRunning(entries.values());
    }

    @Override
    public Optional<Instant> nextDue() {
        return RecoverySchedule.nextDue(entries.values(), standby);
    }

    private RecoveryEntry entry(ServerId server) {
        RecoveryEntry e = entries.get(server);
        if (e == null) {
            throw new UnknownServerException(new TreeSet<>(List.of(server)), entries.keySet());
        }
        return e;
    }
}
