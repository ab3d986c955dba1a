package dev.mcphealth.infrastructure.resilience;

import dev.mcphealth.application.port.out.BreakerPort;
import dev.mcphealth.domain.routing.BreakerSettings;
import dev.mcphealth.domain.model.BreakerState;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.ServerId;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Resilience4j {@link CircuitBreaker} per server, created on first use, all on the injected clock.
 *
 * <p>Resilience4j gives the time-based sliding window (failure rate once it holds {@code minimumCalls}; the rate of
 * calls slower than {@code slowCall}) and the half-open trial calls. Two rules are ours: {@code consecutiveFailures}
 * in a row open the breaker (Resilience4j has no such rule), and the open period ends by the clock on the next
 * {@link #tryAcquire} (no scheduler thread: Resilience4j's automatic transition is off), or at once on
 * {@link #recovered}. A rate limit (HTTP 429) is not a failure: a throttled server is up; its permission is released.
 *
 * <p>Each server's breaker, run of failures and opening time change together under that server's monitor, and its
 * listeners are told inside it, so they see every transition once and in order; a listener must be quick and must not
 * wait for another thread that uses this breaker. Only CLOSED, OPEN and HALF_OPEN occur: nothing here calls
 * {@code transitionToDisabledState}, {@code transitionToMetricsOnlyState} or {@code transitionToForcedOpenState}.
 *
 * <p>Every breaker starts with the settings given here; {@link #reconfigure} gives one server's breaker others until
 * this object is dropped (the monitor stops). Resilience4j cannot change a breaker's configuration, so the server's
 * Resilience4j breaker is replaced by a new one, under that server's monitor, and what is ours carries over:
 * <ul>
 *   <li>its state: a closed breaker stays closed; a half-open one half-open with all the new number of trial calls
 *       to give (a trial call already let through reports to the new breaker, so while it runs one more may be let
 *       through); an open one open, from when it opened, for the new open duration: longer keeps it open longer,
 *       shorter lets the next call be a trial call sooner;</li>
 *   <li>the run of failures in a row, judged against the new {@code consecutiveFailures} at the next failure;</li>
 *   <li>the listeners: its transitions are told as before, with the same reasons.</li>
 * </ul>
 * The sliding window does not carry over: Resilience4j does not hand out the calls it holds, so the new breaker
 * starts with an empty window and judges failure and slow-call rates anew once it holds {@code minimumCalls} calls
 * made under the new settings. The replacement itself is not a transition and tells no listener.
 */
public final class Resilience4jBreakers implements BreakerPort {
    private static final Logger LOG = LoggerFactory.getLogger(Resilience4jBreakers.class);

    /** What every breaker starts with: the configured settings. */
    private final BreakerSettings configured;
    private final Clock clock;
    private final CircuitBreakerConfig configuredConfig;
    private final Map<ServerId, Breaker> breakers = new ConcurrentHashMap<>();
    private final List<Consumer<MonitorEvent.BreakerChanged>> listeners = new CopyOnWriteArrayList<>();
    private final Map<FailureType, CallFailed> failures = new EnumMap<>(FailureType.class);

    public Resilience4jBreakers(BreakerSettings settings, Clock clock) {
        this.configured = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.configuredConfig = config(settings, clock);
        for (FailureType t : FailureType.values()) {
            failures.put(t, new CallFailed(t));
        }
    }

    /** The Resilience4j configuration for {@code settings}: time-based window, no scheduler, on {@code clock}. */
    static CircuitBreakerConfig config(BreakerSettings settings, Clock clock) {
        int windowSeconds = (int) Math.max(1, (settings.window().toMillis() + 999) / 1000);
        return CircuitBreakerConfig.custom()
                .clock(clock)
                .slidingWindow(windowSeconds, settings.minimumCalls(), SlidingWindowType.TIME_BASED)
                .failureRateThreshold(percent(settings.failureRate()))
                .slowCallDurationThreshold(settings.slowCall())
                .slowCallRateThreshold(percent(settings.slowCallRate()))
                .waitDurationInOpenState(settings.openFor())
                .permittedNumberOfCallsInHalfOpenState(settings.trialCalls())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .writableStackTraceEnabled(false)
                .build();
    }

    private static float percent(double rate) {
        return (float) Math.min(100.0, rate * 100.0);
    }

    @Override
    public boolean tryAcquire(ServerId server) {
        Breaker b = breaker(server);
        synchronized (b) {
            if (b.cb.getState() == CircuitBreaker.State.OPEN && (remaining(b).isNegative() || remaining(b).isZero())) {
                b.transition(() -> b.cb.transitionToHalfOpenState(),
                        "open " + seconds(b.settings.openFor()) + " elapsed");
            }
            return b.cb.tryAcquirePermission();
        }
    }

    @Override
    public void succeeded(ServerId server, Duration elapsed) {
        Breaker b = breaker(server);
        synchronized (b) {
            b.failuresInARow = 0;
            b.cb.onSuccess(nanos(elapsed), TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void failed(ServerId server, Duration elapsed, FailureType type) {
        Objects.requireNonNull(type, "type");
        Breaker b = breaker(server);
        synchronized (b) {
            if (type == FailureType.RATE_LIMIT) {
                b.cb.releasePermission();
                return;
            }
            b.cb.onError(nanos(elapsed), TimeUnit.NANOSECONDS, failures.get(type));
            if (b.cb.getState() == CircuitBreaker.State.CLOSED) {
                b.failuresInARow++;
                if (b.failuresInARow >= b.settings.consecutiveFailures()) {
                    b.transition(() -> b.cb.transitionToOpenState(), b.failuresInARow + " failures in a row");
                }
            }
        }
    }

    @Override
    public void released(ServerId server) {
        Breaker b = breaker(server);
        synchronized (b) {
            b.cb.releasePermission();
        }
    }

    @Override
    public BreakerState state(ServerId server) {
        Breaker b = breakers.get(server);
        if (b == null) {
            return BreakerState.CLOSED;
        }
        synchronized (b) {
            return map(b.cb.getState());
        }
    }

    @Override
    public Duration retryAfter(ServerId server) {
        Breaker b = breakers.get(server);
        if (b == null) {
            return Duration.ZERO;
        }
        synchronized (b) {
            if (b.cb.getState() != CircuitBreaker.State.OPEN) {
                return Duration.ZERO;
            }
            Duration left = remaining(b);
            return left.isNegative() ? Duration.ZERO : left;
        }
    }

    @Override
    public void recovered(ServerId server) {
        Breaker b = breakers.get(server);
        if (b == null) {
            return;
        }
        synchronized (b) {
            b.failuresInARow = 0;
            if (b.cb.getState() == CircuitBreaker.State.OPEN) {
                b.transition(() -> b.cb.transitionToHalfOpenState(), "server recovered");
            }
        }
    }

    @Override
    public void onTransition(Consumer<MonitorEvent.BreakerChanged> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public BreakerSettings settings(ServerId server) {
        Objects.requireNonNull(server, "server");
        Breaker b = breakers.get(server);
        if (b == null) {
            return configured;
        }
        synchronized (b) {
            return b.settings;
        }
    }

    /** See the class comment for what carries over to the new breaker. */
    @Override
    public void reconfigure(ServerId server, BreakerSettings settings) {
        Objects.requireNonNull(settings, "settings");
        Breaker b = breaker(server);
        synchronized (b) {
            b.reconfigure(settings);
        }
        LOG.info("breaker of {} reconfigured: {}", server, settings);
    }

    /** Resilience4j's states as the router sees them; the others are never entered here. */
    static BreakerState map(CircuitBreaker.State state) {
        switch (state) {
            case CLOSED:
                return BreakerState.CLOSED;
            case OPEN:
                return BreakerState.OPEN;
            case HALF_OPEN:
                return BreakerState.HALF_OPEN;
            default:
                throw new IllegalStateException("breaker state " + state + " is never used");
        }
    }

    private Duration remaining(Breaker b) {
        return Duration.between(clock.instant(), b.openedAt.plus(b.settings.openFor()));
    }

    private Breaker breaker(ServerId server) {
        Objects.requireNonNull(server, "server");
        return breakers.computeIfAbsent(server, Breaker::new);
    }

    private static long nanos(Duration elapsed) {
        Objects.requireNonNull(elapsed, "elapsed");
        return elapsed.isNegative() ? 0 : elapsed.toNanos();
    }

    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    static String rate(String what, float percent, int calls) {
        return what + " " + Math.round(percent) + " % of " + calls + (calls == 1 ? " call" : " calls");
    }

    private void tell(MonitorEvent.BreakerChanged event) {
        for (Consumer<MonitorEvent.BreakerChanged> l : listeners) {
            try {
                l.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("a breaker listener failed on {}", event, e);
            }
        }
    }

    /**
     * One server's breaker; every field is guarded by this object's monitor. It stays the same object for the
     * server's whole life (callers lock it), while the Resilience4j breaker inside may be replaced.
     */
    private final class Breaker {
        final ServerId server;
        BreakerSettings settings;
        CircuitBreakerConfig config;
        CircuitBreaker cb;
        int failuresInARow;
        Instant openedAt = Instant.MIN;
        /** Why the transition under way happens, set just before it (by us, or by Resilience4j's threshold events). */
        final List<String> why = new ArrayList<>();

        Breaker(ServerId server) {
            this.server = server;
            this.settings = configured;
            this.config = configuredConfig;
            this.cb = listened(CircuitBreaker.of(server.value(), config));
        }

        /** Its Resilience4j breaker's events, told to ours: only the breaker in use is listened to. */
        private CircuitBreaker listened(CircuitBreaker c) {
            c.getEventPublisher()
                    .onFailureRateExceeded(e -> why.add(rate("failure rate", e.getFailureRate(),
                            c.getMetrics().getNumberOfBufferedCalls())))
                    .onSlowCallRateExceeded(e -> why.add(rate("slow calls", e.getSlowCallRate(),
                            c.getMetrics().getNumberOfBufferedCalls())))
                    .onStateTransition(e -> changed(map(e.getStateTransition().getFromState()),
                            map(e.getStateTransition().getToState())));
            return c;
        }

        /**
         * A new Resilience4j breaker on {@code next}, brought to the present state before anyone listens to it, so
         * that getting there tells nobody; the opening time and the run of failures stay (they are ours).
         */
        void reconfigure(BreakerSettings next) {
            if (next.equals(settings)) {
                return;
            }
            CircuitBreakerConfig nextConfig = config(next, clock);
            CircuitBreaker fresh = CircuitBreaker.of(server.value(), nextConfig);
            CircuitBreaker.State state = cb.getState();
            if (state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.HALF_OPEN) {
                fresh.transitionToOpenState();
            }
            if (state == CircuitBreaker.State.HALF_OPEN) {
                fresh.transitionToHalfOpenState();
            }
            settings = next;
            config = nextConfig;
            cb = listened(fresh);
        }

        void transition(Runnable change, String reason) {
            why.clear();
            why.add(reason);
            try {
                change.run();
            } finally {
                why.clear();
            }
        }

        /** Runs on the thread that changed the state, inside this monitor (every change comes from a method above). */
        private void changed(BreakerState from, BreakerState to) {
            String reason = why.isEmpty() ? fallback(from, to) : String.join(", ", why);
            why.clear();
            failuresInARow = 0;
            if (from == to) {
                return;
            }
            Instant now = clock.instant();
            if (to == BreakerState.OPEN) {
                openedAt = now;
                if (from == BreakerState.HALF_OPEN) {
                    reason = "trial calls failed: " + reason;
                }
            }
            tell(new MonitorEvent.BreakerChanged(server, from, to, reason, now));
        }

        private String fallback(BreakerState from, BreakerState to) {
            if (from == BreakerState.HALF_OPEN && to == BreakerState.CLOSED) {
                return "trial calls succeeded";
            }
            if (from == BreakerState.OPEN && to == BreakerState.HALF_OPEN) {
                return "open " + seconds(settings.openFor()) + " elapsed";
            }
            // Resilience4j tells the rates it exceeded only when closed; the trial calls' rates are the open state's
            CircuitBreaker.Metrics m = cb.getMetrics();
            List<String> exceeded = new ArrayList<>();
            if (m.getFailureRate() >= config.getFailureRateThreshold()) {
                exceeded.add(rate("failure rate", m.getFailureRate(), m.getNumberOfBufferedCalls()));
            }
            if (m.getSlowCallRate() >= config.getSlowCallRateThreshold()) {
                exceeded.add(rate("slow calls", m.getSlowCallRate(), m.getNumberOfBufferedCalls()));
            }
            return exceeded.isEmpty() ? "thresholds exceeded" : String.join(", ", exceeded);
        }
    }

    /** What Resilience4j records for a failed call: its type, without a stack trace. */
    static final class CallFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CallFailed(FailureType type) {
            super(type.code(), null, false, false);
        }
    }
}
