package dev.mcphealth.application.port.out;

import dev.mcphealth.domain.routing.BreakerSettings;
import dev.mcphealth.domain.model.BreakerState;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.ServerId;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * One circuit breaker per server instance, on the injected clock. Fed by real calls (passive health); thread-safe.
 * Every state change is told to the listener given to {@link #onTransition}, on the thread that caused it.
 */
public interface BreakerPort {

    /** Whether a call may go to {@code server} now; if true, the caller must report its outcome or release it. */
    boolean tryAcquire(ServerId server);

    void succeeded(ServerId server, Duration elapsed);

    void failed(ServerId server, Duration elapsed, FailureType type);

    /** A permission taken by {@link #tryAcquire} but not used for a call. */
    void released(ServerId server);

    BreakerState state(ServerId server);

    /** How long until an open breaker lets a trial call through; zero unless it is open. */
    Duration retryAfter(ServerId server);

    /** The server was brought back (restarted, reconnected): an open breaker lets trial calls through at once. */
    void recovered(ServerId server);

    void onTransition(Consumer<MonitorEvent.BreakerChanged> listener);

    /** The settings {@code server}'s breaker runs under now: the configured ones unless {@link #reconfigure}d. */
    BreakerSettings settings(ServerId server);

    /**
     * From now on, until the monitor stops, {@code server}'s breaker runs under {@code settings}; the other servers'
     * breakers keep theirs. Its state carries over (an open breaker stays open, counted from when it opened, for the
     * new open duration), and transitions are told to the same listeners. What else is kept of its history is the
     * adapter's to say.
     */
    void reconfigure(ServerId server, BreakerSettings settings);
}
