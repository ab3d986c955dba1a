package dev.mcphealth.application.port.out;

import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import java.util.Optional;

/**
 * The kept sessions with servers, shared by probes and calls: one per server (a stdio server is one process).
 * Thread-safe.
 */
public interface SessionPort {

    /**
     * Closes the server's session if it has one (a stdio server: close its stdin, SIGTERM, SIGKILL after a grace
     * period) and opens a new, initialized one, within the server's connect timeout.
     *
     * @return empty when the new session is up, else why it is not (no secrets)
     */
    Optional<MonitorEvent.FailureSummary> reopen(MonitoredServer server);

    /**
     * Closes the server's session, if it has one, on purpose (a standby instance taken out of service): a stdio server
     * is stopped (stdin closed, SIGTERM, SIGKILL after a grace period) in the background, and no one is told of a
     * loss. The next probe or call that may connect opens a new one.
     */
    void close(ServerId server);

    /** Whether the server has a live session now. */
    boolean isOpen(ServerId server);

    /**
     * Who is told, at once and on the transport's thread, when a live session dies (a process exits, a stream
     * breaks): a SIGKILL is seen without waiting for the next probe.
     */
    void onSessionLost(SessionLossListener listener);

    @FunctionalInterface
    interface SessionLossListener {
        void lost(ServerId server, FailureType type, String message);
    }

    /**
     * Who is told, on the transport's thread, when a server says on a live session that its tools, prompts or
     * resources changed (notifications/tools/list_changed, prompts/list_changed, resources/list_changed). Ports whose
     * sessions never say so keep the default: no one is.
     */
    default void onToolsChanged(ToolsChangeListener listener) {
    }

    @FunctionalInterface
    interface ToolsChangeListener {
        void toolsChanged(ServerId server);
    }
}
