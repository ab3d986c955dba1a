package dev.mcphealth.domain.recovery;

import java.util.Optional;

/**
 * Where recovery stands with one server, in one word: the states of {@link RecoveryTransition}'s table. An attempt
 * that runs is its own phase whatever the episode under it (a probe may see the server back while a restart runs,
 * and the attempt still ends as an attempt).
 */
public enum RecoveryPhase {
    /** No episode: the server is up, or never failed in a way a restart can fix. */
    UP,
    /** Down in an episode, the next attempt due at a time (after the backoff). */
    WAITING,
    /** Down after all of the configured attempts failed: retried slowly. */
    EXHAUSTED,
    /** Back in an episode, until it has stayed up long enough for the attempt counter to reset. */
    PROBATION,
    /** An attempt runs (or is handed out to run). */
    ATTEMPTING;

    /** The phase of an entry with {@code episode} open (or none) and an attempt running or not. */
    public static RecoveryPhase of(Optional<RecoveryEpisode> episode, boolean attempting) {
        if (attempting) {
            return ATTEMPTING;
        }
        if (episode.isEmpty()) {
            return UP;
        }
        if (episode.get() instanceof RecoveryEpisode.Back) {
            return PROBATION;
        }
        return episode.get().exhausted() ? EXHAUSTED : WAITING;
    }
}
