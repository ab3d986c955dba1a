package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.ServerId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Automatic recovery: restarts (stdio) or reconnects (HTTP) servers that died or hang, with bounded backoff. The
 * scheduler adapter asks what is {@link #due}, runs each {@link #attempt} on a worker and sleeps until
 * {@link #nextDue}; tests call {@link #runDue} on a test clock.
 */
public interface RecoverServersUseCase {

    /** Servers whose next attempt is due now and not running, at most {@code limit} (restarts are staggered). */
    List<ServerId> due(int limit);

    /** Runs one attempt for the server now (blocking, up to its connect timeout); the events it raised. */
    List<MonitorEvent> attempt(ServerId server);

    /** When the earliest pending attempt is due, if any. */
    Optional<Instant> nextDue();

    /** Runs every attempt due now, one after another. */
    default List<MonitorEvent> runDue() {
        List<MonitorEvent> all = new java.util.ArrayList<>();
        for (ServerId s : due(Integer.MAX_VALUE)) {
            all.addAll(attempt(s));
        }
        return all;
    }

    /** {@code wakeup} is run whenever new work may be due earlier than {@link #nextDue} said before. */
    void onWork(Runnable wakeup);
}
