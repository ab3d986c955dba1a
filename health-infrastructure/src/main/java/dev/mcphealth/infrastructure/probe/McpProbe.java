package dev.mcphealth.infrastructure.probe;

import dev.mcphealth.application.port.out.ProbePort;
import dev.mcphealth.application.port.out.SessionPort;
import dev.mcphealth.application.port.out.ToolCallPort;
import dev.mcphealth.domain.model.Printable;
import dev.mcphealth.domain.model.CallOutcome;
import dev.mcphealth.domain.model.Caller;
import dev.mcphealth.domain.model.Cancellation;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.Progress;
import dev.mcphealth.domain.model.ToolHints;
import dev.mcphealth.domain.model.ToolReply;
import dev.mcphealth.domain.model.ToolSpec;
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
import dev.mcphealth.domain.model.UpstreamRequest;
import dev.mcphealth.infrastructure.auth.OAuthClients;
import dev.mcphealth.infrastructure.auth.TokenStore;
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
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The kept MCP sessions with the configured servers, over their real transports with the official SDK, and what is
 * done over them: probes ({@link ProbePort}), tool calls ({@link ToolCallPort}) and restarts ({@link SessionPort}).
 * One session per server, shared by probes and calls (a stdio server is one process, whoever talks to it).
 * <p>
 * A probe opens the session when there is none (connect + initialize, timed separately as the connect time) unless
 * told not to ({@link #probeKept}: while recovery is in charge of reopening it); then sends one liveness request whose
 * method is negotiated once per server and remembered: {@code server/discover} where answered, else {@code ping},
 * else {@code tools/list}. A session that dies (a process exits, a stream breaks) is reported at once to the
 * {@link SessionPort.SessionLossListener}s and to every request waiting on it. Every message is stripped of the
 * server's secrets.
 */
public final class McpProbe implements ProbePort, SessionPort, ToolCallPort, AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(McpProbe.class);
    private static final TypeRef<Object> ANY = McpAsyncClient.OBJECT_TYPE_REF;
    private static final TypeRef<Map<String, Object>> OBJECT = new TypeRef<>() {
    };
    private static final TypeRef<McpSchema.CallToolResult> CALL_RESULT = new TypeRef<>() {
    };
    private static final int METHOD_NOT_FOUND = -32601;
    /** The progress tokens of the calls whose progress someone follows: unique in the process. */
    private static final java.util.concurrent.atomic.AtomicLong PROGRESS_TOKENS =
            new java.util.concurrent.atomic.AtomicLong();
    private static final int INVALID_PARAMS = -32602;
    /** The 2026-07-28 revision's "unsupported protocol version" (a server of it answering initialize). */
    private static final int UNSUPPORTED_VERSION = -32022;

    private final Function<ServerId, Optional<Endpoint>> endpoints;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final McpJsonMapper mapper;
    private final Transports transports;
    private final OAuthClients oauth;
    /** The 2026-07-28 revision's probe of streamable-HTTP servers that speak it. */
    private final StatelessProbe stateless;
    private final McpSchema.Implementation clientInfo;
    /** What the servers are told they may ask of MCP Health's clients. */
    private final McpSchema.ClientCapabilities capabilities;
    private final Map<ServerId, Slot> slots = new ConcurrentHashMap<>();
    private final List<SessionLossListener> lossListeners = new CopyOnWriteArrayList<>();
    private final Set<CompletableFuture<Void>> pendingCloses = ConcurrentHashMap.newKeySet();
    private final List<ToolsChangeListener> toolsListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ExecutorService closer = Executors.newCachedThreadPool(McpProbe::closerThread);
    private volatile boolean closed;

    /**
     * One server's session and negotiated method. The lock guards opening, replacing and dropping the session;
     * requests run outside it, so a slow probe never holds up a call.
     */
    private static final class Slot {
        final Object lock = new Object();
        volatile Connection connection;
        volatile Handshake handshake;
        /** Sessions opened so far: a new one means a new process (stdio) or a new server-side session (HTTP). */
        volatile long opened;
        volatile ProbeMethod method;
    }

    /** A session ready for requests, and whether it was opened just now. */
    private record Live(Connection connection, Handshake handshake, boolean opened) {
    }

    public McpProbe(Function<ServerId, Optional<Endpoint>> endpoints, Clock clock, LongSupplier nanoTime,
                    McpJsonMapper mapper, String version) {
        this(endpoints, clock, nanoTime, mapper, version, false);
    }

    /**
     * @param asksClients whether the servers are told (at initialize) that they may ask the client behind a call
     *                    something (sampling, elicitation, roots: without list_changed, which no client's change
     *                    would reach): in gateway mode, where such a request is passed on to the
     *                    client of the call under way ({@link Caller#asks})
     */
    public McpProbe(Function<ServerId, Optional<Endpoint>> endpoints, Clock clock, LongSupplier nanoTime,
                    McpJsonMapper mapper, String version, boolean asksClients) {
        this(endpoints, clock, nanoTime, mapper, version, asksClients, new OAuthClients(clock,
                TokenStore.standard(System.getenv()), OAuthClients.TIMEOUT));
    }

    /**
     * @param oauth the OAuth clients of the servers whose requests carry an access token (docs/authorization.md),
     *              shared with whatever else talks to them
     */
    public McpProbe(Function<ServerId, Optional<Endpoint>> endpoints, Clock clock, LongSupplier nanoTime,
                    McpJsonMapper mapper, String version, boolean asksClients, OAuthClients oauth) {
        this.capabilities = asksClients ? McpSchema.ClientCapabilities.builder().sampling().elicitation().roots(false)
                .build()
                : McpSchema.ClientCapabilities.builder().build();
        this.endpoints = endpoints;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.mapper = mapper;
        this.oauth = oauth;
        this.transports = new Transports(mapper, oauth);
        this.stateless = new StatelessProbe(mapper, nanoTime, version);
        this.clientInfo = McpSchema.Implementation.builder("mcp-health", version).build();
    }

    // ---- probes ---------------------------------------------------------------------------------------------

    @Override
    public ProbeReport probe(MonitoredServer server, CheckDepth depth) {
        return probe(server, depth, true);
    }

    @Override
    public ProbeReport probeKept(MonitoredServer server, CheckDepth depth) {
        return probe(server, depth, false);
    }

    private ProbeReport probe(MonitoredServer server, CheckDepth depth, boolean mayConnect) {
        Endpoint endpoint = endpoint(server);
        Redactor redactor = redactor(server, endpoint);
        Slot slot = slot(server.id());
        Instant startedAt = clock.instant();
        long start = nanoTime.getAsLong();
        String where = StatelessProbe.where(endpoint);
        Connection kept = slot.connection;
        boolean sessionLive = kept != null && kept.death().isEmpty();
        StatelessProbe.Era era = endpoint instanceof Endpoint.Http http && !http.sse()
                ? stateless.era(server.id(), where, !sessionLive) : StatelessProbe.Era.HANDSHAKE;
        if (era == StatelessProbe.Era.STATELESS || (era == StatelessProbe.Era.UNKNOWN && mayConnect)) {
            Endpoint.Http http = (Endpoint.Http) endpoint;
            Optional<ProbeReport> report = stateless.probe(server, http, depth, oauthOf(server), startedAt, start,
                    message -> fresh(server, redactor).redact(message));
            if (report.isPresent()) {
                return report.get();
            }
            era = stateless.era(server.id(), where, !sessionLive);
        }
        ProbeReport report = sessionProbe(slot, server, endpoint, depth, mayConnect, startedAt, start, redactor);
        if (era != StatelessProbe.Era.HANDSHAKE && report.outcome() instanceof ProbeOutcome.Answered) {
            // not decided by discover (or refused by a server known to speak the revision): its handshake answered
            stateless.learned(server.id(), where, StatelessProbe.Era.HANDSHAKE);
        }
        return report;
    }

    /** A probe over the server's session (opened when there is none and {@code mayConnect}). */
    private ProbeReport sessionProbe(Slot slot, MonitoredServer server, Endpoint endpoint, CheckDepth depth,
                                     boolean mayConnect, Instant startedAt, long start, Redactor redactor) {
        Live live;
        try {
            Optional<Live> kept = live(slot, server, endpoint, mayConnect);
            if (kept.isEmpty()) {
                return new ProbeReport(server.id(), startedAt, Optional.ofNullable(slot.handshake), false,
                        new ProbeOutcome.Failed(FailureType.CONNECTION_ERROR, noSession(server), since(start)));
            }
            live = kept.get();
        } catch (DeadSession e) {
            return failed(slot, null, server, startedAt, false, e.getCause(), "the kept session", server.timeout(),
                    start, redactor);
        } catch (RuntimeException e) {
            return failed(slot, null, server, startedAt, true, e, "connect", server.connectTimeout(), start,
                    redactor);
        }
        String step = McpSchema.METHOD_PING;
        try {
            ProbeOutcome.Answered answered = liveness(slot, live.connection(), server.timeout());
            if (depth == CheckDepth.COMPREHENSIVE) {
                step = McpSchema.METHOD_TOOLS_LIST;
                answered = new ProbeOutcome.Answered(answered.responseTime(), answered.method(),
                        Optional.of(ToolFingerprint.of(tools(live.connection(), server.timeout(), server), mapper)));
            }
            return new ProbeReport(server.id(), startedAt, Optional.of(live.handshake()), live.opened(), answered);
        } catch (LivenessException e) {
            return failed(slot, live.connection(), server, startedAt, live.opened(), e.getCause(), e.method.code(),
                    server.timeout(), start, redactor);
        } catch (RuntimeException e) {
            return failed(slot, live.connection(), server, startedAt, live.opened(), e, step, server.timeout(), start,
                    redactor);
        }
    }

    /**
     * The server's live session: the kept one, or a new one when there is none and {@code mayConnect}. A kept session
     * found dead is dropped first (the probe that finds it reports the death: see {@link #probe}).
     *
     * @throws RuntimeException when opening fails; the half-open session is dropped
     */
    private Optional<Live> live(Slot slot, MonitoredServer server, Endpoint endpoint, boolean mayConnect) {
        Connection c = slot.connection;
        Handshake h = slot.handshake;
        if (c != null && h != null && c.death().isEmpty()) {
            return Optional.of(new Live(c, h, false));
        }
        synchronized (slot.lock) {
            if (closed) {
                throw new IllegalStateException("this probe is closed");
            }
            c = slot.connection;
            if (c != null && c.death().isPresent()) {
                Throwable death = c.death().get();
                drop(slot, c);
                throw new DeadSession(death);
            }
            if (c != null) {
                return Optional.of(new Live(c, slot.handshake, false));
            }
            if (!mayConnect) {
                return Optional.empty();
            }
            open(slot, server, endpoint);
            return Optional.of(new Live(slot.connection, slot.handshake, true));
        }
    }

    /** Opens and initializes a session into the slot (under its lock). */
    private void open(Slot slot, MonitoredServer server, Endpoint endpoint) {
        long start = nanoTime.getAsLong();
        Connection c = transports.open(server.id().value(), endpoint, server.connectTimeout());
        try {
            boolean stdio = endpoint instanceof Endpoint.Stdio;
            Optional<Handshake> revision;
            try {
                revision = stdio ? discovered(slot, server, endpoint, c, start,
                        min(server.connectTimeout().dividedBy(2), ProbeLimits.DISCOVER_FIRST_TIMEOUT), false)
                        : Optional.empty();
            } catch (RuntimeException e) {
                if (!(FailureClassifier.unwrap(e) instanceof ServerExitedException exited)
                        || !exited.endedItselfAfterTheRequest()) {
                    throw e; // killed (from outside, or a crash), or dead before it was asked: a failure like any other
                }
                // a server that dies of a request before initialize (older SDKs did): started again at once, without
                // it (remembered as one of the handshake), so that no failure is seen for our question
                drop(slot, c);
                c = transports.open(server.id().value(), endpoint, server.connectTimeout());
                revision = Optional.empty();
            }
            Handshake h = revision.isPresent() ? revision.get() : initialized(slot, server, endpoint, c, start, stdio);
            // published only once initialized: a request racing the open must never go out before initialize
            slot.handshake = h;
            slot.connection = c;
            slot.opened++;
        } catch (RuntimeException e) {
            drop(slot, c);
            throw e;
        }
        watch(slot, server, endpoint, c);
    }

    /**
     * Initializes the session on {@code c}: its handshake. A stdio server that answers -32022 read a discover that
     * timed out here after all (slow to start) and speaks the revision since, as the Python SDK's servers say: asked
     * again, on the same process.
     */
    private Handshake initialized(Slot slot, MonitoredServer server, Endpoint endpoint, Connection c, long start,
                                  boolean stdio) {
        McpSchema.InitializeResult init;
        try {
            init = c.initialize(clientInfo, server.connectTimeout(), capabilities);
        } catch (RuntimeException e) {
            if (stdio && FailureClassifier.unwrap(e) instanceof McpError m && m.getJsonRpcError() != null
                    && m.getJsonRpcError().code() == UNSUPPORTED_VERSION) {
                Optional<Handshake> again = discovered(slot, server, endpoint, c, start, server.connectTimeout(),
                        true);
                if (again.isPresent()) {
                    return again.get();
                }
            }
            throw e;
        }
        if (stdio) {
            stateless.learned(server.id(), StatelessProbe.where(endpoint), StatelessProbe.Era.HANDSHAKE);
        }
        if (slot.method == ProbeMethod.SERVER_DISCOVER) {
            slot.method = null; // the revision's liveness request: a session of the handshake negotiates its own
        }
        McpSchema.Implementation info = init.serverInfo();
        return new Handshake(since(start), init.protocolVersion(),
                info == null ? new ServerInfo("", "") : shown(new ServerInfo(info.name(), info.version()),
                        redactor(server, endpoint)));
    }

    /** Reports the session's death and its server's tools changing. */
    private void watch(Slot slot, MonitoredServer server, Endpoint endpoint, Connection c) {
        Redactor redactor = redactor(server, endpoint);
        c.onDeath(cause -> lost(slot, c, server, redactor, cause));
        c.onToolsChanged(() -> toolsListeners.forEach(l -> l.toolsChanged(server.id())));
    }

    /**
     * A stdio process's first request, when its server may speak the 2026-07-28 revision: {@code server/discover}
     * (its process's start included, within half the connect timeout and at most
     * {@link ProbeLimits#DISCOVER_FIRST_TIMEOUT}). Answered with the revision, the connection speaks it from then on
     * (no initialize; the probe's liveness request is server/discover) and its handshake is returned. Refused (a
     * JSON-RPC error, as handshake-era servers answer an unknown method) or not answered in time, empty: initialize
     * follows on the same process, and a server that answers it is remembered as one of the handshake.
     */
    private Optional<Handshake> discovered(Slot slot, MonitoredServer server, Endpoint endpoint, Connection c,
                                           long start, Duration budget, boolean force) {
        String where = StatelessProbe.where(endpoint);
        if (!force && stateless.era(server.id(), where) == StatelessProbe.Era.HANDSHAKE) {
            return Optional.empty();
        }
        Map<String, Object> info = Map.of("name", clientInfo.name(), "version", clientInfo.version());
        Map<String, Object> result;
        try {
            result = c.request(ProbeMethod.SERVER_DISCOVER.code(), StatelessHttp.withMeta(Map.of(), info), OBJECT,
                    budget);
        } catch (RuntimeException e) {
            Throwable cause = FailureClassifier.unwrap(e);
            if (cause instanceof McpError m) {
                if (m.getJsonRpcError() != null && StatelessProbe.refusalCode(m.getJsonRpcError().code(), 400)) {
                    stateless.learned(server.id(), where, StatelessProbe.Era.HANDSHAKE);
                }
                return Optional.empty(); // another error (-32603 while warming up, say) decides nothing
            }
            if (cause instanceof TimeoutException) {
                return Optional.empty(); // decides nothing: initialize says (see open)
            }
            if (cause instanceof ServerExitedException exited && exited.endedItselfAfterTheRequest()) {
                // a server that ends itself at an unknown method before initialize: the next start is spared it
                stateless.learned(server.id(), where, StatelessProbe.Era.HANDSHAKE);
            }
            throw e;
        }
        if (!StatelessProbe.speaksRevision(result)) {
            stateless.learned(server.id(), where, StatelessProbe.Era.HANDSHAKE);
            return Optional.empty();
        }
        try {
            c.revision(info, result);
        } catch (RuntimeException e) {
            throw new ProtocolViolationException("the server's answer to server/discover names capabilities that are "
                    + "not MCP's");
        }
        slot.method = ProbeMethod.SERVER_DISCOVER;
        stateless.learned(server.id(), where, StatelessProbe.Era.STATELESS);
        return Optional.of(new Handshake(since(start), StatelessHttp.VERSION,
                shown(StatelessProbe.serverInfo(result), redactor(server, endpoint))));
    }

    /**
     * What a server says of itself, as it is shown, printed and stored: without the server's secrets (a server may put
     * what it was given in its name or version), cut to a line of {@link Printable#QUOTE_MAX} characters (a hostile
     * one's megabytes of name would be a table row and a database row each handshake), escaped.
     */
    static ServerInfo shown(ServerInfo info, Redactor redactor) {
        return new ServerInfo(Printable.shorten(redactor.redact(info.name())),
                Printable.shorten(redactor.redact(info.version())));
    }

    private void lost(Slot slot, Connection c, MonitoredServer server, Redactor redactor, Throwable cause) {
        if (closed || slot.connection != c) {
            return;
        }
        FailureClassifier.Classified why = FailureClassifier.classify(cause, "the kept session",
                server.timeout());
        String message = why.message();
        if (FailureClassifier.unwrap(cause) instanceof ServerExitedException exited && exited.lastStderr() != null) {
            message = message + ": " + exited.lastStderr();
        }
        String safe = fresh(server, redactor).redact(message);
        for (SessionLossListener l : lossListeners) {
            l.lost(server.id(), why.type(), safe);
        }
    }

    /**
     * One liveness request within one deadline ({@code timeout}). The first time, the method is negotiated: ping,
     * else tools/list, moving on when a method is refused (-32601, -32602). ({@code server/discover} is the 2026-07-28
     * revision's, sent without a session: {@link StatelessProbe}; within a session servers refuse it.)
     */
    private ProbeOutcome.Answered liveness(Slot slot, Connection connection, Duration timeout) {
        long begin = nanoTime.getAsLong();
        ProbeMethod known = slot.method;
        ProbeMethod method = known == null ? ProbeMethod.PING : known;
        while (true) {
            Duration remaining = timeout.minus(since(begin));
            long sent = nanoTime.getAsLong();
            try {
                if (remaining.isNegative() || remaining.isZero()) {
                    throw new ProbeFailedException(new TimeoutException("no time left"));
                }
                connection.request(method.code(), paramsFor(method), ANY, remaining);
                Duration roundTrip = since(sent);
                if (slot.connection == connection) {
                    slot.method = method; // not a replaced session's word for the new one
                }
                return new ProbeOutcome.Answered(roundTrip, method, Optional.empty());
            } catch (RuntimeException e) {
                if (known == null && refused(FailureClassifier.unwrap(e)) && method.next() != null) {
                    method = method.next();
                    continue;
                }
                throw new LivenessException(method, e);
            }
        }
    }

    private static boolean refused(Throwable cause) {
        return cause instanceof McpError error && error.getJsonRpcError() != null
                && (error.getJsonRpcError().code() == METHOD_NOT_FOUND
                    || error.getJsonRpcError().code() == INVALID_PARAMS);
    }

    private static Object paramsFor(ProbeMethod method) {
        return method == ProbeMethod.PING ? null : Map.of();
    }

    /**
     * The server's tools, each read on its own: one whose definition does not have the protocol's shape (an input
     * schema that is no object, a name that is no string) is left out, said in a line naming it, and the others are
     * served (read as one typed page, one bad tool cost the server every tool of its type).
     */
    private List<McpSchema.Tool> tools(Connection connection, Duration timeout, MonitoredServer server) {
        List<McpSchema.Tool> all = new ArrayList<>();
        if (!connection.offersTools()) {
            // a server without the tools capability has no tools to list (and may refuse tools/list)
            return all;
        }
        List<Object> items = paged(connection, McpSchema.METHOD_TOOLS_LIST, OBJECT, r -> {
                    if (r.get("tools") == null || r.get("tools") instanceof List<?>) {
                        return (List<?>) r.get("tools"); // none: a page without tools, as the typed result read it
                    }
                    // tools that are not a list is the answer's fault, not one tool's: not "no tools"
                    throw new ProtocolViolationException("the server's answer to tools/list has tools that are not a"
                            + " list");
                },
                r -> r.get("nextCursor") instanceof String next ? next : null, timeout);
        for (Object item : items) {
            McpSchema.Tool tool = null;
            try {
                tool = item instanceof Map<?, ?> ? mapper.convertValue(item, McpSchema.Tool.class) : null;
            } catch (RuntimeException unreadable) {
                // said below, without the mapper's words (they name Java types)
            }
            if (tool == null || tool.name() == null) {
                Object name = item instanceof Map<?, ?> m ? m.get("name") : null;
                LOG.warn("{}: tool {} left out: its definition does not have the shape the protocol gives a tool",
                        server.id(), name instanceof String n ? Printable.quote(n) : "(no name)");
                continue;
            }
            all.add(tool);
        }
        return all;
    }

    /**
     * Every page's items of a listing ({@code method}), following each page's next cursor, at most
     * {@link ProbeLimits#MAX_TOOL_PAGES} pages (a server that always gives a cursor ends there).
     */
    private static <R, X> List<X> paged(Connection c, String method, TypeRef<R> type,
                                        Function<R, List<? extends X>> items, Function<R, String> next,
                                        Duration timeout) {
        List<X> all = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < ProbeLimits.MAX_TOOL_PAGES; page++) {
            R result = c.request(method, new McpSchema.PaginatedRequest(cursor), type, timeout);
            if (result == null) {
                break;
            }
            List<? extends X> some = items.apply(result);
            if (some != null) {
                all.addAll(some);
            }
            cursor = next.apply(result);
            if (cursor == null || cursor.isEmpty()) {
                break;
            }
        }
        return all;
    }

    /**
     * Why there is no session to use: recovery reopens it, or, with automatic recovery off, nobody does, and how a
     * person can.
     */
    static String noSession(MonitoredServer server) {
        if (server.failover().autoRecovery()) {
            return "no live session; recovery reopens it";
        }
        return "its process is not running, and automatic recovery is off (autoRecovery: false): nothing restarts it;"
                + " restart it by hand with the MCP tool automated_recovery_system (action recover) or with"
                + " mcp-health failover --strategy restart";
    }

    /**
     * Whether a session that did not answer in time may be dropped. Dropping a stdio server's session stops its process:
     * with automatic recovery off that is not the monitor's to do (a server that hung may answer again, and nothing
     * would start it again), so its session is kept. A remote server's session is only reconnected.
     */
    private static boolean mayDropHung(MonitoredServer server) {
        return server.failover().autoRecovery() || server.transport() != dev.mcphealth.domain.model.TransportKind.STDIO;
    }

    /**
     * The report of a failed probe. The session is kept when the server answered with an error over it (a JSON-RPC
     * error, an HTTP status): it is alive, and restarting it would only add load. It is dropped when it is dead, hung
     * (timeout: unless {@link #mayDropHung} says no), lost or was never established.
     */
    private ProbeReport failed(Slot slot, Connection used, MonitoredServer server, Instant startedAt, boolean opened,
                               Throwable error, String step, Duration allowed, long start, Redactor redactor) {
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
        // the tokens held now (one may have been obtained since the redactor was made)
        Redactor now = fresh(server, redactor);
        ProbeReport report = new ProbeReport(server.id(), startedAt, handshake, opened && handshake.isPresent(),
                new ProbeOutcome.Failed(c.type(), now.redact(message), since(start)));
        // over SSE (no retry hook) a token the server refused (401) is dropped with the session: the next probe
        // reconnects with another; over streamable HTTP the SDK's hook has already tried a new one
        boolean tokenRefused = c.type() == FailureType.AUTHENTICATION && c.message().startsWith("HTTP 401")
                && endpoints.apply(server.id()).orElse(null) instanceof Endpoint.Http http && http.sse()
                && oauthOf(server).map(o -> {
                    o.invalidate();
                    return true;
                }).orElse(false);
        if (used != null && (used.death().isPresent() || (c.type() == FailureType.TIMEOUT && mayDropHung(server))
                || c.type() == FailureType.CONNECTION_ERROR || tokenRefused)) {
            synchronized (slot.lock) {
                drop(slot, used);
            }
        }
        return report;
    }

    /** The server's OAuth client, when its requests carry an access token. */
    private Optional<dev.mcphealth.infrastructure.auth.OAuthClient> oauthOf(MonitoredServer server) {
        return endpoints.apply(server.id()).filter(Endpoint.Http.class::isInstance).map(Endpoint.Http.class::cast)
                .flatMap(http -> oauth.forServer(server.id().value(), http));
    }

    /** {@code made}, or for a server with OAuth one made now: with the tokens held now, renewed since {@code made}. */
    private Redactor fresh(MonitoredServer server, Redactor made) {
        Optional<Endpoint> e = endpoints.apply(server.id());
        return e.isPresent() && e.get() instanceof Endpoint.Http http && http.oauth().isPresent()
                ? redactor(server, http) : made;
    }

    /** What is redacted from what the server says: its configured secrets, and the tokens its OAuth client holds. */
    private Redactor redactor(MonitoredServer server, Endpoint endpoint) {
        if (endpoint instanceof Endpoint.Http http && http.oauth().isPresent()) {
            java.util.List<String> secrets = new java.util.ArrayList<>(endpoint.secrets());
            oauth.forServer(server.id().value(), http).ifPresent(o -> secrets.addAll(o.secrets()));
            return new Redactor(secrets);
        }
        return Redactor.of(endpoint);
    }

    // ---- sessions -------------------------------------------------------------------------------------------

    @Override
    public Optional<MonitorEvent.FailureSummary> reopen(MonitoredServer server) {
        Endpoint endpoint = endpoint(server);
        Redactor redactor = redactor(server, endpoint);
        Slot slot = slot(server.id());
        synchronized (slot.lock) {
            if (closed) {
                throw new IllegalStateException("this probe is closed");
            }
            Connection old = slot.connection;
            if (old != null) {
                slot.connection = null;
                slot.handshake = null;
                old.close(); // a restart: the old process is gone before the new one starts
            }
            try {
                open(slot, server, endpoint);
                return Optional.empty();
            } catch (RuntimeException e) {
                FailureClassifier.Classified c = FailureClassifier.classify(FailureClassifier.unwrap(e), "connect",
                        server.connectTimeout());
                String message = c.message();
                if (FailureClassifier.unwrap(e) instanceof ServerExitedException exited
                        && exited.lastStderr() != null) {
                    message = message + ": " + exited.lastStderr();
                }
                return Optional.of(new MonitorEvent.FailureSummary(c.type(), redactor.redact(message)));
            }
        }
    }

    /**
     * How many sessions with the server were opened so far (0 before the first): a change says that whatever a
     * session holds (the orchestrator's initialized session, say) must be set up again.
     */
    public long sessionsOpened(ServerId server) {
        Slot slot = slots.get(server);
        return slot == null ? 0 : slot.opened;
    }

    @Override
    public void close(ServerId server) {
        Slot slot = slots.get(server);
        if (slot == null) {
            return;
        }
        synchronized (slot.lock) {
            drop(slot, slot.connection);
        }
    }

    @Override
    public boolean isOpen(ServerId server) {
        Slot slot = slots.get(server);
        Connection c = slot == null ? null : slot.connection;
        return c != null && c.death().isEmpty();
    }

    @Override
    public void onSessionLost(SessionLossListener listener) {
        lossListeners.add(listener);
    }

    @Override
    public void onToolsChanged(ToolsChangeListener listener) {
        toolsListeners.add(listener);
    }

    // ---- calls ----------------------------------------------------------------------------------------------

    @Override
    public CallOutcome callTool(MonitoredServer server, String tool, Map<String, Object> arguments, Duration timeout,
                                boolean mayConnect) {
        return callTool(server, tool, arguments, timeout, mayConnect, Caller.NONE);
    }

    @Override
    public CallOutcome callTool(MonitoredServer server, String tool, Map<String, Object> arguments, Duration timeout,
                                boolean mayConnect, java.util.function.Consumer<Progress> progress) {
        return callTool(server, tool, arguments, timeout, mayConnect, new Caller(Optional.ofNullable(progress),
                Cancellation.NEVER, Optional.empty()));
    }

    @Override
    public CallOutcome callTool(MonitoredServer server, String tool, Map<String, Object> arguments, Duration timeout,
                                boolean mayConnect, Caller caller) {
        java.util.function.Consumer<Progress> progress = caller.progress().orElse(null);
        Cancellation cancel = caller.cancel();
        if (cancel.cancelled()) {
            return new CallOutcome.Cancelled(Duration.ZERO); // nothing sent
        }
        return request(server, timeout, mayConnect, "tools/call " + tool, c -> {
            McpSchema.CallToolResult result;
            String token = progress == null ? null : "mcp-health-" + PROGRESS_TOKENS.incrementAndGet();
            McpSchema.CallToolRequest call = token == null ? new McpSchema.CallToolRequest(tool, arguments)
                    : new McpSchema.CallToolRequest(tool, arguments, Map.of("progressToken", token));
            AutoCloseable following = token == null ? () -> { } : c.onProgress(token, n -> progress.accept(
                    new Progress(n.progress() == null ? 0 : n.progress(), n.total() == null ? OptionalDouble.empty()
                            : OptionalDouble.of(n.total()), Optional.ofNullable(n.message()))));
            AutoCloseable asking = caller.asks().map(c::asking).orElse(() -> { });
            try {
                result = c.request(McpSchema.METHOD_TOOLS_CALL, call, CALL_RESULT, timeout, cancel);
            } catch (RequestCancelledException e) {
                return CallOutcome.Cancelled::new; // the server was told to stop; the session is fine
            } catch (RuntimeException e) {
                // the server answered that the request is wrong (bad arguments, no such tool): the caller's
                // mistake, answered as a tool error; the server is well and is not blamed for it
                Throwable cause = FailureClassifier.unwrap(e);
                if (refused(cause) && cause instanceof McpError error) {
                    String said = "tools/call " + tool + " refused: JSON-RPC error " + error.getJsonRpcError().code()
                            + ": " + Printable.escape(Redactor.of(endpoint(server))
                            .redact(String.valueOf(error.getJsonRpcError().message())));
                    McpSchema.CallToolResult answer = McpSchema.CallToolResult.builder().addTextContent(said)
                            .isError(true).build();
                    return elapsed -> new CallOutcome.Replied(reply(answer), elapsed);
                }
                throw e;
            } finally {
                try {
                    following.close();
                    asking.close();
                } catch (Exception e) {
                    // removing a map or deque entry does not fail
                }
            }
            return elapsed -> new CallOutcome.Replied(reply(result), elapsed);
        });
    }

    @Override
    public CallOutcome listTools(MonitoredServer server, Duration timeout, boolean mayConnect) {
        return request(server, timeout, mayConnect, McpSchema.METHOD_TOOLS_LIST, c -> {
            List<ToolSpec> specs = new ArrayList<>();
            Redactor redactor = redactor(server, endpoint(server));
            for (McpSchema.Tool t : tools(c, timeout, server)) {
                // a description (the schemas' too) may echo what the server was sent (a header, a key in its URL, a
                // token): never passed on
                specs.add(new ToolSpec(t.name(), t.description() == null ? "" : redactor.redact(t.description()),
                        t.inputSchema() == null ? "{}" : redactor.redact(json(t.inputSchema())),
                        t.outputSchema() == null || t.outputSchema().isEmpty() ? Optional.empty()
                                : Optional.of(redactor.redact(json(t.outputSchema()))), hints(t)));
            }
            return elapsed -> new CallOutcome.Listed(specs, elapsed);
        });
    }

    @Override
    public CallOutcome request(MonitoredServer server, UpstreamRequest what, Map<String, Object> params,
                               Duration timeout, boolean mayConnect) {
        return request(server, what, params, timeout, mayConnect, Cancellation.NEVER);
    }

    @Override
    public CallOutcome request(MonitoredServer server, UpstreamRequest what, Map<String, Object> params,
                               Duration timeout, boolean mayConnect, Cancellation cancel) {
        if (cancel.cancelled()) {
            return new CallOutcome.Cancelled(Duration.ZERO); // nothing sent
        }
        String method = method(what);
        return request(server, timeout, mayConnect, method, c -> {
            boolean prompts = what == UpstreamRequest.LIST_PROMPTS || what == UpstreamRequest.GET_PROMPT;
            if (!(prompts ? c.offersPrompts() : c.offersResources())) {
                // not offered (its capabilities say so): nothing to list, and nothing to ask it for
                String json = what.listing() ? json(Map.of(itemsOf(what), List.of()))
                        : json(Map.of("code", METHOD_NOT_FOUND, "message", server.type().value() + " offers no "
                        + (prompts ? "prompts" : "resources")));
                return elapsed -> new CallOutcome.Answered(json, !what.listing(), elapsed);
            }
            try {
                String json = what.listing() ? json(Map.of(itemsOf(what), pages(c, method, itemsOf(what), timeout)))
                        : json(c.request(method, params, OBJECT, timeout, cancel));
                return elapsed -> new CallOutcome.Answered(json, false, elapsed);
            } catch (RequestCancelledException e) {
                return CallOutcome.Cancelled::new; // the server was told to stop; the session is fine
            } catch (RuntimeException e) {
                Throwable cause = FailureClassifier.unwrap(e);
                if (cause instanceof McpError error && error.getJsonRpcError() != null
                        && WRONG_REQUEST.contains(error.getJsonRpcError().code())) {
                    // the server answered that the request is wrong (no such prompt or resource): its answer; any
                    // other error (internal, server) is its failure, which the breaker and the balancer count
                    Map<String, Object> refusal = new java.util.LinkedHashMap<>();
                    refusal.put("code", error.getJsonRpcError().code());
                    refusal.put("message", Printable.escape(Redactor.of(endpoint(server))
                            .redact(String.valueOf(error.getJsonRpcError().message()))));
                    String json = json(refusal);
                    return elapsed -> new CallOutcome.Answered(json, true, elapsed);
                }
                throw e;
            }
        });
    }

    /** The errors that say a prompt or resource request was wrong, not that the server failed: invalid params, no
     * such method, no such resource. */
    private static final java.util.Set<Integer> WRONG_REQUEST = java.util.Set.of(METHOD_NOT_FOUND, INVALID_PARAMS,
            -32002);

    private static String method(UpstreamRequest what) {
        return switch (what) {
            case LIST_PROMPTS -> McpSchema.METHOD_PROMPT_LIST;
            case LIST_RESOURCES -> McpSchema.METHOD_RESOURCES_LIST;
            case LIST_RESOURCE_TEMPLATES -> McpSchema.METHOD_RESOURCES_TEMPLATES_LIST;
            case GET_PROMPT -> McpSchema.METHOD_PROMPT_GET;
            case READ_RESOURCE -> McpSchema.METHOD_RESOURCES_READ;
        };
    }

    /** Where a listing's result has its items. */
    private static String itemsOf(UpstreamRequest listing) {
        return switch (listing) {
            case LIST_PROMPTS -> "prompts";
            case LIST_RESOURCES -> "resources";
            default -> "resourceTemplates";
        };
    }

    /** Every page's items of a prompts or resources listing, as the server sent them. */
    private static List<Object> pages(Connection c, String method, String items, Duration timeout) {
        return paged(c, method, OBJECT, r -> r.get(items) instanceof List<?> some ? some : null,
                r -> r.get("nextCursor") instanceof String next ? next : null, timeout);
    }

    private static CallOutcome withSetup(CallOutcome o, Duration setup) {
        if (o instanceof CallOutcome.Replied r && setup.compareTo(r.elapsed()) <= 0) {
            return new CallOutcome.Replied(r.reply(), r.elapsed(), setup);
        }
        if (o instanceof CallOutcome.Listed l && setup.compareTo(l.elapsed()) <= 0) {
            return new CallOutcome.Listed(l.tools(), l.elapsed(), setup);
        }
        if (o instanceof CallOutcome.Answered a && setup.compareTo(a.elapsed()) <= 0) {
            return new CallOutcome.Answered(a.json(), a.refused(), a.elapsed(), setup);
        }
        return o;
    }

    private CallOutcome request(MonitoredServer server, Duration timeout, boolean mayConnect, String step,
                                Function<Connection, Function<Duration, CallOutcome>> send) {
        Endpoint endpoint = endpoint(server);
        Redactor redactor = redactor(server, endpoint);
        Slot slot = slot(server.id());
        long start = nanoTime.getAsLong();
        Live live;
        try {
            Optional<Live> kept = live(slot, server, endpoint, mayConnect);
            if (kept.isEmpty()) {
                return new CallOutcome.Failed(FailureType.CONNECTION_ERROR, server.id() + ": " + noSession(server),
                        false, since(start));
            }
            live = kept.get();
        } catch (RuntimeException e) {
            Throwable cause = FailureClassifier.unwrap(e instanceof DeadSession ? e.getCause() : e);
            FailureClassifier.Classified c = FailureClassifier.classify(cause,
                    e instanceof DeadSession ? "the kept session" : "connect", server.connectTimeout());
            return new CallOutcome.Failed(c.type(), redactor.redact(c.message()), false, since(start));
        }
        Duration setup = since(start); // opening the session, when there was none: not the request's own time
        try {
            return withSetup(send.apply(live.connection()).apply(since(start)), setup);
        } catch (RuntimeException e) {
            Throwable cause = FailureClassifier.unwrap(e);
            FailureClassifier.Classified c = FailureClassifier.classify(cause, step, timeout);
            // a refused connection or a lost session never delivered the request; anything else may have
            boolean delivered = !(cause instanceof java.net.ConnectException
                    || cause instanceof io.modelcontextprotocol.spec.McpTransportSessionNotFoundException);
            if (live.connection().death().isPresent() || (c.type() == FailureType.CONNECTION_ERROR)) {
                synchronized (slot.lock) {
                    drop(slot, live.connection());
                }
            }
            return new CallOutcome.Failed(c.type(), redactor.redact(c.message()), delivered, since(start));
        }
    }

    private ToolReply reply(McpSchema.CallToolResult result) {
        List<String> texts = new ArrayList<>();
        if (result.content() != null) {
            for (McpSchema.Content content : result.content()) {
                if (content instanceof McpSchema.TextContent text && text.text() != null) {
                    texts.add(text.text());
                }
            }
        }
        return new ToolReply(Boolean.TRUE.equals(result.isError()), texts, json(result));
    }

    /** The tool's annotations and title as the server sent them (the tool's own title first). */
    private static ToolHints hints(McpSchema.Tool t) {
        McpSchema.ToolAnnotations a = t.annotations();
        Optional<String> title = Optional.ofNullable(t.title()).or(() -> Optional.ofNullable(a).map(
                McpSchema.ToolAnnotations::title)).filter(x -> !x.isBlank());
        if (a == null) {
            return new ToolHints(title, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }
        return new ToolHints(title, Optional.ofNullable(a.readOnlyHint()), Optional.ofNullable(a.destructiveHint()),
                Optional.ofNullable(a.idempotentHint()), Optional.ofNullable(a.openWorldHint()));
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ---- housekeeping ---------------------------------------------------------------------------------------

    private Endpoint endpoint(MonitoredServer server) {
        if (closed) {
            throw new IllegalStateException("this probe is closed");
        }
        return endpoints.apply(server.id()).orElseThrow(() ->
                new IllegalArgumentException("no endpoint configured for " + server.id()));
    }

    private Slot slot(ServerId id) {
        return slots.computeIfAbsent(id, x -> new Slot());
    }

    /**
     * Forgets a session (if it is still the slot's) and closes it in the background: closing a hung stdio server
     * takes its grace periods, which must not delay anyone. {@link #close()} waits for these. Under the slot's lock.
     */
    private void drop(Slot slot, Connection c) {
        if (slot.connection == c) {
            slot.connection = null;
            slot.handshake = null;
        }
        if (c == null) {
            return;
        }
        if (closed) {
            c.close();
        } else {
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
            synchronized (slot.lock) {
                drop(slot, slot.connection);
            }
        });
        CompletableFuture.allOf(pendingCloses.toArray(CompletableFuture[]::new)).join();
        closer.shutdown();
        stateless.close();
    }

    /** The kept session was found dead: what killed it is the cause. */
    private static final class DeadSession extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DeadSession(Throwable cause) {
            super(cause);
        }
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
