package dev.mcphealth.application.testkit;

import dev.mcphealth.application.port.out.BreakerPort;
import dev.mcphealth.domain.routing.BreakerSettings;
import dev.mcphealth.domain.model.BreakerState;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.ServerId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Test double for {@link BreakerPort}: a small consecutive-failures breaker per server on the injected (test) clock.
 * {@code tripAfter} failures in a row open it for {@code openFor}; then it is half-open and lets one trial call
 * through, whose outcome closes or re-opens it; {@link #recovered} half-opens an open breaker at once. The real
 * breaker is Resilience4j's, in infrastructure; this one is only as rich as the services' tests need, and held to
 * what the real one does by {@code BreakerContract} (a rate-limited call, for one, is no failure in either).
 */
public final class FakeBreakers implements BreakerPort {
    private final Clock clock;
    private final BreakerSettings configured;
    private final Map<ServerId, Breaker> breakers = new HashMap<>();
    private final Map<ServerId, BreakerSettings> reconfigured = new HashMap<>();
    private final List<Consumer<MonitorEvent.BreakerChanged>> listeners = new CopyOnWriteArrayList<>();
    private final List<MonitorEvent.BreakerChanged> transitions = new CopyOnWriteArrayList<>();

    private static final class Breaker {
        BreakerState state = BreakerState.CLOSED;
        int failuresInARow;
        Instant openedAt;
        boolean trialOut;
    }

    public FakeBreakers(Clock clock, int tripAfter, Duration openFor) {
        this(clock, new BreakerSettings(0.5, 10, Duration.ofSeconds(60), tripAfter, Duration.ofSeconds(10), 1.0,
                openFor, 1));
    }

    /** Trips on {@code settings.consecutiveFailures()} in a row and stays open {@code settings.openFor()}. */
    public FakeBreakers(Clock clock, BreakerSettings settings) {
        this.clock = clock;
        this.configured = settings;
    }

    @Override
    public synchronized BreakerSettings settings(ServerId server) {
        return reconfigured.getOrDefault(server, configured);
    }

    /** Only the run of failures and the open duration matter here; the state carries over. */
    @Override
    public synchronized void reconfigure(ServerId server, BreakerSettings settings) {
        reconfigured.put(server, settings);
    }

    private int tripAfter(ServerId server) {
        return settings(server).consecutiveFailures();
    }

    private Duration openFor(ServerId server) {
        return settings(server).openFor();
    }

    @Override
    public synchronized boolean tryAcquire(ServerId server) {
        Breaker b = refreshed(server);
        if (b.state == BreakerState.CLOSED) {
            return true;
        }
        if (b.state == BreakerState.HALF_OPEN && !b.trialOut) {
            b.trialOut = true;
            return true;
        }
        return false;
    }

    @Override
    public synchronized void succeeded(ServerId server, Duration elapsed) {
        Breaker b = refreshed(server);
        b.failuresInARow = 0;
        b.trialOut = false;
        if (b.state == BreakerState.HALF_OPEN) {
            move(server, b, BreakerState.CLOSED, "the trial call succeeded");
        }
    }

    @Override
    public synchronized void failed(ServerId server, Duration elapsed, FailureType type) {
        Breaker b = refreshed(server);
        b.trialOut = false;
        if (type == FailureType.RATE_LIMIT) {
            return; // the server is up and says "later": its permission is given back, nothing counted
        }
        b.failuresInARow++;
        if (b.state == BreakerState.HALF_OPEN
                || (b.state == BreakerState.CLOSED && b.failuresInARow >= tripAfter(server))) {
            b.openedAt = clock.instant();
            move(server, b, BreakerState.OPEN, b.failuresInARow + " failures in a row (" + type.code() + ")");
        }
    }

    @Override
    public synchronized void released(ServerId server) {
        refreshed(server).trialOut = false;
    }

    @Override
    public synchronized BreakerState state(ServerId server) {
        return refreshed(server).state;
    }

    @Override
    public synchronized Duration retryAfter(ServerId server) {
        Breaker b = refreshed(server);
        return b.state == BreakerState.OPEN ? Duration.between(clock.instant(), b.openedAt.plus(openFor(server)))
                : Duration.ZERO;
    }

    @Override
    public synchronized void recovered(ServerId server) {
        Breaker b = refreshed(server);
        b.failuresInARow = 0;
        if (b.state == BreakerState.OPEN) {
            move(server, b, BreakerState.HALF_OPEN, "the server was brought back");
        }
    }

    @Override
    public void onTransition(Consumer<MonitorEvent.BreakerChanged> listener) {
        listeners.add(listener);
    }

    /** Every state change so far, oldest first. */
    public List<MonitorEvent.BreakerChanged> transitions() {
        return List.copyOf(transitions);
    }

    private Breaker refreshed(ServerId server) {
        Breaker b = breakers.computeIfAbsent(server, s -> new Breaker());
        if (b.state == BreakerState.OPEN && !clock.instant().isBefore(b.openedAt.plus(openFor(server)))) {
            move(server, b, BreakerState.HALF_OPEN, "open for " + openFor(server).toSeconds() + " s");
        }
        return b;
    }

    private void move(ServerId server, Breaker b, BreakerState to, String reason) {
        MonitorEvent.BreakerChanged change = new MonitorEvent.BreakerChanged(server, b.state, to, reason,
                clock.instant());
        b.state = to;
        b.trialOut = false;
        if (to == BreakerState.CLOSED) {
            b.failuresInARow = 0;
        }
        transitions.add(change);
        listeners.forEach(l -> l.accept(change));
    }
}
