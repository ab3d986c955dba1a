package dev.mcphealth.application.recovery;

import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.recovery.RecoveryEpisode;
import java.util.Optional;

/**
 * Who may open a session to a server now, as recovery sees it: while an episode is open only its attempts reconnect,
 * so a crash loop is never restarted faster than the backoff. Asked by probes, calls and on-demand checks.
 */
public interface RecoveryGate {
    /**
     * Whether a call may open a session to the server itself: only while no episode is open, and for a stdio server
     * with autoRecovery off, never again after it died (nothing restarts it automatically then).
     */
    boolean mayConnect(ServerId server);

    /**
     * Whether a probe may open a session itself: as {@link #mayConnect}, and always for a remote server (connecting
     * starts nothing, and a probe that reconnects is how a healed partition is seen within one interval).
     */
    boolean probeMayConnect(ServerId server);

    /** The server's open episode, if any. */
    Optional<RecoveryEpisode> episode(ServerId server);
}
