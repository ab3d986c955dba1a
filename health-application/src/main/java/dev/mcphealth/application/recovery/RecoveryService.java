package dev.mcphealth.application.recovery;

import dev.mcphealth.application.port.in.ReadRecoveryStatusUseCase;
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
import dev.mcphealth.domain.model.RecoveryAction;
import dev.mcphealth.domain.recovery.RecoveryEpisode;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.TransportKind;
import dev.mcphealth.domain.recovery.RecoveryPhase;
import dev.mcphealth.domain.recovery.RecoveryPolicy;
import dev.mcphealth.domain.recovery.RecoveryTransition;
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
 * An attempt whose reopen throws (a bug, or the probe closed at shutdown) is booked as a failed attempt, with its
 * backoff, and is no longer running; the exception goes on to the caller.
 */
public final class RecoveryService implements RecoverServersUseCase, RecoveryGate, FailureObserver, ManualRecovery,
        RecoveryProgress {

    private static final class Entry {
        final MonitoredServer server;
        final Duration interval;
        RecoveryEpisode episode;
        boolean attempting;
        boolean lostOnce;
        Optional<MonitorEvent.FailureSummary> lastFailure = Optional.empty();
        /** When the server went down in the open episode (its start, or its last relapse); null while it is up. */
        Instant downSince;
        int attemptsMade;
        int attemptsSucceeded;
        int attemptsFailed;
        Optional<Instant> lastAttemptAt = Optional.empty();
        /** Empty while the last attempt runs, or before the first. */
        Optional<Boolean> lastAttemptSucceeded = Optional.empty();
        int recoveries;
        Duration timeToRecover = Duration.ZERO;
        /**
         * The running attempt was asked for by hand while the server was not down ({@link #attemptNow} with no open
         * episode, or one whose server was back): it recovers nothing, and on success the episode it ran under gives
         * way to {@link #before}.
         */
        boolean onHealthy;
        /** The episode before an attempt {@link #onHealthy}: none, or one whose server was back. */
        RecoveryEpisode before;

        Entry(MonitoredServer server, Duration interval) {
            this.server = server;
            this.interval = interval;
        }

        RecoveryPhase phase() {
            return RecoveryPhase.of(Optional.ofNullable(episode), attempting);
        }

        /** Checks the change from {@code from} to the phase now against the table. Under the entry's lock. */
        void movedFrom(RecoveryPhase from) {
            RecoveryPhase to = phase();
            if (from != to) {
                RecoveryTransition.between(from, to);
            }
        }
    }

    private final SessionPort sessions;
    private final BreakerPort breakers;
    private final MonitorEventPort events;
    private final Clock clock;
    private final DoubleSupplier random;
    private final Map<ServerId, Entry> entries = new LinkedHashMap<>();
    private final List<Runnable> wakeups = new CopyOnWriteArrayList<>();
    private final List<RecoveryListener> witnesses = new CopyOnWriteArrayList<>();

    /**
     * @param intervalOverride the watch's --interval, if given (it sets how long "sustained uptime" is)
     * @param random numbers in [0, 1) for the jitter
     */
    public RecoveryService(ServerCatalogPort catalog, SessionPort sessions, BreakerPort breakers,
                           MonitorEventPort events, Clock clock, DoubleSupplier random,
                           Optional<Duration> intervalOverride) {
        this.sessions = Objects.requireNonNull(sessions);
        this.breakers = Objects.requireNonNull(breakers);
        this.events = Objects.requireNonNull(events);
        this.clock = Objects.requireNonNull(clock);
        this.random = Objects.requireNonNull(random);
        for (MonitoredServer s : catalog.servers()) {
            entries.put(s.id(), new Entry(s, intervalOverride.orElse(s.failover().healthCheckInterval())));
        }
        sessions.onSessionLost(this::sessionLost);
    }

    /** A session died: the witnesses learn that the server is down, then recovery starts or continues an episode. */
    private void sessionLost(ServerId server, FailureType type, String message) {
        if (!entries.containsKey(server)) {
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

    /** A failure seen outside a probe: a session died, a call failed. Starts or continues an episode. */
    public void failureSeen(ServerId server, FailureType type, String message) {
        Entry e = entry(server);
        Seen seen;
        synchronized (e) {
            RecoveryPhase from = e.phase();
            seen = failed(e, type, message, clock.instant());
            e.movedFrom(from);
        }
        announce(server, seen);
    }

    /** After each probe: failures may start an episode, answers may show the server back, or end the episode. */
    public void observed(ServerId server, ProbeOutcome outcome) {
        Entry e = entry(server);
        Instant now = clock.instant();
        Seen seen = Seen.NOTHING;
        Optional<MonitorEvent> back = Optional.empty();
        synchronized (e) {
            RecoveryPhase from = e.phase();
            if (outcome instanceof ProbeOutcome.Failed f) {
                seen = failed(e, f.type(), f.message(), now);
            } else if (e.episode != null) {
                // an attempt on a server that was not down opened its episode only to guard the restart: an answer
                // then is no return from down
                if (!e.episode.up() && !e.onHealthy) {
                    recovered(e, now); // counted here even while an attempt runs: this probe saw it back first
                    if (!e.attempting) {
                        // back without an attempt of ours: a probe reconnected (a healed partition) or it restarted
                        // itself
                        back = Optional.of(new MonitorEvent.RecoverySucceeded(server,
                                RecoveryPolicy.actionFor(e.server.transport()), e.episode.attempts() + 1,
                                nonNegative(Duration.between(e.episode.startedAt(), now)), now));
                    }
                }
                e.episode = RecoveryPolicy.cameBack(e.episode, now);
                if (RecoveryPolicy.over(e.episode, e.interval, now)) {
                    e.episode = null; // sustained uptime: the attempt counter starts again from zero
                }
            }
            e.movedFrom(from);
        }
        back.ifPresent(events::publish);
        announce(server, seen);
    }

    /**
     * What a failure changed: whether new work may be due ({@code wake}), and the episode if this failure exhausted it
     * (a relapse after the last configured attempt, as in a crash loop: that attempt itself had succeeded, so
     * {@link #attempt} did not see the exhaustion).
     */
    private record Seen(boolean wake, Optional<RecoveryEpisode.Down> exhaustedNow,
                        Optional<MonitorEvent.FailureSummary> began) {
        static final Seen NOTHING = new Seen(false, Optional.empty(), Optional.empty());
    }

    private void announce(ServerId server, Seen seen) {
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

    /**
     * Whether a call may open a session to the server itself: only while no episode is open (during one, the
     * episode's attempts reconnect, with their backoff, and a call fails fast instead of waiting on a dead host), and
     * for a stdio server with autoRecovery off, never again after it died (nothing restarts it automatically then).
     */
    public boolean mayConnect(ServerId server) {
        Entry e = entries.get(server);
        if (e == null) {
            return true;
        }
        synchronized (e) {
            if (!e.server.failover().autoRecovery() && e.server.transport() == TransportKind.STDIO) {
                return !e.lostOnce;
            }
            return e.episode == null;
        }
    }

    /**
     * Whether a probe may open a session itself: as {@link #mayConnect}, and always for a remote server (connecting
     * starts nothing, and a probe that reconnects is how a healed partition is seen within one interval).
     */
    public boolean probeMayConnect(ServerId server) {
        Entry e = entries.get(server);
        return e == null || e.server.transport() != TransportKind.STDIO || mayConnect(server);
    }

    /** The current episode of a server, if one is open. */
    public Optional<RecoveryEpisode> episode(ServerId server) {
        Entry e = entry(server);
        synchronized (e) {
            return Optional.ofNullable(e.episode);
        }
    }

    private Seen failed(Entry e, FailureType type, String message, Instant now) {
        e.lastFailure = Optional.of(new MonitorEvent.FailureSummary(type, message));
        if (!RecoveryPolicy.recoverable(type)) {
            return Seen.NOTHING;
        }
        e.lostOnce = true;
        if (!e.server.failover().autoRecovery()) {
            return Seen.NOTHING;
        }
        if (e.episode == null) {
            e.episode = RecoveryPolicy.begin(e.server.id(), e.server.failover(), now, random.getAsDouble());
            e.downSince = now;
            return new Seen(true, Optional.empty(), e.lastFailure);
        }
        if (e.episode.up()) {
            e.downSince = now;
            boolean wasExhausted = e.episode.exhausted();
            RecoveryEpisode.Down relapsed = RecoveryPolicy.relapsed(e.episode, e.server.failover(), now,
                    random.getAsDouble());
            e.episode = relapsed;
            return new Seen(true, !wasExhausted && relapsed.exhausted() ? Optional.of(relapsed) : Optional.empty(),
                    Optional.empty());
        }
        return Seen.NOTHING;
    }

    // ---- attempts -------------------------------------------------------------------------------------------

    @Override
    public List<ServerId> due(int limit) {
        Instant now = clock.instant();
        // each entry's due time is read under its lock: sorting on e.episode outside it could meet an episode that a
        // probe thread just ended (null)
        Map<Entry, Instant> ready = new LinkedHashMap<>();
        for (Entry e : entries.values()) {
            synchronized (e) {
                if (!e.attempting && e.episode instanceof RecoveryEpisode.Down d && d.due(now)) {
                    ready.put(e, d.nextAttemptAt());
                }
            }
        }
        List<Entry> byDue = new ArrayList<>(ready.keySet());
        byDue.sort(Comparator.comparing(ready::get));
        List<ServerId> out = new ArrayList<>();
        for (Entry e : byDue) {
            if (out.size() >= limit) {
                break;
            }
            synchronized (e) {
                if (e.episode != null && !e.attempting && e.episode.due(now)) {
                    RecoveryPhase from = e.phase();
                    e.attempting = true;
                    e.movedFrom(from);
                    out.add(e.server.id());
                }
            }
        }
        return out;
    }

    @Override
    public List<MonitorEvent> attempt(ServerId server) {
        Entry e = entry(server);
        Started started;
        synchronized (e) {
            if (e.episode == null || e.episode.up()) {
                RecoveryPhase from = e.phase();
                e.attempting = false; // handed out, but the server is back: nothing to do
                e.movedFrom(from);
                return List.of();
            }
            RecoveryPhase from = e.phase();
            started = start(e);
            e.movedFrom(from);
        }
        return run(e, started, Optional.empty());
    }

    /** An attempt just counted as made: its number in the episode, and when it began. */
    private record Started(int attempt, Instant at) {
    }

    /** Counts the attempt as made and running. Under e's lock, with e.episode open and down. */
    private Started start(Entry e) {
        e.attempting = true;
        e.attemptsMade++;
        Instant now = clock.instant();
        e.lastAttemptAt = Optional.of(now);
        e.lastAttemptSucceeded = Optional.empty();
        return new Started(e.episode.attempts() + 1, now);
    }

    /**
     * Runs the attempt {@link #start}ed: the reopen, then its booking and events. Outside e's lock. {@code recoveryTask}:
     * the orchestrator task of the linked run that asked for it, told to the witnesses with the action.
     */
    private List<MonitorEvent> run(Entry e, Started started, Optional<String> recoveryTask) {
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
                    settle(e, false, clock.instant());
                    e.movedFrom(from);
                }
            }
        }
        Instant now = clock.instant();
        Settled settled;
        synchronized (e) {
            RecoveryPhase from = e.phase();
            settled = settle(e, failure.isEmpty(), now);
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
                    nonNegative(Duration.between(from, now)), now));
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

    /**
     * How an attempt ended, booked under the entry's lock: {@code ended} when its episode ended under it (nothing to
     * report); the episode after it (empty when an attempt on a healthy server succeeded and there was none before);
     * whether the attempt was made on a server that was not down, whether its failure began an episode, and whether
     * it exhausted the episode.
     */
    private record Settled(boolean ended, Optional<RecoveryEpisode> after, Instant episodeStart, boolean onHealthy,
                           boolean began, boolean exhaustedNow) {
    }

    /** Books the end of the running attempt: counts, the episode's next step, and the server's down-time. */
    private Settled settle(Entry e, boolean succeeded, Instant now) {
        boolean onHealthy = e.onHealthy;
        RecoveryEpisode before = e.before;
        e.onHealthy = false;
        e.before = null;
        e.attempting = false;
        if (succeeded) {
            e.attemptsSucceeded++;
        } else {
            e.attemptsFailed++;
        }
        e.lastAttemptSucceeded = Optional.of(succeeded);
        if (e.episode == null) {
            return new Settled(true, Optional.empty(), now, onHealthy, false, false);
        }
        Instant episodeStart = e.episode.startedAt();
        if (succeeded && onHealthy) {
            // nothing was recovered (it was not down), and nothing is left open that would keep calls from
            // connecting: the episode it was before, if any, and none otherwise
            e.episode = before;
            e.downSince = null;
            return new Settled(false, Optional.ofNullable(before), episodeStart, true, false, false);
        }
        boolean wasExhausted = e.episode.exhausted();
        boolean began = false;
        if (succeeded && e.downSince != null) {
            recovered(e, now);
        } else if (!succeeded && e.downSince == null) {
            e.downSince = now;
            began = onHealthy && before == null;
        }
        e.episode = succeeded ? RecoveryPolicy.attemptSucceeded(e.episode, now)
                : RecoveryPolicy.attemptFailed(e.episode, e.server.failover(), now, random.getAsDouble());
        return new Settled(false, Optional.of(e.episode), episodeStart, onHealthy, began,
                !wasExhausted && e.episode.exhausted());
    }

    /**
     * One attempt now, whatever the backoff says (by hand, or the coordinator). On a server recovery has down in an
     * open episode, it is an attempt of that episode. On a server that is not down (no episode, or one whose server is
     * back) it is counted as an attempt made and how it went, but it recovers nothing: no episode recovered, nothing
     * in the mean time to recover; while it runs an episode guards the restart (probes and calls do not reconnect),
     * and when it works that episode goes again (the one before it, if any). When it fails, the server is down from
     * then: its episode goes on with the backoff. Nothing is done while an attempt of the server runs. The events it
     * raised (none when nothing was done).
     */
    public List<MonitorEvent> attemptNow(ServerId server) {
        return attemptNow(server, Optional.empty());
    }

    /**
     * As {@link #attemptNow(ServerId)}, for a run linked to the orchestrator task {@code recoveryTask} (if any): the
     * failure episode the attempt handles records that task ({@link Witness#handledBy}).
     */
    public List<MonitorEvent> attemptNow(ServerId server, Optional<String> recoveryTask) {
        return attemptNow(server, false, recoveryTask).raised();
    }

    /**
     * As {@link #attemptNow}, unless recovery already has the server down in an open episode: then nothing is done
     * (its attempts follow their backoff, and a failure seen meanwhile must not restart a crash loop faster) and the
     * episode is returned, read under the same lock as the decision.
     */
    public NowOrLater attemptUnlessRecovering(ServerId server) {
        return attemptUnlessRecovering(server, Optional.empty());
    }

    /**
     * As {@link #attemptUnlessRecovering(ServerId)}, for a run linked to the orchestrator task {@code recoveryTask}
     * (if any): an attempt it makes links the failure episode it handles to that task; when it leaves the server to
     * its episode, it handled nothing and links nothing.
     */
    public NowOrLater attemptUnlessRecovering(ServerId server, Optional<String> recoveryTask) {
        return attemptNow(server, true, recoveryTask);
    }

    private NowOrLater attemptNow(ServerId server, boolean unlessDown, Optional<String> recoveryTask) {
        Objects.requireNonNull(recoveryTask, "recoveryTask");
        Entry e = entry(server);
        Started started;
        synchronized (e) {
            if (unlessDown && e.episode instanceof RecoveryEpisode.Down down) {
                return new NowOrLater(List.of(), Optional.of(down), e.attempting);
            }
            if (e.attempting) {
                return new NowOrLater(List.of(), Optional.empty(), true);
            }
            Instant now = clock.instant();
            RecoveryPhase from = e.phase();
            if (e.episode == null || e.episode.up()) {
                e.onHealthy = true;
                e.before = e.episode;
                // an episode guards the restart (calls do not connect meanwhile); the attempts and exhaustion so far
                // still count if the restart fails (as a relapse would)
                e.episode = e.episode == null ? new RecoveryEpisode.Down(server, now, 0, now, false)
                        : new RecoveryEpisode.Down(server, e.episode.startedAt(), e.episode.attempts(), now,
                        e.episode.exhausted());
            } else {
                e.episode = new RecoveryEpisode.Down(server, e.episode.startedAt(), e.episode.attempts(), now,
                        e.episode.exhausted());
            }
            started = start(e);
            e.movedFrom(from);
        }
        return new NowOrLater(run(e, started, recoveryTask), Optional.empty(), false);
    }

    /**
     * The server's episode, attempting flag and attempt counts, read under one lock so that they agree. The mean time
     * to recover is over every return of the server from down within an episode (by an attempt, or on its own), each
     * measured from when it went down: the episode's start, or the relapse that ended its last uptime.
     *
     * @throws UnknownServerException if the server is not monitored
     */
    public Progress progress(ServerId server) {
        Entry e = entry(server);
        synchronized (e) {
            Optional<Duration> mttr = e.recoveries == 0 ? Optional.empty()
                    : Optional.of(e.timeToRecover.dividedBy(e.recoveries));
            return new Progress(Optional.ofNullable(e.episode), e.attempting,
                    new ReadRecoveryStatusUseCase.Attempts(e.attemptsMade, e.attemptsSucceeded, e.attemptsFailed,
                            e.lastAttemptAt, e.lastAttemptSucceeded, e.recoveries, mttr));
        }
    }

    /** How many servers have a recovery attempt running now (or handed out by {@link #due} to run). */
    public int attemptsRunning() {
        int running = 0;
        for (Entry e : entries.values()) {
            synchronized (e) {
                if (e.attempting) {
                    running++;
                }
            }
        }
        return running;
    }

    /** The server is back from down at {@code now}: one more recovery, and how long it took. Under e's lock. */
    private static void recovered(Entry e, Instant now) {
        Instant down = e.downSince != null ? e.downSince : e.episode.startedAt();
        e.recoveries++;
        e.timeToRecover = e.timeToRecover.plus(nonNegative(Duration.between(down, now)));
        e.downSince = null;
    }

    @Override
    public Optional<Instant> nextDue() {
        Optional<Instant> next = Optional.empty();
        for (Entry e : entries.values()) {
            synchronized (e) {
                if (!e.attempting && e.episode instanceof RecoveryEpisode.Down d
                        && next.filter(n -> !d.nextAttemptAt().isBefore(n)).isEmpty()) {
                    next = Optional.of(d.nextAttemptAt());
                }
            }
        }
        return next;
    }

    private void publish(List<MonitorEvent> raised, MonitorEvent event) {
        raised.add(event);
        events.publish(event);
    }

    private Entry entry(ServerId server) {
        Entry e = entries.get(server);
        if (e == null) {
            throw new UnknownServerException(new TreeSet<>(List.of(server)), entries.keySet());
        }
        return e;
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
