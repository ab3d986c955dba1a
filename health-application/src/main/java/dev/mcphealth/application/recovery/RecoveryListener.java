package dev.mcphealth.application.recovery;

import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.RecoveryAction;
import dev.mcphealth.domain.model.ServerId;
import java.time.Instant;

/**
 * Told what recovery did, so that the failure episode and its alert say it. Recovery knows only this interface; the
 * composition root registers the monitor's episode book with {@link RecoveryService#reportTo}.
 */
public interface RecoveryListener {
    void acted(ServerId server, RecoveryAction action);

    void exhausted(ServerId server, int attempts, Instant nextRetryAt);

    /**
     * A recovery episode began: the failure may have been seen outside any probe (a session that died between two
     * probes and was restarted before the next), and must still be recorded once.
     */
    default void episodeBegan(ServerId server, MonitorEvent.FailureSummary failure, Instant at) {
    }

    /**
     * The attempt just begun (after {@link #acted}) is one of a run linked to the orchestrator task
     * {@code recoveryTaskId}: the failure episode it handles is that task's.
     */
    default void handledBy(ServerId server, String recoveryTaskId) {
    }

    /**
     * The session with the server was lost between probes (its process exited, its stream broke), with or without
     * automatic recovery: the server is down from {@code at}, whatever happens before the next probe.
     */
    default void sessionLost(ServerId server, MonitorEvent.FailureSummary failure, Instant at) {
    }

    /** An attempt reopened the server's session at {@code at}: it answers again (its initialize did). */
    default void reopened(ServerId server, Instant at) {
    }
}
