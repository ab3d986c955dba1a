package dev.mcphealth.adapter.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MCP Health's server in the 2026-07-28 revision: requests that carry the revision's envelope
 * ({@code params._meta["io.modelcontextprotocol/protocolVersion"]}), or {@code server/discover}, answered here without a
 * session and without the SDK's transport, which knows only the handshake. {@code server/discover} says what the
 * server is and serves; {@code tools/list} lists the tools the handshake's clients see (the five, and in gateway mode
 * the upstreams' as served now); {@code tools/call} calls them with the same handlers. Every result carries the
 * revision's {@code resultType} and the server's name in {@code _meta}; lists say {@code ttlMs: 0} and
 * {@code cacheScope: private} (the gateway's tools change, and some answers are the caller's). Anything else of the
 * revision (resources, prompts, completion; ping and initialize do not exist in it) is refused with -32601 naming
 * what is served, so a client knows to open a session for it. Over HTTP the {@code MCP-Protocol-Version},
 * {@code Mcp-Method} and {@code Mcp-Name} headers, when sent, must agree with the body (-32020); a version other than
 * the revision's is -32022 with the versions served. Over stdio the first request decides the connection's era
 * ({@link StdinFilter}); its tool calls are answered off the reading thread, each answer a line of its own.
 */
final class StatelessServer implements AutoCloseable {
    static final String VERSION = dev.mcphealth.domain.model.Handshake.STATELESS_REVISION;
    static final String META = "io.modelcontextprotocol/";
    static final int HEADER_MISMATCH = -32020;
    static final int UNSUPPORTED_VERSION = -32022;
    private static final Logger LOG = LoggerFactory.getLogger(StatelessServer.class);
    private static final TypeRef<Map<String, Object>> OBJECT = new TypeRef<>() {
    };

    /** An answer: its HTTP status and its JSON-RPC line. */
    record Answer(int status, String json) {
    }

    /** The HTTP headers of the revision as sent (empty over stdio). */
    record Headers(Optional<String> version, Optional<String> method, Optional<String> name) {
        static final Headers NONE = new Headers(Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** What the answers need of the built server: its current tools, their handlers, its name. */
    private record Served(McpSyncServer server, Function<String, Optional<SyncToolSpecification>> handlers,
                          String instructions) {
    }

    private final McpJsonMapper mapper;
    private final CompletableFuture<Served> served = new CompletableFuture<>();
    /** Four requests at once over stdio, 256 waiting at most (more are refused as too many). */
    private final ExecutorService calls = new java.util.concurrent.ThreadPoolExecutor(4, 4, 0, TimeUnit.SECONDS,
            new java.util.concurrent.LinkedBlockingQueue<>(256), r -> {
                Thread t = new Thread(r, "mcp-health-stateless-calls");
                t.setDaemon(true);
                return t;
            });

    StatelessServer(McpJsonMapper mapper) {
        this.mapper = mapper;
    }

    /** Once the server is built: its tools as served now, the handler of each by name, its instructions. */
    void attach(McpSyncServer server, Function<String, Optional<SyncToolSpecification>> handlers,
                String instructions) {
        served.complete(new Served(server, handlers, instructions));
    }

    /** The message as a JSON object, or null when it is none. */
    Map<String, Object> parse(String text) {
        try {
            return mapper.readValue(text, OBJECT);
        } catch (IOException | RuntimeException e) {
            return null; // not JSON, or not an object
        }
    }

    /**
     * Whether a request without a session (HTTP) is one of the revision: {@code server/discover}, or one in its
     * envelope or with its header.
     */
    static boolean revision(Map<String, Object> message, Optional<String> headerVersion) {
        if (message == null) {
            return false;
        }
        if ("server/discover".equals(message.get("method")) || headerVersion.filter(VERSION::equals).isPresent()) {
            return true;
        }
        return enveloped(message);
    }

    /**
     * Whether a request is in the revision's envelope ({@code params._meta} names a protocol version) and is not
     * {@code initialize}: what makes a stdio connection's first request put it in the revision, as the Python SDK's
     * servers decide (a bare {@code server/discover} does not: the handshake's server refuses it).
     */
    static boolean enveloped(Map<String, Object> message) {
        return message != null && !"initialize".equals(message.get("method"))
                && message.get("params") instanceof Map<?, ?> p && p.get("_meta") instanceof Map<?, ?> meta
                && meta.containsKey(META + "protocolVersion");
    }

    /**
     * Answers {@code request}; {@code out} gets the line (stdio). A tool call runs off the caller's thread (it may wait
     * on an upstream), so that discover and lists, answered at once on it, are never queued behind calls.
     */
    void submit(Map<String, Object> request, Consumer<String> out) {
        if (!"tools/call".equals(request.get("method"))) {
            out.accept(answer(request, Headers.NONE).json());
            return;
        }
        try {
            calls.execute(() -> out.accept(answer(request, Headers.NONE).json()));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            out.accept(error(request.get("id"), JsonRpcGate.INTERNAL_ERROR, calls.isShutdown()
                    ? "the server is stopping" : "too many requests under way; try again", null).json());
        }
    }

    /**
     * The answer to one request of the revision (a JSON-RPC request that passed the {@link JsonRpcGate}). Never
     * throws: what was not foreseen is -32603, said on stderr only.
     */
    Answer answer(Map<String, Object> request, Headers headers) {
        try {
            return answered(request, headers);
        } catch (RuntimeException e) {
            LOG.error("a request of the {} revision failed: {}", VERSION, e.getMessage());
            return error(request.get("id"), JsonRpcGate.INTERNAL_ERROR, "internal error; the server's log has the "
                    + "details", null);
        }
    }

    private Answer answered(Map<String, Object> request, Headers headers) {
        Object id = request.get("id");
        String method = String.valueOf(request.get("method"));
        Map<String, Object> params = request.get("params") instanceof Map<?, ?> p ? mapper.convertValue(p, OBJECT)
                : Map.of();
        if ("initialize".equals(method)) {
            // a stdio connection in the revision since its first request (the Python SDK's servers say the same)
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("supported", List.of(VERSION));
            if (params.get("protocolVersion") instanceof String requested) {
                data.put("requested", dev.mcphealth.domain.model.Printable.shorten(requested));
            }
            return error(id, UNSUPPORTED_VERSION, "this connection speaks the " + VERSION + " revision (its first "
                    + "request was of it): initialize does not exist in it; open a new connection for the handshake",
                    data);
        }
        Object version = params.get("_meta") instanceof Map<?, ?> meta ? meta.get(META + "protocolVersion") : null;
        if (version == null) {
            return error(id, JsonRpcGate.INVALID_PARAMS, "params._meta must name the protocol version ("
                    + META + "protocolVersion): requests of the " + VERSION + " revision carry it", null);
        }
        if (!VERSION.equals(version)) {
            return new Answer(400, line(id, null, Map.of("code", UNSUPPORTED_VERSION, "message",
                    "unsupported protocol version: " + quoted(version) + " (this server speaks " + VERSION
                            + ", or the handshake: initialize)",
                    "data", Map.of("supported", List.of(VERSION), "requested",
                            dev.mcphealth.domain.model.Printable.shorten(String.valueOf(version))))));
        }
        Optional<String> mismatch = mismatch(headers, method, params);
        if (mismatch.isPresent()) {
            return error(id, HEADER_MISMATCH, mismatch.get(), null);
        }
        Served s;
        try {
            s = served.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return error(id, JsonRpcGate.INTERNAL_ERROR, "the server is not ready yet; try again", null);
        }
        return switch (method) {
            case "server/discover" -> ok(id, s, discover(s), true);
            case "tools/list" -> ok(id, s, tools(s), true);
            case "tools/call" -> call(id, s, params);
            default -> new Answer(404, line(id, null, Map.of("code", JsonRpcGate.METHOD_NOT_FOUND, "message",
                    "method not found: " + quoted(method) + " (in the " + VERSION + " revision this server "
                            + "answers server/discover, tools/list and tools/call; initialize a session for the "
                            + "rest)")));
        };
    }

    private static Optional<String> mismatch(Headers h, String method, Map<String, Object> params) {
        if (h.version().isPresent() && !VERSION.equals(h.version().get())) {
            return Optional.of("the MCP-Protocol-Version header (" + quoted(h.version().get())
                    + ") does not match params._meta (" + VERSION + ")");
        }
        if (h.method().isPresent() && !h.method().get().equals(method)) {
            return Optional.of("the Mcp-Method header (" + quoted(h.method().get())
                    + ") does not match the method (" + quoted(method) + ")");
        }
        if ("tools/call".equals(method) && h.name().isPresent() && !h.name().get().equals(params.get("name"))) {
            return Optional.of("the Mcp-Name header (" + quoted(h.name().get())
                    + ") does not match params.name");
        }
        return Optional.empty();
    }

    private Map<String, Object> discover(Served s) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("supportedVersions", List.of(VERSION));
        r.put("capabilities", Map.of("tools", Map.of()));
        r.put("instructions", s.instructions());
        return r;
    }

    private Map<String, Object> tools(Served s) {
        List<Object> listed = new ArrayList<>();
        for (McpSchema.Tool t : s.server().listTools()) {
            listed.add(mapper.convertValue(t, OBJECT));
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("tools", listed);
        return r;
    }

    private Answer call(Object id, Served s, Map<String, Object> params) {
        String name = String.valueOf(params.get("name"));
        Optional<SyncToolSpecification> spec = s.handlers().apply(name);
        if (spec.isEmpty()) {
            return error(id, JsonRpcGate.INVALID_PARAMS, "unknown tool: " + quoted(name), null);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> arguments = params.get("arguments") instanceof Map<?, ?> a ? (Map<String, Object>) a
                : Map.of();
        // the client's _meta as it sent it, but never the key that ties a call to a session's cancellation: a client
        // without a session cannot name another's request
        Map<String, Object> meta = new LinkedHashMap<>();
        if (params.get("_meta") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> meta.put(String.valueOf(k), v));
        }
        meta.remove(Cancellations.META_KEY);
        McpSchema.CallToolResult result;
        try {
            result = spec.get().callHandler().apply(null, McpSchema.CallToolRequest.builder().name(name)
                    .arguments(arguments).meta(meta).build());
        } catch (RuntimeException e) {
            // the handlers answer errors as results; this is what they did not foresee
            LOG.error("{} failed in a stateless call: {}", name, e.getMessage());
            return error(id, JsonRpcGate.INTERNAL_ERROR, "internal error; the server's log has the details", null);
        }
        return ok(id, s, mapper.convertValue(result, OBJECT), false);
    }

    /** A result of the revision: with its result type, its cache hints for lists, and the server's name. */
    private Answer ok(Object id, Served s, Map<String, Object> result, boolean cacheHints) {
        Map<String, Object> r = new LinkedHashMap<>(result);
        r.put("resultType", "complete");
        if (cacheHints) {
            r.put("ttlMs", 0);
            r.put("cacheScope", "private");
        }
        McpSchema.Implementation info = s.server().getServerInfo();
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put(META + "serverInfo", Map.of("name", info.name(), "version", info.version()));
        if (r.get("_meta") instanceof Map<?, ?> own) {
            own.forEach((k, v) -> meta.put(String.valueOf(k), v)); // the tool's own, as it said them
        }
        r.put("_meta", meta);
        return new Answer(200, line(id, r, null));
    }

    private Answer error(Object id, int code, String message, Object data) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("code", code);
        e.put("message", message);
        if (data != null) {
            e.put("data", data);
        }
        return new Answer(code == JsonRpcGate.INTERNAL_ERROR ? 500 : 400, line(id, null, e));
    }

    private String line(Object id, Map<String, Object> result, Map<String, Object> error) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jsonrpc", "2.0");
        m.put("id", id);
        if (error != null) {
            m.put("error", error);
        } else {
            m.put("result", result);
        }
        try {
            return mapper.writeValueAsString(m);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        calls.shutdownNow();
    }

    /** A value a client sent, as a message may quote it. */
    private static String quoted(Object value) {
        return dev.mcphealth.domain.model.Printable.quote(String.valueOf(value));
    }
}
