package dev.mcphealth.application.recovery;

import dev.mcphealth.application.port.in.ReadRecoveryStatusUseCase;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.TransportKind;
import dev.mcphealth.domain.recovery.RecoveryEpisode;
import dev.mcphealth.domain.recovery.RecoveryPhase;
import dev.mcphealth.domain.recovery.RecoveryPolicy;
import dev.mcphealth.domain.recovery.RecoveryTransition;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * One server's recovery, as {@link RecoveryService} keeps it: its episode (the domain's {@link RecoveryEpisode}),
 * whether an attempt runs, and the counts {@link RecoveryProgress} reads. Every method runs under this object's lock;
 * each change of phase is checked against {@link RecoveryTransition}'s table by the caller ({@link #movedFrom}).
 */
final class RecoveryEntry {
    final MonitoredServer server;
    final Duration interval;
    RecoveryEpisode episode;
    /** The attempt handed out or running now; empty when none is. */
    private Optional<Attempt> attempt = Optional.empty();
    /** With autoRecovery off, a stdio server that died stays dead: calls never start it again. */
    boolean lostOnce;
    Optional<MonitorEvent.FailureSummary> lastFailure = Optional.empty();
    /** When the server went down in the open episode (its start, or its last relapse); empty while it is not down. */
    private Optional<Instant> downSince = Optional.empty();
    int attemptsMade;
    int attemptsSucceeded;
    int attemptsFailed;
    Optional<Instant> lastAttemptAt = Optional.empty();
    /** Empty while the last attempt runs, or before the first. */
    Optional<Boolean> lastAttemptSucceeded = Optional.empty();
    int recoveries;
    Duration timeToRecover = Duration.ZERO;
    /** An attempt handed out or running: on a server that is down, or asked for by hand while it was not. */
    sealed interface Attempt permits OnDown, OnHealthy {
    }

    /** An attempt on a server that is down. */
    record OnDown() implements Attempt {
    }

    /**
     * An attempt asked for by hand while the server was not down (no open episode, or one whose server was back): it
     * recovers nothing, and on success the episode it ran under gives way to {@code before}.
     */
    record OnHealthy(Optional<RecoveryEpisode> before) implements Attempt {
    }

    RecoveryEntry(MonitoredServer server, Duration interval) {
        this.server = server;
        this.interval = interval;
    }

    RecoveryPhase phase() {
        return RecoveryPhase.of(Optional.ofNullable(episode), attempting());
    }

    /** Whether an attempt is handed out or running. */
    boolean attempting() {
        return attempt.isPresent();
    }

    /** An attempt on the down server is handed out (it runs once taken up). */
    void handOut() {
        attempt = Optional.of(new OnDown());
    }

    /** The attempt handed out is not run: the server came back meanwhile. */
    void handBack() {
        attempt = Optional.empty();
    }

    private boolean onHealthy() {
        return attempt.isPresent() && attempt.get() instanceof OnHealthy;
    }

    /** Checks the change from {@code from} to the phase now against the table. */
    void movedFrom(RecoveryPhase from) {
        RecoveryPhase to = phase();
        if (from != to) {
            RecoveryTransition.between(from, to);
        }
    }

    /**
     * What a failure changed: whether new work may be due ({@code wake}), and the episode if this failure exhausted it
     * (a relapse after the last configured attempt, as in a crash loop: that attempt itself had succeeded, so the
     * attempt did not see the exhaustion).
     */
    record Seen(boolean wake, Optional<RecoveryEpisode.Down> exhaustedNow,
                Optional<MonitorEvent.FailureSummary> began) {
        static final Seen NOTHING = new Seen(false, Optional.empty(), Optional.empty());
    }

    /** A failure of the server: it may begin an episode, or end the uptime of one (a relapse). */
    Seen failed(FailureType type, String message, Instant now, DoubleSupplier random) {
        lastFailure = Optional.of(new MonitorEvent.FailureSummary(type, message));
        if (!RecoveryPolicy.recoverable(type)) {
            return Seen.NOTHING;
        }
        lostOnce = true;
        if (!server.failover().autoRecovery()) {
            return Seen.NOTHING;
        }
        if (episode == null) {
            episode = RecoveryPolicy.begin(server.id(), server.failover(), now, random.getAsDouble());
            downSince = Optional.of(now);
            return new Seen(true, Optional.empty(), lastFailure);
        }
        if (episode.up()) {
            downSince = Optional.of(now);
            boolean wasExhausted = episode.exhausted();
            RecoveryEpisode.Down relapsed = RecoveryPolicy.relapsed(episode, server.failover(), now,
                    random.getAsDouble());
            episode = relapsed;
            return new Seen(true, !wasExhausted && relapsed.exhausted() ? Optional.of(relapsed) : Optional.empty(),
                    Optional.empty());
        }
        return Seen.NOTHING;
    }

    /**
     * A probe answered: the server is back in its episode (counted as a recovery even while an attempt runs: this
     * probe saw it back first), and the episode ends after sustained uptime. The event to publish when it came back
     * without an attempt of ours (a probe reconnected after a healed partition, or it restarted itself).
     */
    Optional<MonitorEvent> answered(Instant now) {
        if (episode == null) {
            return Optional.empty();
        }
        Optional<MonitorEvent> back = Optional.empty();
        // an attempt on a server that was not down opened its episode only to guard the restart: an answer then is
        // no return from down
        if (!episode.up() && !onHealthy()) {
            recovered(now);
            if (!attempting()) {
                back = Optional.of(new MonitorEvent.RecoverySucceeded(server.id(),
                        RecoveryPolicy.actionFor(server.transport()), episode.attempts() + 1,
                        nonNegative(Duration.between(episode.startedAt(), now)), now));
            }
        }
        episode = RecoveryPolicy.cameBack(episode, now);
        if (RecoveryPolicy.over(episode, interval, now)) {
            episode = null; // sustained uptime: the attempt counter starts again from zero
        }
        return back;
    }

    /**
     * Whether a call may open a session itself: only while no episode is open (during one, its attempts reconnect,
     * with their backoff), and for a stdio server with autoRecovery off, never again after it died.
     */
    boolean mayConnect() {
        if (!server.failover().autoRecovery() && server.transport() == TransportKind.STDIO) {
            return !lostOnce;
        }
        return episode == null;
    }

    /**
     * An attempt asked for now, whatever the backoff says. On a server that is not down (no episode, or one whose
     * server is back) an episode guards the restart (calls do not connect meanwhile) and gives way again to the one
     * before when it works; the attempts and exhaustion so far still count if the restart fails (as a relapse would).
     */
    void byHand(Instant now) {
        attempt = Optional.of(episode == null || episode.up() ? new OnHealthy(Optional.ofNullable(episode))
                : new OnDown());
        episode = episode == null ? new RecoveryEpisode.Down(server.id(), now, 0, now, false)
                : new RecoveryEpisode.Down(server.id(), episode.startedAt(), episode.attempts(), now,
                episode.exhausted());
    }

    /** An attempt just counted as made: its number in the episode, and when it began. */
    record Started(int attempt, Instant at) {
    }

    /** Counts the attempt as made and running, with the episode open and down. */
    Started start(Instant now) {
        if (attempt.isEmpty()) {
            attempt = Optional.of(new OnDown());
        }
        attemptsMade++;
        lastAttemptAt = Optional.of(now);
        lastAttemptSucceeded = Optional.empty();
        return new Started(episode.attempts() + 1, now);
    }

    /**
     * How an attempt ended: {@code ended} when its episode ended under it (nothing to report); the episode after it
     * (empty when an attempt on a healthy server succeeded and there was none before); whether the attempt was made on
     * a server that was not down, whether its failure began an episode, and whether it exhausted the episode.
     */
    record Settled(boolean ended, Optional<RecoveryEpisode> after, Instant episodeStart, boolean onHealthy,
                   boolean began, boolean exhaustedNow) {
    }

    /** Books the end of the running attempt: counts, the episode's next step, and the server's down-time. */
    Settled settle(boolean succeeded, Instant now, DoubleSupplier random) {
        boolean wasOnHealthy = onHealthy();
        RecoveryEpisode episodeBefore = attempt.isPresent() && attempt.get() instanceof OnHealthy h
                ? h.before().orElse(null) : null;
        attempt = Optional.empty();
        if (succeeded) {
            attemptsSucceeded++;
        } else {
            attemptsFailed++;
        }
        lastAttemptSucceeded = Optional.of(succeeded);
        if (episode == null) {
            return new Settled(true, Optional.empty(), now, wasOnHealthy, false, false);
        }
        Instant episodeStart = episode.startedAt();
        if (succeeded && wasOnHealthy) {
            // nothing was recovered (it was not down), and nothing is left open that would keep calls from
            // connecting: the episode it was before, if any, and none otherwise
            episode = episodeBefore;
            downSince = Optional.empty();
            return new Settled(false, Optional.ofNullable(episodeBefore), episodeStart, true, false, false);
        }
        boolean wasExhausted = episode.exhausted();
        boolean began = false;
        if (succeeded && downSince.isPresent()) {
            recovered(now);
        } else if (!succeeded && downSince.isEmpty()) {
            downSince = Optional.of(now);
            began = wasOnHealthy && episodeBefore == null;
        }
        episode = succeeded ? RecoveryPolicy.attemptSucceeded(episode, now)
                : RecoveryPolicy.attemptFailed(episode, server.failover(), now, random.getAsDouble());
        return new Settled(false, Optional.of(episode), episodeStart, wasOnHealthy, began,
                !wasExhausted && episode.exhausted());
    }

    /**
     * The episode, attempting flag and attempt counts, read at one moment. The mean time to recover is over every
     * return of the server from down within an episode (by an attempt, or on its own), each measured from when it
     * went down: the episode's start, or the relapse that ended its last uptime.
     */
    RecoveryProgress.Progress progress() {
        Optional<Duration> mttr = recoveries == 0 ? Optional.empty() : Optional.of(timeToRecover.dividedBy(recoveries));
        return new RecoveryProgress.Progress(Optional.ofNullable(episode), attempting(),
                new ReadRecoveryStatusUseCase.Attempts(attemptsMade, attemptsSucceeded, attemptsFailed, lastAttemptAt,
                        lastAttemptSucceeded, recoveries, mttr));
    }

    /** The server is back from down at {@code now}: one more recovery, and how long it took. */
    private void recovered(Instant now) {
        Instant down = downSince.orElse(episode.startedAt());
        recoveries++;
        timeToRecover = timeToRecover.plus(nonNegative(Duration.between(down, now)));
        downSince = Optional.empty();
    }

    static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
