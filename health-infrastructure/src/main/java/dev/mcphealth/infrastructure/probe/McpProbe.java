package dev.mcphealth.infrastructure.probe;

import dev.mcphealth.application.port.out.ProbePort;
import dev.mcphealth.domain.model.CheckDepth;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.Handshake;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ProbeMethod;
import dev.mcphealth.domain.model.ProbeOutcome;
import dev.mcphealth.domain.model.ProbeReport;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerInfo;
import dev.mcphealth.domain.model.ToolInventory;
import dev.mcphealth.infrastructure.config.Endpoint;
import dev.mcphealth.infrastructure.config.Redactor;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Probes MCP servers over their real transports with the official SDK. A session is opened (connect + initialize,
 * timed separately as the connect time) and kept between probes; each probe is one liveness request whose method is
 * negotiated once per server and remembered: {@code server/discover} where answered, else {@code ping}, else
 * {@code tools/list}. A session that died since the last probe is reported at once (connection_error) and re-opened
 * by the next probe. Every message is stripped of the server's secrets.
 */
public final class McpProbe implements ProbePort, AutoCloseable {
    private static final TypeRef<Object> ANY = McpAsyncClient.OBJECT_TYPE_REF;
    private static final TypeRef<McpSchema.ListToolsResult> TOOLS = new TypeRef<>() {
    };
    private static final int METHOD_NOT_FOUND = -32601;
    private static final int INVALID_PARAMS = -32602;

    private final Function<ServerId, Optional<Endpoint>> endpoints;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final McpJsonMapper mapper;
    private final Transports transports;
    private final McpSchema.Implementation clientInfo;
    private final Map<ServerId, Slot> slots = new ConcurrentHashMap<>();
    private final Set<CompletableFuture<Void>> pendingCloses = ConcurrentHashMap.newKeySet();
    private final ExecutorService closer = Executors.newCachedThreadPool(McpProbe::closerThread);
    private volatile boolean closed;

    /** One server's session and negotiated method; probes of one server are serialized on it. */
    private static final class Slot {
        Connection connection;
        Handshake handshake;
        ProbeMethod method;
    }

    public McpProbe(Function<ServerId, Optional<Endpoint>> endpoints, Clock clock, LongSupplier nanoTime,
                    McpJsonMapper mapper, String version) {
        this.endpoints = endpoints;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.mapper = mapper;
        this.transports = new Transports(mapper);
        this.clientInfo = McpSchema.Implementation.builder("mcp-health", version).build();
    }

    @Override
    public ProbeReport probe(MonitoredServer server, CheckDepth depth) {
        if (closed) {
            throw new IllegalStateException("this probe is closed");
        }
        Endpoint endpoint = endpoints.apply(server.id()).orElseThrow(() ->
                new IllegalArgumentException("no endpoint configured for " + server.id()));
        Redactor redactor = Redactor.of(endpoint);
        Slot slot = slots.computeIfAbsent(server.id(), id -> new Slot());
        synchronized (slot) {
            Instant startedAt = clock.instant();
            long start = nanoTime.getAsLong();
            String step = "connect";
            Duration allowed = server.connectTimeout();
            boolean opened = false;
            try {
                if (slot.connection != null) {
                    Optional<Throwable> death = slot.connection.death();
                    if (death.isPresent()) {
                        return failed(slot, server, startedAt, false, death.get(), "the kept session", allowed, start,
                                endpoint, redactor);
                    }
                }
                if (slot.connection == null) {
                    opened = true;
                    slot.connection = transports.open(endpoint, server.connectTimeout());
                    step = "initialize";
                    McpSchema.InitializeResult init = slot.connection.initialize(clientInfo, server.connectTimeout());
                    McpSchema.Implementation info = init.serverInfo();
                    slot.handshake = new Handshake(since(start), init.protocolVersion(),
                            info == null ? new ServerInfo("", "") : new ServerInfo(info.name(), info.version()));
                }
                allowed = server.timeout();
                ProbeOutcome.Answered answered = liveness(slot, server.timeout());
                if (depth == CheckDepth.COMPREHENSIVE) {
                    step = McpSchema.METHOD_TOOLS_LIST;
                    answered = new ProbeOutcome.Answered(answered.responseTime(), answered.method(),
                            Optional.of(tools(slot.connection, server.timeout())));
                }
                return new ProbeReport(server.id(), startedAt, Optional.of(slot.handshake), opened, answered);
            } catch (LivenessException e) {
                return failed(slot, server, startedAt, opened, e.getCause(), e.method.code(), allowed, start, endpoint,
                        redactor);
            } catch (RuntimeException e) {
                return failed(slot, server, startedAt, opened, e, step, allowed, start, endpoint, redactor);
            }
        }
    }

    /**
     * One liveness request within one deadline ({@code timeout}). The first time, the method is negotiated:
     * server/discover (given at most half the deadline, and at most {@link ProbeLimits#DISCOVER_FIRST_TIMEOUT},
     * since servers older than the 2026-07-28 protocol may ignore it), then ping, then tools/list, moving on when a
     * method is refused (-32601, -32602) or, the first time, when server/discover is not answered.
     */
    private ProbeOutcome.Answered liveness(Slot slot, Duration timeout) {
        long begin = nanoTime.getAsLong();
        boolean negotiating = slot.method == null;
        ProbeMethod method = negotiating ? ProbeMethod.SERVER_DISCOVER : slot.method;
        while (true) {
            Duration remaining = timeout.minus(since(begin));
            Duration allowed = negotiating && method == ProbeMethod.SERVER_DISCOVER
                    ? min(remaining, min(timeout.dividedBy(2), ProbeLimits.DISCOVER_FIRST_TIMEOUT)) : remaining;
            long sent = nanoTime.getAsLong();
            try {
                if (allowed.isNegative() || allowed.isZero()) {
                    throw new ProbeFailedException(new TimeoutException("no time left"));
                }
                slot.connection.request(method.code(), paramsFor(method), ANY, allowed);
                Duration roundTrip = since(sent);
                slot.method = method;
                return new ProbeOutcome.Answered(roundTrip, method, Optional.empty());
            } catch (RuntimeException e) {
                Throwable cause = FailureClassifier.unwrap(e);
                boolean refused = cause instanceof McpError error && error.getJsonRpcError() != null
                        && (error.getJsonRpcError().code() == METHOD_NOT_FOUND
                            || error.getJsonRpcError().code() == INVALID_PARAMS);
                boolean ignoredDiscover = negotiating && method == ProbeMethod.SERVER_DISCOVER
                        && cause instanceof TimeoutException;
                if ((refused || ignoredDiscover) && method.next() != null) {
                    method = method.next();
                    continue;
                }
                throw new LivenessException(method, e);
            }
        }
    }

    private static Object paramsFor(ProbeMethod method) {
        return method == ProbeMethod.PING ? null : Map.of();
    }

    private ToolInventory tools(Connection connection, Duration timeout) {
        List<McpSchema.Tool> all = new ArrayList<>();
        if (!connection.offersTools()) {
            // a server without the tools capability has no tools to list (and may refuse tools/list)
            return ToolFingerprint.of(all, mapper);
        }
        String cursor = null;
        for (int page = 0; page < ProbeLimits.MAX_TOOL_PAGES; page++) {
            McpSchema.ListToolsResult result = connection.request(McpSchema.METHOD_TOOLS_LIST,
                    new McpSchema.PaginatedRequest(cursor), TOOLS, timeout);
            if (result.tools() != null) {
                all.addAll(result.tools());
            }
            cursor = result.nextCursor();
            if (cursor == null || cursor.isEmpty()) {
                break;
            }
        }
        return ToolFingerprint.of(all, mapper);
    }

    /**
     * The report of a failed probe. The session is kept when the server answered with an error over it (a JSON-RPC
     * error, an HTTP status): it is alive, and restarting it would only add load. It is dropped when it is dead, hung
     * (timeout) or was never established.
     */
    private ProbeReport failed(Slot slot, MonitoredServer server, Instant startedAt, boolean opened, Throwable error,
                               String step, Duration allowed, long start, Endpoint endpoint, Redactor redactor) {
        Throwable cause = FailureClassifier.unwrap(error);
        FailureClassifier.Classified c = FailureClassifier.classify(cause, step, allowed);
        String message = c.message();
        if (cause instanceof ServerExitedException exited) {
            String lastWords = exited.lastStderr();
            if (lastWords != null) {
                message = message + ": " + lastWords;
            }
        }
        Optional<Handshake> handshake = Optional.ofNullable(slot.handshake);
        ProbeReport report = new ProbeReport(server.id(), startedAt, handshake, opened && handshake.isPresent(),
                new ProbeOutcome.Failed(c.type(), redactor.redact(message), since(start)));
        boolean alive = slot.handshake != null && slot.connection != null && slot.connection.death().isEmpty()
                && c.type() != FailureType.TIMEOUT && c.type() != FailureType.CONNECTION_ERROR;
        if (!alive) {
            drop(slot);
        }
        return report;
    }

    /**
     * Forgets a failed session and closes it in the background: closing a hung stdio server takes its grace periods,
     * which must not delay the probe's answer. {@link #close()} waits for these.
     */
    private void drop(Slot slot) {
        Connection c = slot.connection;
        slot.connection = null;
        slot.handshake = null;
        if (c != null && closed) {
            c.close();
        } else if (c != null) {
            CompletableFuture<Void> closing = CompletableFuture.runAsync(c::close, closer);
            pendingCloses.add(closing);
            closing.whenComplete((v, e) -> pendingCloses.remove(closing));
        }
    }

    private static Thread closerThread(Runnable r) {
        Thread t = new Thread(r, "mcp-session-closer");
        t.setDaemon(true);
        return t;
    }

    private Duration since(long start) {
        return Duration.ofNanos(Math.max(0, nanoTime.getAsLong() - start));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Closes every kept session (stdio servers are stopped). */
    @Override
    public void close() {
        closed = true;
        slots.values().forEach(slot -> {
            synchronized (slot) {
                drop(slot);
            }
        });
        CompletableFuture.allOf(pendingCloses.toArray(CompletableFuture[]::new)).join();
        closer.shutdown();
    }

    private static final class LivenessException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient ProbeMethod method;

        LivenessException(ProbeMethod method, RuntimeException cause) {
            super(cause);
            this.method = method;
        }
    }
}
