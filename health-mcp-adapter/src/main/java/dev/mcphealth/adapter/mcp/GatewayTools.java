package dev.mcphealth.adapter.mcp;

import dev.mcphealth.application.port.in.CallToolUseCase;
import dev.mcphealth.application.port.in.ListToolsUseCase;
import dev.mcphealth.application.port.in.NoHealthyInstanceException;
import dev.mcphealth.domain.model.AskClient;
import dev.mcphealth.domain.model.Caller;
import dev.mcphealth.domain.model.ClientAsk;
import dev.mcphealth.domain.model.Faults;
import dev.mcphealth.domain.model.Progress;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.ToolHints;
import dev.mcphealth.domain.model.ToolSpec;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upstream servers' tools as MCP Health serves them in {@link Gateway} mode: each server type's tools listed once
 * through the resilient path when the server starts, named {@code <serverType>__<tool>}; a call goes to
 * {@link CallToolUseCase} and its upstream result comes back as it was (content, structured content, isError). A type
 * that cannot list its tools at start (or not within {@link #LIST_DEADLINE}) is said on stderr and tried again
 * every {@link #RELIST_EVERY} until it lists, its tools then added and the clients told (tools/list_changed); the
 * served types are listed again every {@link Gateway#refreshEvery} and on drift, and what changed is applied. A name
 * that is not a legal tool name ({@code [A-Za-z0-9_-]{1,64}}, what Claude Desktop accepts) or that another already
 * took is left out.
 */
final class GatewayTools {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayTools.class);
    private static final Pattern LEGAL_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final AtomicLong INCIDENTS = new AtomicLong();
    /** How long the server's start waits for the upstreams' tools: a cold npx start takes seconds. */
    static final Duration LIST_DEADLINE = Duration.ofSeconds(20);

    /** How long after an upstream's list_changed the served lists are refreshed: the notices of that time in one. */
    static final Duration NOTICE_GAP = Duration.ofSeconds(1);

    /** How often the types that could not list are tried again, until each has. */
    static final Duration RELIST_EVERY = Duration.ofSeconds(10);


    private final Gateway gateway;
    private final McpJsonMapper mapper;
    /** The names served so far: a later type's tool never takes one. */
    private final Set<String> taken = ConcurrentHashMap.newKeySet();
    /** The types whose tools are not served yet. */
    private final Set<String> missing = ConcurrentHashMap.newKeySet();
    /** The names refused so far (said once). */
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    /** Each served type's tools as served, by the upstream's name. */
    private final Map<String, Map<String, ToolSpec>> served = new ConcurrentHashMap<>();
    /** The specification of every tool served now, by its gateway name (for the 2026-07-28 revision's calls). */
    private final Map<String, SyncToolSpecification> specs = new ConcurrentHashMap<>();

    /** What is refreshed with the tools: the prompts and resources ({@link GatewayCatalog#refresh}). */
    private final java.util.function.Consumer<McpSyncServer> alsoRefresh;

    /** Where each call finds whether its client cancelled it. */
    private final Cancellations cancellations;

    GatewayTools(Gateway gateway, McpJsonMapper mapper, java.util.function.Consumer<McpSyncServer> alsoRefresh,
                 Cancellations cancellations) {
        this.gateway = gateway;
        this.mapper = mapper;
        this.alsoRefresh = alsoRefresh;
        this.cancellations = cancellations;
    }

    /** The types whose tools are served now, in type order. */
    List<String> servedTypes() {
        return gateway.serverTypes().stream().filter(t -> !missing.contains(t)).toList();
    }

    /**
     * The tools of every type that lists within {@link #LIST_DEADLINE} of the start, in type order, each type's in
     * its own order. The types are listed at once, side by side, so one hung upstream delays the server's start by
     * the deadline at most; the others are tried again later ({@link #relistMissing}).
     */
    List<SyncToolSpecification> listAll() {
        return list(gateway.serverTypes(), false);
    }

    /** The specification of a tool served now under its gateway name. */
    Optional<SyncToolSpecification> served(String name) {
        return Optional.ofNullable(specs.get(name));
    }

    /** What keeps the served tools current: stopped by {@link #close}, asked for a refresh at once by {@link #now}. */
    interface Upkeep extends AutoCloseable {
        /** Lists every served type again soon (an upstream's tools drifted), off the caller's thread. */
        void now();

        @Override
        void close();
    }

    /**
     * Keeps {@code server}'s upstream tools current, on one daemon thread: the types that could not list are tried
     * every {@link #RELIST_EVERY} until each has; every served type is listed again every {@link Gateway#refreshEvery} and
     * when asked ({@link Upkeep#now}, on drift), and what changed (a tool added, gone, or with another description,
     * schema or annotations) is applied to the served tools and the clients told (tools/list_changed). A type whose
     * listing comes only from memory (no instance answers) keeps what it serves: its tools stay listed, and a call
     * to them fails fast with when to retry.
     */
    Upkeep keepCurrent(McpSyncServer server) {
        ScheduledExecutorService upkeep = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mcp-health-gateway-upkeep");
            t.setDaemon(true);
            return t;
        });
        upkeep.scheduleWithFixedDelay(() -> guarded("listing the missing types again", () -> {
            if (missing.isEmpty()) {
                return;
            }
            List<String> again = gateway.serverTypes().stream().filter(missing::contains).toList();
            List<SyncToolSpecification> found = list(again, true);
            if (!found.isEmpty()) {
                found.forEach(server::addTool);
                server.notifyToolsListChanged();
                LOG.info("gateway: {} more tool(s) served; the clients are told", found.size());
            }
            if (missing.size() < again.size()) {
                alsoRefresh.accept(server); // a type that lists now: its prompts and resources too
            }
        }), RELIST_EVERY.toMillis(), RELIST_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        upkeep.scheduleWithFixedDelay(() -> guarded("refreshing the served tools", () -> refresh(server)),
                gateway.refreshEvery().toMillis(), gateway.refreshEvery().toMillis(), TimeUnit.MILLISECONDS);
        // one refresh waiting at most, a second after the first notice: a server that says list_changed on every call
        // (server-everything does, for the resource each gzip-file-as-resource call registers) asks for many, all for
        // the same, and gets at most one refresh a second
        OnePending refresh = new OnePending(r -> upkeep.schedule(r, NOTICE_GAP.toMillis(), TimeUnit.MILLISECONDS),
                () -> guarded("refreshing the served tools", () -> refresh(server)));
        return new Upkeep() {
            @Override
            public void now() {
                refresh.request();
            }

            @Override
            public void close() {
                upkeep.shutdownNow();
            }
        };
    }

    private static void guarded(String what, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            LOG.warn("gateway: {} failed: {}", what, Faults.describe(e));
        }
    }

    /** Lists every served type again and applies what changed to {@code server}; the clients told once if any did. */
    private void refresh(McpSyncServer server) {
        int changed = 0;
        for (String type : gateway.serverTypes()) {
            Map<String, ToolSpec> now = served.get(type);
            if (now == null) {
                continue; // not served yet: the missing types' tries list it
            }
            ListToolsUseCase.Listing listing;
            try {
                listing = gateway.list().list(ServerType.of(type));
            } catch (RuntimeException e) {
                continue; // nothing answers and nothing is remembered: what is served stays
            }
            if (listing.stale()) {
                continue; // from memory: what is served stays
            }
            Map<String, ToolSpec> fresh = new LinkedHashMap<>();
            listing.tools().forEach(t -> fresh.put(t.name(), t));
            for (Map.Entry<String, ToolSpec> e : List.copyOf(now.entrySet())) {
                ToolSpec to = fresh.get(e.getKey());
                if (to == null || !to.equals(e.getValue())) {
                    String name = type + Gateway.SEPARATOR + e.getKey();
                    server.removeTool(name);
                    specs.remove(name);
                    taken.remove(name);
                    now.remove(e.getKey());
                    changed++;
                }
            }
            for (ToolSpec t : fresh.values()) {
                if (!now.containsKey(t.name())) {
                    Optional<SyncToolSpecification> spec = serve(type, t);
                    if (spec.isPresent()) {
                        server.addTool(spec.get());
                        changed++;
                    }
                }
            }
        }
        if (changed > 0) {
            server.notifyToolsListChanged();
            LOG.info("gateway: the upstreams' tools changed ({} added, gone or changed); the clients are told",
                    changed);
        }
        alsoRefresh.accept(server);
    }

    /** The tools of {@code types} that list within the deadline; the others are kept as missing. */
    private List<SyncToolSpecification> list(List<String> types, boolean again) {
        ExecutorService listers = Executors.newFixedThreadPool(Math.max(1, Math.min(types.size(), 8)), r -> {
            Thread t = new Thread(r, "mcp-health-gateway-list");
            t.setDaemon(true);
            return t;
        });
        Map<String, CompletableFuture<ListToolsUseCase.Listing>> listings = new LinkedHashMap<>();
        try {
            for (String type : types) {
                listings.put(type, CompletableFuture.supplyAsync(() -> gateway.list().list(ServerType.of(type)),
                        listers));
            }
        } finally {
            listers.shutdown(); // a listing still out when the deadline passes ends on its own; it is not used
        }
        try {
            CompletableFuture.allOf(listings.values().toArray(CompletableFuture[]::new))
                    .get(LIST_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // each listing is looked at below: the ones not done, or failed, are said one by one
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<SyncToolSpecification> out = new ArrayList<>();
        for (Map.Entry<String, CompletableFuture<ListToolsUseCase.Listing>> e : listings.entrySet()) {
            String type = e.getKey();
            Optional<ListToolsUseCase.Listing> listing = listed(type, e.getValue(), again);
            if (listing.isEmpty()) {
                missing.add(type);
                continue;
            }
            missing.remove(type);
            served.putIfAbsent(type, new ConcurrentHashMap<>());
            for (ToolSpec t : listing.get().tools()) {
                serve(type, t).ifPresent(out::add);
            }
        }
        return out;
    }

    /** The tool as served under its gateway name, noted as served; empty (said on stderr) if the name cannot be. */
    private Optional<SyncToolSpecification> serve(String type, ToolSpec t) {
        String name = type + Gateway.SEPARATOR + t.name();
        Map<String, ToolSpec> ofType = served.get(type);
        if (ofType != null && !ofType.containsKey(t.name()) && ofType.size() >= GatewayCatalog.MAX_PER_TYPE) {
            // as for prompts and resources: a server listing tens of thousands would have them all sent to every
            // client at every tools/list
            if (refused.add(name)) {
                LOG.warn("gateway: {}'s tool {} is not served: the type serves {} tools already", type, t.name(),
                        GatewayCatalog.MAX_PER_TYPE);
            }
            return Optional.empty();
        }
        if (!LEGAL_NAME.matcher(name).matches() || !taken.add(name)) {
            if (refused.add(name)) { // said once, not at every refresh
                LOG.warn("gateway: {}'s tool {} is not served: {} is {}", type, t.name(), name,
                        LEGAL_NAME.matcher(name).matches() ? "taken" : "not a legal tool name");
            }
            return Optional.empty();
        }
        served.computeIfAbsent(type, k -> new ConcurrentHashMap<>()).put(t.name(), t);
        SyncToolSpecification spec = spec(gateway.call(), type, t, name, mapper, cancellations);
        specs.put(name, spec);
        return Optional.of(spec);
    }

    /** The type's listing if it came by the deadline; else empty, said on stderr (the first time; then quietly). */
    private static Optional<ListToolsUseCase.Listing> listed(String type,
                                                             CompletableFuture<ListToolsUseCase.Listing> listing,
                                                             boolean again) {
        String why;
        if (!listing.isDone()) {
            why = "they were not listed within " + LIST_DEADLINE.toSeconds() + " s";
        } else {
            try {
                return Optional.of(listing.join());
            } catch (CompletionException | java.util.concurrent.CancellationException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                why = cause instanceof NoHealthyInstanceException ? cause.getMessage() : Faults.describe(cause);
            }
        }
        if (again) {
            LOG.debug("gateway: the tools of {} are still not served: {}", type, why);
        } else {
            LOG.warn("gateway: the tools of {} are not served yet ({}); tried again every {} s", type, why,
                    RELIST_EVERY.toSeconds());
        }
        return Optional.empty();
    }

    private static SyncToolSpecification spec(CallToolUseCase call, String type, ToolSpec t, String name,
                                              McpJsonMapper mapper, Cancellations cancellations) {
        McpSchema.Tool.Builder tool = McpSchema.Tool.builder()
                .name(name)
                .description("[" + type + "] " + t.description())
                .inputSchema(schema(t.name(), t.inputSchemaJson(), mapper));
        t.outputSchemaJson().ifPresent(out -> tool.outputSchema(schema(t.name(), out, mapper)));
        ToolHints h = t.hints();
        h.title().ifPresent(tool::title);
        if (!h.equals(ToolHints.NONE)) {
            tool.annotations(new McpSchema.ToolAnnotations(h.title().orElse(null), h.readOnly().orElse(null),
                    h.destructive().orElse(null), h.idempotent().orElse(null), h.openWorld().orElse(null), null));
        }
        return SyncToolSpecification.builder()
                .tool(tool.build())
                .callHandler((exchange, request) -> {
                    try {
                        return answer(call, type, t.name(), request.arguments(), new Caller(progressTo(exchange,
                                request), cancellations.of(request.meta()), asking(exchange, mapper)), mapper);
                    } finally {
                        cancellations.done(request.meta());
                    }
                })
                .build();
    }

    /** An upstream's schema as a JSON object; an empty object schema if it cannot be read as one. */
    private static Map<String, Object> schema(String tool, String json, McpJsonMapper mapper) {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = mapper.readValue(json, Map.class);
            if (m != null) {
                return m;
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("gateway: a schema of {} cannot be read; served as any object", tool);
        }
        Map<String, Object> any = new LinkedHashMap<>();
        any.put("type", "object");
        return any;
    }

    /**
     * Where the upstream's progress of a call goes when the client asked to follow it (a progressToken in the
     * request's _meta): to the client, under the client's own token.
     */
    private static Optional<java.util.function.Consumer<Progress>> progressTo(
            io.modelcontextprotocol.server.McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        Object token = request.meta() == null ? null : request.meta().get("progressToken");
        if (token == null || exchange == null) {
            return Optional.empty();
        }
        return Optional.of(p -> {
            try {
                exchange.progressNotification(new McpSchema.ProgressNotification(token, p.progress(),
                        p.total().isPresent() ? p.total().getAsDouble() : null, p.message().orElse(null)));
            } catch (RuntimeException e) {
                LOG.debug("gateway: a progress notification was not delivered: {}", Faults.describe(e));
            }
        });
    }

    /**
     * The client of a call, as the upstream may ask it something while the call is under way: a sampling, elicitation
     * or roots request of the upstream's goes to it through the exchange, if it declared that capability.
     */
    private static Optional<AskClient> asking(io.modelcontextprotocol.server.McpSyncServerExchange exchange,
                                              McpJsonMapper mapper) {
        if (exchange == null) {
            return Optional.empty();
        }
        McpSchema.ClientCapabilities declared = exchange.getClientCapabilities();
        if (declared == null || (declared.sampling() == null && declared.elicitation() == null
                && declared.roots() == null)) {
            return Optional.empty(); // it can be asked nothing: its calls keep their tools' own timeouts
        }
        String session = exchange.sessionId() == null ? "" : exchange.sessionId();
        return Optional.of(new AskClient() {
            @Override
            public String clientId() {
                return session;
            }

            @Override
            public boolean can(ClientAsk kind) {
                return switch (kind) {
                    case SAMPLING -> declared.sampling() != null;
                    case ELICITATION -> declared.elicitation() != null;
                    case ROOTS -> declared.roots() != null;
                };
            }

            @Override
            public String ask(ClientAsk kind, String paramsJson) {
                if (!can(kind)) {
                    throw new Refused(McpSchema.ErrorCodes.METHOD_NOT_FOUND, "the client did not declare "
                            + kind.capability());
                }
                Object answer;
                try {
                    if (kind == ClientAsk.SAMPLING) {
                        answer = exchange.createMessage(mapper.readValue(paramsJson,
                                McpSchema.CreateMessageRequest.class));
                    } else if (kind == ClientAsk.ROOTS) {
                        answer = exchange.listRoots(); // every page of the client's, as one page upstream
                    } else {
                        Map<?, ?> raw = mapper.readValue(paramsJson, Map.class);
                        answer = exchange.createElicitation("url".equals(raw.get("mode"))
                                ? mapper.readValue(paramsJson, McpSchema.ElicitUrlRequest.class)
                                : mapper.readValue(paramsJson, McpSchema.ElicitFormRequest.class));
                    }
                    return mapper.writeValueAsString(answer);
                } catch (IOException e) {
                    throw new Refused(McpSchema.ErrorCodes.INVALID_PARAMS, "the " + kind.capability()
                            + " request cannot be read as the protocol's");
                } catch (io.modelcontextprotocol.spec.McpError e) {
                    int code = e.getJsonRpcError() == null ? McpSchema.ErrorCodes.INTERNAL_ERROR
                            : e.getJsonRpcError().code();
                    throw new Refused(code, "the client refused: " + ErrorScrubber.safe(code, e.getMessage()));
                } catch (RuntimeException e) {
                    LOG.debug("gateway: the client did not answer a {} request: {}", kind.capability(),
                            Faults.describe(e));
                    throw new Refused(McpSchema.ErrorCodes.INTERNAL_ERROR, "the client did not answer the "
                            + kind.capability() + " request");
                }
            }
        });
    }

    /**
     * One call through the resilient path, answered as the upstream answered or as a tool error that says why; its
     * progress told to {@code progress} when the client follows it.
     */
    static McpSchema.CallToolResult answer(CallToolUseCase call, String type, String tool,
                                           Map<String, Object> arguments, Caller caller, McpJsonMapper mapper) {
        CallToolUseCase.Result r;
        try {
            r = call.call(new CallToolUseCase.Command(ServerType.of(type), tool,
                    arguments == null ? Map.of() : arguments, caller));
        } catch (RuntimeException | Error e) {
            long incident = INCIDENTS.incrementAndGet();
            LOG.error("gateway: {}{}{} failed (incident {}): {}", type, Gateway.SEPARATOR, tool, incident,
                    Faults.describe(e));
            return error(type + Gateway.SEPARATOR + tool + ": internal error (incident " + incident
                    + ", on the server's stderr)");
        }
        if (r instanceof CallToolUseCase.Served s) {
            try {
                McpSchema.CallToolResult upstream = mapper.readValue(s.reply().json(), McpSchema.CallToolResult.class);
                if (upstream != null && upstream.content() != null) {
                    return upstream;
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("gateway: {}'s answer kept as its text only", type);
            }
            McpSchema.CallToolResult.Builder b = McpSchema.CallToolResult.builder();
            s.reply().texts().forEach(b::addTextContent);
            return b.isError(s.reply().error()).build();
        }
        if (r instanceof CallToolUseCase.Failed f) {
            return error(type + Gateway.SEPARATOR + tool + " failed on " + f.lastTried().value() + " ("
                    + f.type().code() + "): " + f.message());
        }
        if (r instanceof CallToolUseCase.Cancelled c) {
            // a client that cancelled reads no answer (the protocol's rule); one that did not cancel it never gets this
            return error(type + Gateway.SEPARATOR + tool + " cancelled: " + c.reason());
        }
        return error(((CallToolUseCase.Unavailable) r).message());
    }

    private static McpSchema.CallToolResult error(String message) {
        return McpSchema.CallToolResult.builder().addTextContent(message).isError(true).build();
    }
}
