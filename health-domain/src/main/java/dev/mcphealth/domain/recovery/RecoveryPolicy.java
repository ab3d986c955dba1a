package dev.mcphealth.domain.recovery;

import dev.mcphealth.domain.model.FailoverConfig;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.RecoveryAction;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.TransportKind;
import java.time.Duration;
import java.time.Instant;

/**
 * When to try to bring a server back, and when to stop counting. The first attempt is immediate (a crashed process is
 * restarted at once, as systemd and Kubernetes do); attempt {@code n >= 2} waits {@code retryDelay x 2^(n-2)}, capped
 * at {@link #MAX_BACKOFF}, with +/-{@link #JITTER} jitter so that many servers failing together do not restart in
 * step. After {@code maxRetryAttempts} failed attempts the episode is exhausted: an alert, then a slow retry every
 * {@link #SLOW_RETRY} (never a permanent give-up, the peers' most common complaint). The counter resets once the
 * server has stayed up for {@link #resetAfter}. Pure: the caller passes the time and a random number.
 */
public final class RecoveryPolicy {
    /** The longest wait between two attempts of one episode. */
    public static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    /** The wait between attempts once an episode is exhausted. */
    public static final Duration SLOW_RETRY = Duration.ofMinutes(5);
    /** The shortest sustained uptime that ends an episode (ToolHive's 30 s). */
    public static final Duration MIN_UPTIME_TO_RESET = Duration.ofSeconds(30);
    /** Delays vary by up to this fraction either way. */
    public static final double JITTER = 0.2;

    private RecoveryPolicy() {
    }

    /** Whether a restart or reconnect can fix a failure of this type: a dead, unreachable or hung server. */
    public static boolean recoverable(FailureType type) {
        return type == FailureType.CONNECTION_ERROR || type == FailureType.TIMEOUT;
    }

    /**
     * Whether a failed call (not a probe) starts recovery at once: only when the server is gone (a connection error:
     * its process exited, the connection was refused or lost). A call that timed out may be a slow tool on a healthy
     * server: restarting it would kill every other call under way there. The probes, which ask for little (ping),
     * say whether it is hung, and start recovery then.
     */
    public static boolean startedByCall(FailureType type) {
        return type == FailureType.CONNECTION_ERROR;
    }

    /** A stdio server is restarted; a remote one can only be reconnected. */
    public static RecoveryAction actionFor(TransportKind transport) {
        return transport == TransportKind.STDIO ? RecoveryAction.RESTART : RecoveryAction.RECONNECT;
    }

    /**
     * A new episode for a failure seen at {@code now}: its first attempt is due at once, or, when no attempts are
     * configured, it is exhausted from the start and retried slowly.
     */
    public static RecoveryEpisode.Down begin(ServerId server, FailoverConfig config, Instant now, double random) {
        if (config.maxRetryAttempts() == 0) {
            return new RecoveryEpisode.Down(server, now, 0, now.plus(jittered(SLOW_RETRY, random)), true);
        }
        return new RecoveryEpisode.Down(server, now, 0, now, false);
    }

    /** The wait before attempt {@code attempt} (1-based) of an episode, before jitter. */
    public static Duration delayBefore(int attempt, Duration retryDelay) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts count from 1, got " + attempt);
        }
        if (attempt == 1) {
            return Duration.ZERO;
        }
        Duration delay = retryDelay;
        for (int i = 2; i < attempt && delay.compareTo(MAX_BACKOFF) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay;
    }

    /**
     * An attempt just failed: the next one after the backoff, or, when that was the last configured attempt (or the
     * episode was already exhausted), exhausted with a slow retry.
     */
    public static RecoveryEpisode.Down attemptFailed(RecoveryEpisode e, FailoverConfig config, Instant now,
                                                     double random) {
        int attempts = e.attempts() + 1;
        if (e.exhausted() || attempts >= config.maxRetryAttempts()) {
            return new RecoveryEpisode.Down(e.server(), e.startedAt(), attempts,
                    now.plus(jittered(SLOW_RETRY, random)), true);
        }
        Duration wait = jittered(delayBefore(attempts + 1, config.retryDelay()), random);
        return new RecoveryEpisode.Down(e.server(), e.startedAt(), attempts, now.plus(wait), false);
    }

    /** An attempt brought the server back at {@code now}; the counter stays until it has been up long enough. */
    public static RecoveryEpisode.Back attemptSucceeded(RecoveryEpisode e, Instant now) {
        return new RecoveryEpisode.Back(e.server(), e.startedAt(), e.attempts() + 1, e.exhausted(), now);
    }

    /**
     * The server came back by itself (an HTTP server restarted by its owner, or a probe's own reconnect), with no
     * attempt of ours.
     */
    public static RecoveryEpisode cameBack(RecoveryEpisode e, Instant now) {
        return e.up() ? e : new RecoveryEpisode.Back(e.server(), e.startedAt(), e.attempts(), e.exhausted(), now);
    }

    /**
     * The server failed again before the episode ended: the next attempt follows the backoff of the attempts made so
     * far (an exhausted episode keeps retrying slowly). This is what stops a crash loop from restarting at full speed.
     */
    public static RecoveryEpisode.Down relapsed(RecoveryEpisode e, FailoverConfig config, Instant now,
                                                double random) {
        if (e instanceof RecoveryEpisode.Down down) {
            return down;
        }
        Duration wait = e.exhausted() || e.attempts() >= config.maxRetryAttempts()
                ? jittered(SLOW_RETRY, random)
                : jittered(delayBefore(e.attempts() + 1, config.retryDelay()), random);
        boolean exhausted = e.exhausted() || e.attempts() >= config.maxRetryAttempts();
        return new RecoveryEpisode.Down(e.server(), e.startedAt(), e.attempts(), now.plus(wait), exhausted);
    }

    /**
     * How long a server must stay up before its episode ends and its attempt counter resets: two probe intervals, and
     * at least {@link #MIN_UPTIME_TO_RESET}.
     */
    public static Duration resetAfter(Duration interval) {
        Duration twoProbes = interval.multipliedBy(2);
        return twoProbes.compareTo(MIN_UPTIME_TO_RESET) > 0 ? twoProbes : MIN_UPTIME_TO_RESET;
    }

    /** Whether the episode is over at {@code now}: the server has been up for {@link #resetAfter}. */
    public static boolean over(RecoveryEpisode e, Duration interval, Instant now) {
        return e.upSince().filter(up -> !now.isBefore(up.plus(resetAfter(interval)))).isPresent();
    }

    /** {@code delay} scaled by a factor in [1 - JITTER, 1 + JITTER) chosen by {@code random} in [0, 1). */
    static Duration jittered(Duration delay, double random) {
        if (!(random >= 0.0 && random < 1.0)) {
            throw new IllegalArgumentException("random must be in [0, 1), got " + random);
        }
        double factor = 1.0 + JITTER * (2.0 * random - 1.0);
        return Duration.ofNanos(Math.round(delay.toNanos() * factor));
    }
}
