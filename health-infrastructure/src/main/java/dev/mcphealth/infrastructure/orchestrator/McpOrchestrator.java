package dev.mcphealth.infrastructure.orchestrator;

import dev.mcphealth.application.port.out.OrchestratorPort;
import dev.mcphealth.application.port.out.OrchestratorRequest;
import dev.mcphealth.domain.orchestrator.OrchestratorReply;
import dev.mcphealth.application.port.out.OrchestratorTool;
import dev.mcphealth.application.port.out.ServerCatalogPort;
import dev.mcphealth.application.port.out.ToolCallPort;
import dev.mcphealth.domain.routing.BreakerSettings;
import dev.mcphealth.domain.model.BreakerState;
import dev.mcphealth.domain.model.CallOutcome;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MCP Task Orchestrator as one of the configured servers, called over the monitor's own kept session to it
 * ({@link ToolCallPort}, the same session its probes use), behind a circuit breaker of its own.
 *
 * <p>Connecting: a call opens a session only when {@code mayConnect} says so for the server (recovery's
 * {@code mayConnect}: no open recovery episode, and not a dead stdio server with autoRecovery off), so a call never
 * starts the orchestrator behind recovery's back or faster than its backoff; otherwise it fails at once, not
 * delivered. The orchestrator is monitored and recovered like any server: its session's death reaches recovery
 * through the session layer, a hang through the monitor's probes.
 *
 * <p>The breaker (Resilience4j, on the injected clock) opens after {@link Settings#failuresToOpen} calls in a row that
 * were {@link OrchestratorReply.NotDelivered} or {@link OrchestratorReply.Unconfirmed}: a count-based window of that
 * many calls that must all have failed. A {@link OrchestratorReply.Refused} or
 * {@link OrchestratorReply.DoneDespiteError} is no failure: the orchestrator answered. While it is open a call is not
 * made and comes back NotDelivered with when to retry; after {@link Settings#openFor} the next
 * {@link Settings#trialCalls} calls are let through, and it closes unless they all fail. Slow calls do not open it
 * (a call is bounded by {@link Settings#callTimeout}, and a timeout is a failure).
 *
 * <p>It never throws for anything the orchestrator or the connection does, and it logs tool names and reply kinds
 * only: arguments and answers may hold anything a user wrote.
 */
public final class McpOrchestrator implements OrchestratorPort {
    private static final Logger LOG = LoggerFactory.getLogger(McpOrchestrator.class);

    /**
     * How calls to the orchestrator are made.
     *
     * @param callTimeout how long one call may wait for its answer (opening a session, when allowed, takes at most
     *                    the server's connect timeout before it); a {@linkplain OrchestratorTool#read read} waits no
     *                    longer than the server's probe timeout either
     * @param failuresToOpen undelivered or unconfirmed calls in a row that open the breaker
     * @param openFor how long the open breaker refuses calls
     * @param trialCalls calls let through once {@code openFor} has passed
     */
    public record Settings(Duration callTimeout, int failuresToOpen, Duration openFor, int trialCalls) {
        public Settings {
            requirePositive(callTimeout, "callTimeout");
            requirePositive(openFor, "openFor");
            if (failuresToOpen < 1 || trialCalls < 1) {
                throw new IllegalArgumentException("failuresToOpen and trialCalls must be at least 1, got "
                        + failuresToOpen + " and " + trialCalls);
            }
        }

        /** {@code callTimeout}, with the breaker's run of failures, open period and trial calls of health.breaker. */
        public static Settings of(Duration callTimeout, BreakerSettings breaker) {
            return new Settings(callTimeout, breaker.consecutiveFailures(), breaker.openFor(), breaker.trialCalls());
        }

        private static void requirePositive(Duration d, String what) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, got " + d);
            }
        }
    }

    /**
     * Sets up each new session with the orchestrator before it is used: {@code orchestrator_initialize_session} with
     * {@code workingDirectory} (health.orchestrator.workingDirectory). All the real one does with it is write a
     * {@code session_<id>.json} under {@code <workingDirectory>/.task_orchestrator/}: its tasks stay in its process's
     * working directory (the server's {@code cwd}), and no task records a session (the contract).
     *
     * @param sessionsOpened how many sessions with the orchestrator were opened so far (a new one needs setting up)
     * @param open whether a session with it is live now (if not, the next call opens a new one)
     */
    public record SessionSetup(String workingDirectory, LongSupplier sessionsOpened, BooleanSupplier open) {
        public SessionSetup {
            if (workingDirectory == null || workingDirectory.isBlank()) {
                throw new IllegalArgumentException("workingDirectory must not be blank");
            }
            Objects.requireNonNull(sessionsOpened, "sessionsOpened");
            Objects.requireNonNull(open, "open");
        }
    }

    private final ServerId server;
    private final MonitoredServer configured;
    private final Optional<SessionSetup> setup;
    private final Object setupLock = new Object();
    /** The session (by {@link SessionSetup#sessionsOpened}) last set up, or tried to be; -1 before the first. */
    private long setUpFor = -1;
    private final ServerCatalogPort catalog;
    private final ToolCallPort calls;
    private final Predicate<ServerId> mayConnect;
    private final Clock clock;
    private final Settings settings;
    private final CircuitBreaker breaker;
    /** When the breaker last opened; read for "retry after". */
    private volatile Instant openedAt = Instant.MIN;

    /**
     * @param server the configured server that is the orchestrator; read from {@code catalog} on each call, so a
     *               tuned connect timeout applies
     * @param mayConnect whether a call may open a session to the server now (recovery's {@code mayConnect})
     * @throws IllegalArgumentException if {@code catalog} has no such server
     */
    public McpOrchestrator(ServerId server, ServerCatalogPort catalog, ToolCallPort calls,
                           Predicate<ServerId> mayConnect, Clock clock, Settings settings) {
        this(server, catalog, calls, mayConnect, clock, settings, Optional.empty());
    }

    /** @param setup how each new session with it is set up before use; empty: not at all */
    public McpOrchestrator(ServerId server, ServerCatalogPort catalog, ToolCallPort calls,
                           Predicate<ServerId> mayConnect, Clock clock, Settings settings,
                           Optional<SessionSetup> setup) {
        this.setup = Objects.requireNonNull(setup, "setup");
        this.server = Objects.requireNonNull(server, "server");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.calls = Objects.requireNonNull(calls, "calls");
        this.mayConnect = Objects.requireNonNull(mayConnect, "mayConnect");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.configured = catalog.server(server).orElseThrow(() -> new IllegalArgumentException(
                "the orchestrator " + server + " is not a configured server"));
        this.breaker = CircuitBreaker.of("orchestrator-" + server.value(), config(settings, clock));
        breaker.getEventPublisher().onStateTransition(e -> {
            if (e.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                openedAt = clock.instant();
            }
            LOG.info("orchestrator {}: breaker {} -> {}", server, e.getStateTransition().getFromState(),
                    e.getStateTransition().getToState());
        });
    }

    /** N failures in a row: a count-based window of N calls, all of which must have failed; no scheduler thread. */
    static CircuitBreakerConfig config(Settings settings, Clock clock) {
        return CircuitBreakerConfig.custom()
                .clock(clock)
                .slidingWindow(settings.failuresToOpen(), settings.failuresToOpen(), SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(100)
                .slowCallRateThreshold(100)
                .slowCallDurationThreshold(Duration.ofDays(1))
                .waitDurationInOpenState(settings.openFor())
                .permittedNumberOfCallsInHalfOpenState(settings.trialCalls())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .writableStackTraceEnabled(false)
                .build();
    }

    @Override
    public ServerId server() {
        return server;
    }

    @Override
    public OrchestratorReply call(OrchestratorRequest request) {
        Objects.requireNonNull(request, "request");
        OrchestratorTool tool = request.tool();
        Duration timeout = timeoutFor(tool);
        if (setup.isPresent() && tool != OrchestratorTool.INITIALIZE_SESSION) {
            Optional<OrchestratorReply.NotDelivered> away = setUpSession(setup.get(), timeout);
            if (away.isPresent()) {
                // the orchestrator did not get the setup: it would not get this call either, and the breaker has
                // counted the failure once
                return new OrchestratorReply.NotDelivered("not sent: " + away.get().reason());
            }
        }
        return send(request, timeout);
    }

    /**
     * How long a call of {@code tool} waits: the call timeout; a read of how the orchestrator stands, no longer than
     * a probe of it either (the server's timeout, read from the catalog each time, so a tuned one applies).
     */
    private Duration timeoutFor(OrchestratorTool tool) {
        Duration probe = catalog.server(server).orElse(configured).timeout();
        return tool.read() && probe.compareTo(settings.callTimeout()) < 0 ? probe : settings.callTimeout();
    }

    /**
     * Initializes a session with the orchestrator that was not set up yet (a new process, a new HTTP session; or none
     * live, so that the call about to be made opens one). Tried once per session: a refusal is logged and the call
     * goes on (the orchestrator then keeps its own default directory); a setup it did not get is tried again before
     * the next call, and the call it preceded is not made (returned: it was not delivered either). A session that a
     * probe reopens between the setup and the call gets that call before its setup (the next call sets it up). The
     * setup waits no longer than the call it precedes ({@code timeout}): a read stays bounded by the probe timeout.
     */
    private Optional<OrchestratorReply.NotDelivered> setUpSession(SessionSetup s, Duration timeout) {
        synchronized (setupLock) {
            if (s.open().getAsBoolean() && s.sessionsOpened().getAsLong() == setUpFor) {
                return Optional.empty();
            }
            OrchestratorReply reply = send(new OrchestratorRequest.InitializeSession(s.workingDirectory()), timeout);
            if (reply instanceof OrchestratorReply.NotDelivered away) {
                return Optional.of(away);
            }
            setUpFor = s.sessionsOpened().getAsLong();
            if (reply instanceof OrchestratorReply.Answered a
                    && "session_initialized".equals(a.json().get("status"))) {
                LOG.info("orchestrator {}: session initialized for its working directory", server);
            } else {
                LOG.warn("orchestrator {}: initialize_session {}; its tasks go to its default directory", server,
                        reply.code());
            }
            return Optional.empty();
        }
    }

    private OrchestratorReply send(OrchestratorRequest request, Duration timeout) {
        OrchestratorTool tool = request.tool();
        if (!breaker.tryAcquirePermission()) {
            LOG.debug("orchestrator {}: {} not sent, breaker open", server, tool.code());
            return new OrchestratorReply.NotDelivered("the orchestrator's breaker is open; retry after "
                    + seconds(retryAfter()) + " s");
        }
        CallOutcome outcome;
        try {
            MonitoredServer target = catalog.server(server).orElse(configured);
            outcome = calls.callTool(target, tool.code(), RequestFormat.arguments(request), timeout,
                    mayConnect.test(server));
        } catch (RuntimeException e) {
            // a ToolCallPort fails as a value once a request is sent; McpProbe throws only before it (closed at
            // shutdown, no endpoint): nothing reached the orchestrator
            outcome = new CallOutcome.Failed(FailureType.CONNECTION_ERROR, "it could not be sent (MCP Health is "
                    + "stopping, or an internal error)", false, Duration.ZERO);
        }
        Duration elapsed = outcome.elapsed();
        OrchestratorReply reply;
        try {
            reply = ReplyClassifier.classify(tool, outcome);
        } catch (RuntimeException bug) {
            // the call went out (or failed as a value): what became of it is unknown, and the port never throws
            LOG.error("orchestrator {}: the reply to {} could not be read: {}", server, tool.code(), bug.getMessage());
            reply = new OrchestratorReply.Unconfirmed(tool.code() + ": its reply could not be read (an internal "
                    + "error)");
        }
        if (outcome instanceof CallOutcome.Failed f && f.type() == FailureType.TIMEOUT
                && timeout.compareTo(settings.callTimeout()) < 0) {
            // cut short by the probe timeout: slow, not failing, as far as the breaker goes (a hung orchestrator is
            // the probes' and recovery's to find); not counted either way
            breaker.releasePermission();
            LOG.warn("orchestrator {}: {} {} within the probe timeout (not counted by the breaker)", server,
                    tool.code(), reply.code());
        } else if (reply instanceof OrchestratorReply.NotDelivered || reply instanceof OrchestratorReply.Unconfirmed) {
            breaker.onError(elapsed.toNanos(), TimeUnit.NANOSECONDS, new CallFailed(reply.code()));
            LOG.warn("orchestrator {}: {} {}", server, tool.code(), reply.code());
        } else {
            breaker.onSuccess(elapsed.toNanos(), TimeUnit.NANOSECONDS);
            LOG.debug("orchestrator {}: {} {}", server, tool.code(), reply.code());
        }
        return reply;
    }

    @Override
    public BreakerState breaker() {
        return switch (breaker.getState()) {
            case OPEN, FORCED_OPEN -> BreakerState.OPEN;
            case HALF_OPEN -> BreakerState.HALF_OPEN;
            default -> BreakerState.CLOSED;
        };
    }

    /** How long the open breaker still refuses calls; zero when it is not open. */
    Duration retryAfter() {
        if (breaker.getState() != CircuitBreaker.State.OPEN) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(clock.instant(), openedAt.plus(settings.openFor()));
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** Whole seconds, rounded up, at least 1. */
    private static long seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }

    /** What Resilience4j records for a failed call: its kind, without a stack trace (or any of the reply's text). */
    private static final class CallFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CallFailed(String kind) {
            super(kind, null, false, false);
        }
    }
}
