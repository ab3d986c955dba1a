package dev.mcphealth.infrastructure.probe;

import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientSession;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One MCP session with one server, on the SDK's {@link McpClientSession} (used directly so that any method, such as
 * {@code server/discover}, can be sent). Every request races the connection's death: when the process exits or the
 * transport fails to connect, a waiting request fails at once instead of waiting for its timeout.
 */
final class Connection implements AutoCloseable {
    private static final TypeRef<McpSchema.InitializeResult> INITIALIZE = McpAsyncClient.INITIALIZE_RESULT_TYPE_REF;
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(3);
    /** What tells a server to stop a request (the SDK has no name for it). */
    static final String CANCELLED = "notifications/cancelled";

    private final McpClientTransport transport;
    private final McpClientSession session;
    private final Sinks.One<Object> dead = Sinks.one();
    private final Runnable stopper;
    private final Runnable onInitialized;
    private volatile String protocolVersion;
    private volatile McpSchema.ServerCapabilities capabilities;
    private volatile Throwable deathCause;
    private volatile boolean closing;
    /** Told when the server says its tools, prompts or resources changed (notifications/.../list_changed). */
    private volatile Runnable toolsChanged = () -> { };
    private final java.util.List<java.util.function.Consumer<Throwable>> deathListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    private Connection(McpClientTransport transport, Runnable stopper, Runnable onInitialized) {
        this.transport = transport;
        this.stopper = stopper;
        this.onInitialized = onInitialized;
        this.session = new McpClientSession(ProbeLimits.SESSION_REQUEST_TIMEOUT, new IdsSent(transport),
                Map.of(McpSchema.METHOD_PING, params -> Mono.just(Map.of()),
                        McpSchema.METHOD_SAMPLING_CREATE_MESSAGE,
                        params -> asked(dev.mcphealth.domain.model.ClientAsk.SAMPLING, params),
                        McpSchema.METHOD_ELICITATION_CREATE,
                        params -> asked(dev.mcphealth.domain.model.ClientAsk.ELICITATION, params),
                        McpSchema.METHOD_ROOTS_LIST,
                        params -> asked(dev.mcphealth.domain.model.ClientAsk.ROOTS, params)),
                Map.of(
                        McpSchema.METHOD_NOTIFICATION_MESSAGE, params -> Mono.empty(),
                        McpSchema.METHOD_NOTIFICATION_PROGRESS, params -> Mono.fromRunnable(() -> progressed(params)),
                        McpSchema.METHOD_NOTIFICATION_TOOLS_LIST_CHANGED, params -> Mono.fromRunnable(this::changed),
                        McpSchema.METHOD_NOTIFICATION_RESOURCES_LIST_CHANGED,
                        params -> Mono.fromRunnable(this::changed),
                        McpSchema.METHOD_NOTIFICATION_RESOURCES_UPDATED, params -> Mono.empty(),
                        McpSchema.METHOD_NOTIFICATION_PROMPTS_LIST_CHANGED, params -> Mono.fromRunnable(this::changed)),
                connect -> connect.doOnError(this::die));
    }

    /**
     * A session over a transport whose failures surface only through its connect (HTTP, SSE); closing waits a little
     * for the transport's own goodbye (streamable HTTP's DELETE of the session).
     */
    static Connection over(McpClientTransport transport) {
        return new Connection(transport, () -> transport.closeGracefully().timeout(CLOSE_GRACE)
                .onErrorResume(e -> Mono.empty()).block(), () -> { });
    }

    /** A session over our own stdio transport: the process's exit kills the connection. */
    static Connection over(ProcessStdioTransport transport) {
        Connection c = new Connection(transport, transport::stop, transport::rememberTree);
        CompletableFuture<Integer> exit = transport.exit();
        exit.thenAccept(code -> c.die(transport.exitedException()));
        transport.broken().thenAccept(c::die);
        return c;
    }

    private void die(Throwable cause) {
        boolean first;
        synchronized (this) {
            first = deathCause == null;
            if (first) {
                deathCause = cause;
            }
        }
        dead.tryEmitError(cause);
        if (first && !closing) {
            deathListeners.forEach(l -> l.accept(cause));
        }
    }

    /**
     * Calls {@code listener} once, on the transport's thread, when the connection dies by itself (not when we close
     * it); at once if it is already dead.
     */
    void onDeath(java.util.function.Consumer<Throwable> listener) {
        deathListeners.add(listener);
        Throwable already = deathCause;
        if (already != null && !closing && deathListeners.remove(listener)) {
            listener.accept(already);
        }
    }

    /** Who is told the progress of each request that asked for it, by its progress token. */
    private final Map<String, java.util.function.Consumer<McpSchema.ProgressNotification>> progress =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Tells {@code listener} each progress notification with {@code token} until the returned handle is closed (the
     * request's end).
     */
    AutoCloseable onProgress(String token, java.util.function.Consumer<McpSchema.ProgressNotification> listener) {
        progress.put(token, listener);
        return () -> progress.remove(token);
    }

    private void progressed(Object params) {
        try {
            McpSchema.ProgressNotification n = transport.unmarshalFrom(params,
                    new io.modelcontextprotocol.json.TypeRef<McpSchema.ProgressNotification>() { });
            java.util.function.Consumer<McpSchema.ProgressNotification> l = n == null || n.progressToken() == null
                    ? null : progress.get(String.valueOf(n.progressToken()));
            if (l != null) {
                l.accept(n);
            }
        } catch (RuntimeException e) {
            // a malformed notification or a listener's failure is not the session's
        }
    }

    private void changed() {
        try {
            toolsChanged.run();
        } catch (RuntimeException e) {
            // a listener's failure is not the session's
        }
    }

    /**
     * Calls {@code listener} (on the transport's thread) each time the server says its tools, prompts or resources
     * changed.
     */
    void onToolsChanged(Runnable listener) {
        this.toolsChanged = java.util.Objects.requireNonNull(listener, "listener");
    }

    /** Why the connection is dead, if it is. */
    Optional<Throwable> death() {
        return Optional.ofNullable(deathCause);
    }

    /** The clients of the calls under way on this session that its server may ask something, newest last. */
    private final java.util.Deque<dev.mcphealth.domain.model.AskClient> askers =
            new java.util.concurrent.ConcurrentLinkedDeque<>();

    /**
     * Makes {@code client} the one this session's server may ask (sampling, elicitation, roots) until the returned handle
     * is closed (its call's end). With several calls under way, the newest whose client can answer is asked: the
     * protocol does not say which call a server's request is for.
     */
    AutoCloseable asking(dev.mcphealth.domain.model.AskClient client) {
        askers.addLast(client);
        return () -> askers.removeLastOccurrence(client);
    }

    /** A request of the server's to the client behind a call under way: asked of it, or refused saying why. */
    private Mono<Object> asked(dev.mcphealth.domain.model.ClientAsk kind, Object params) {
        dev.mcphealth.domain.model.AskClient to = null;
        java.util.Set<String> clients = new java.util.HashSet<>();
        for (java.util.Iterator<dev.mcphealth.domain.model.AskClient> it = askers.descendingIterator();
             it.hasNext(); ) {
            dev.mcphealth.domain.model.AskClient a = it.next();
            clients.add(a.clientId());
            to = to == null && a.can(kind) ? a : to;
        }
        String refused = askers.isEmpty() ? "no call under way on this session has a client that declared "
                + kind.capability()
                : clients.size() > 1 ? "calls of " + clients.size() + " clients are under way on this session, and"
                + " the protocol does not say whose this is (it is never passed to another client than its call's)"
                : to == null ? "the client of the call under way did not declare " + kind.capability() : null;
        if (refused != null) {
            return Mono.error(new io.modelcontextprotocol.spec.McpError(new McpSchema.JSONRPCResponse.JSONRPCError(
                    McpSchema.ErrorCodes.METHOD_NOT_FOUND, "MCP Health cannot pass this " + kind.capability()
                    + " request on: " + refused)));
        }
        dev.mcphealth.domain.model.AskClient chosen = to;
        io.modelcontextprotocol.json.McpJsonMapper json = io.modelcontextprotocol.json.McpJsonDefaults.getMapper();
        return Mono.fromCallable(() -> (Object) json.readValue(chosen.ask(kind, json.writeValueAsString(params)),
                        Map.class))
                .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic())
                .onErrorMap(e -> !(e instanceof io.modelcontextprotocol.spec.McpError), e -> new io.modelcontextprotocol
                        .spec.McpError(new McpSchema.JSONRPCResponse.JSONRPCError(
                                e instanceof dev.mcphealth.domain.model.AskClient.Refused r ? r.code()
                                        : McpSchema.ErrorCodes.INTERNAL_ERROR,
                                // the client's refusal as it was said; anything else (its answer unreadable) in words,
                                // never an exception's text, which the server could show its own client
                                e instanceof dev.mcphealth.domain.model.AskClient.Refused ? e.getMessage()
                                        : "the client's answer to the " + kind.capability()
                                        + " request could not be passed on")));
    }

    McpSchema.InitializeResult initialize(McpSchema.Implementation client, Duration timeout) {
        return initialize(client, timeout, McpSchema.ClientCapabilities.builder().build());
    }

    /** Initializes the session, declaring {@code capabilities} (what its server may ask: sampling, elicitation, roots). */
    McpSchema.InitializeResult initialize(McpSchema.Implementation client, Duration timeout,
                                          McpSchema.ClientCapabilities declared) {
        List<String> versions = transport.protocolVersions();
        McpSchema.InitializeRequest request = McpSchema.InitializeRequest.builder(
                versions.get(versions.size() - 1), declared, client).build();
        McpSchema.InitializeResult result = call(session.sendRequest(McpSchema.METHOD_INITIALIZE, request, INITIALIZE),
                timeout);
        if (!versions.contains(result.protocolVersion())) {
            throw new ProtocolViolationException("the server chose protocol version " + result.protocolVersion()
                    + ", which this client does not speak (" + String.join(", ", versions) + ")");
        }
        protocolVersion = result.protocolVersion();
        capabilities = result.capabilities();
        call(session.sendNotification(McpSchema.METHOD_NOTIFICATION_INITIALIZED, null), timeout);
        onInitialized.run();
        return result;
    }

    /** Whether the server declared the tools capability in its initialize answer. */
    boolean offersTools() {
        McpSchema.ServerCapabilities c = capabilities;
        return c != null && c.tools() != null;
    }

    /** Whether the server declared the prompts capability in its initialize answer. */
    boolean offersPrompts() {
        McpSchema.ServerCapabilities c = capabilities;
        return c != null && c.prompts() != null;
    }

    /** Whether the server declared the resources capability in its initialize answer. */
    boolean offersResources() {
        McpSchema.ServerCapabilities c = capabilities;
        return c != null && c.resources() != null;
    }

    <T> T request(String method, Object params, TypeRef<T> type, Duration timeout) {
        return call(session.sendRequest(method, enveloped(params), type), timeout, Mono.never());
    }

    /** The client's name, in the 2026-07-28 revision's envelope on every request; null: the handshake's session. */
    private volatile Map<String, Object> revision;

    /**
     * This connection speaks the 2026-07-28 revision (a stdio process whose first request, server/discover, was
     * answered so): no initialize; every request carries the revision's envelope in its {@code _meta}, naming
     * {@code clientInfo}; {@code discovered} is the discover result (its capabilities are the server's).
     */
    void revision(Map<String, Object> clientInfo, Map<String, Object> discovered) {
        Object caps = discovered.get("capabilities");
        capabilities = caps == null ? McpSchema.ServerCapabilities.builder().build()
                : transport.unmarshalFrom(caps, new TypeRef<McpSchema.ServerCapabilities>() { });
        protocolVersion = StatelessHttp.VERSION;
        revision = Map.copyOf(clientInfo);
        onInitialized.run();
    }

    /** Whether this connection speaks the 2026-07-28 revision. */
    boolean inRevision() {
        return revision != null;
    }

    /** {@code params} in the revision's envelope when the connection speaks it, else as they are. */
    private Object enveloped(Object params) {
        Map<String, Object> info = revision;
        if (info == null) {
            return params;
        }
        Map<String, Object> p = params == null ? Map.of()
                : transport.unmarshalFrom(params, new TypeRef<Map<String, Object>>() { });
        return StatelessHttp.withMeta(p, info);
    }

    /**
     * The same request, stopped when {@code cancel} is set before its answer: the server is told (notifications/cancelled
     * with the request's id, if it went out) and {@link RequestCancelledException} is thrown.
     */
    <T> T request(String method, Object params, TypeRef<T> type, Duration timeout,
                  dev.mcphealth.domain.model.Cancellation cancel) {
        if (cancel.cancelled()) {
            throw new RequestCancelledException(); // cancelled while the session was being opened: nothing is sent
        }
        params = enveloped(params);
        java.util.concurrent.atomic.AtomicReference<Object> id = new java.util.concurrent.atomic.AtomicReference<>();
        sent.put(new Same(params), id);
        Sinks.One<Boolean> stop = Sinks.one();
        Runnable off = cancel.onCancel(() -> stop.tryEmitValue(Boolean.TRUE));
        try {
            return call(session.sendRequest(method, params, type), timeout,
                    stop.asMono().flatMap(x -> Mono.error(new RequestCancelledException())));
        } catch (RequestCancelledException e) {
            abandon(id.get(), cancel.reason().orElse("cancelled"));
            throw e;
        } catch (RuntimeException e) {
            if (Exceptions.unwrap(e) instanceof java.util.concurrent.TimeoutException
                    || e.getCause() instanceof java.util.concurrent.TimeoutException) {
                abandon(id.get(), "timed out after " + timeout.toMillis() + " ms"); // the spec: SHOULD say so
            }
            throw e;
        } finally {
            off.run();
            sent.remove(new Same(params));
        }
    }

    /**
     * A request given up (cancelled, timed out) while the server may still be at it: the server is told to stop
     * (notifications/cancelled; told, not waited for, so that a server gone or slow to read cannot hold the caller),
     * and the session's own wait for its answer is ended (the SDK's session keeps a pending entry until an answer
     * comes, and a server that honours the cancellation never sends one).
     */
    private void abandon(Object requestId, String reason) {
        if (requestId == null) {
            return; // it never went out
        }
        Map<String, Object> said = new java.util.LinkedHashMap<>();
        said.put("requestId", requestId);
        said.put("reason", reason);
        session.sendNotification(CANCELLED, said).timeout(CLOSE_GRACE).subscribe(ok -> { }, failed -> { });
        java.util.function.Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> in = inbound;
        if (in != null) {
            try {
                in.apply(Mono.just(new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, requestId, null,
                        new McpSchema.JSONRPCResponse.JSONRPCError(REQUEST_CANCELLED, reason, null))))
                        .subscribe(ok -> { }, failed -> { });
            } catch (RuntimeException e) {
                // the session is closing: its pending entries go with it
            }
        }
    }

    /** The code of the answer that ends the session's wait for a request given up (the spec's "request cancelled"). */
    private static final int REQUEST_CANCELLED = -32800;
    /** The session's handler of what the server sends: fed an answer of our own to end a wait (see abandon). */
    private volatile java.util.function.Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>>
            inbound;

    /**
     * Requests whose id is being watched for, by their params object (its identity: two calls of one tool with the same
     * arguments are two requests): filled in as each goes out. No lock: a concurrent map.
     */
    private final Map<Same, java.util.concurrent.atomic.AtomicReference<Object>> sent =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** An object compared by identity. */
    private record Same(Object of) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Same other && other.of == of;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(of);
        }
    }

    /** The session's transport, noting the JSON-RPC id of each watched request as it goes out (to cancel it). */
    private final class IdsSent implements McpClientTransport {
        private final McpClientTransport delegate;

        IdsSent(McpClientTransport delegate) {
            this.delegate = delegate;
        }

        @Override
        public Mono<Void> connect(java.util.function.Function<Mono<McpSchema.JSONRPCMessage>,
                Mono<McpSchema.JSONRPCMessage>> handler) {
            inbound = handler;
            return delegate.connect(handler);
        }

        @Override
        public void setExceptionHandler(java.util.function.Consumer<Throwable> handler) {
            delegate.setExceptionHandler(handler);
        }

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
            if (message instanceof McpSchema.JSONRPCRequest r && r.params() != null && !sent.isEmpty()) {
                java.util.concurrent.atomic.AtomicReference<Object> id = sent.get(new Same(r.params()));
                if (id != null) {
                    id.set(r.id());
                }
            }
            return delegate.sendMessage(message);
        }

        @Override
        public Mono<Void> closeGracefully() {
            return delegate.closeGracefully();
        }

        @Override
        public void close() {
            delegate.close();
        }

        @Override
        public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
            return delegate.unmarshalFrom(data, typeRef);
        }

        @Override
        public List<String> protocolVersions() {
            return delegate.protocolVersions();
        }
    }

    private <T> T call(Mono<T> request, Duration timeout) {
        return call(request, timeout, Mono.never());
    }

    private <T> T call(Mono<T> request, Duration timeout, Mono<T> stopSignal) {
        String version = protocolVersion;
        Mono<T> withVersion = version == null ? request
                : request.contextWrite(ctx -> ctx.put(McpAsyncClient.NEGOTIATED_PROTOCOL_VERSION, version));
        Mono<T> deathSignal = dead.asMono().then(Mono.never());
        try {
            return Mono.firstWithSignal(withVersion, deathSignal, stopSignal).timeout(timeout).block();
        } catch (RuntimeException e) {
            Throwable cause = Exceptions.unwrap(e);
            if (cause instanceof RuntimeException r && r != e) {
                throw r;
            }
            if (cause != e) {
                throw new ProbeFailedException(cause);
            }
            throw e;
        }
    }

    @Override
    public void close() {
        closing = true;
        // the session only fails what is still waiting; the transport does the closing
        session.close();
        stopper.run();
    }
}
